from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from analytics.events import record

from .models import Membership, Role, Team


@transaction.atomic
def workspace_create_personal(*, user) -> Team:
    """Give `user` their personal workspace, once."""
    existing = Team.objects.filter(created_by=user, is_personal=True).first()
    if existing is not None:
        return existing
    team = Team.objects.create(
        name=_("%(name)s's workspace") % {"name": user.display_name},
        is_personal=True,
        created_by=user,
    )
    Membership.objects.create(team=team, user=user, role=Role.OWNER)
    record("workspace.created", workspace=team, actor=user, subject=team)
    return team


@transaction.atomic
def workspace_create(*, owner, name: str) -> Team:
    name = name.strip()
    if not name:
        raise ValidationError(_("A workspace needs a name."))
    team = Team.objects.create(name=name[:100], created_by=owner)
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    record("workspace.created", workspace=team, actor=owner, subject=team)
    return team


@transaction.atomic
def membership_add(*, workspace: Team, user, role: str, actor) -> Membership:
    """Add `user` to `workspace` with `role`; adding an existing member changes nothing."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    membership, created = Membership.objects.get_or_create(
        team=workspace, user=user, defaults={"role": role}
    )
    if created:
        record(
            "team.member_joined",
            workspace=workspace,
            actor=actor,
            subject=membership,
            properties={"user_id": user.pk, "role": role},
        )
    return membership
