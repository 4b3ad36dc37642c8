from allauth.account.models import EmailAddress
from allauth.account.signals import user_signed_up
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from accounts.http import error_messages

from .models import Invitation
from .selectors import CURRENT_WORKSPACE_SESSION_KEY, INVITATION_SESSION_KEY
from .services.invitations import invitation_accept
from .services.workspaces import workspace_create_personal


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="teams_personal_workspace")
def give_new_user_a_workspace(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # However a user comes to exist (sign-up, command, admin), they get a workspace.
    if created and not raw:
        workspace_create_personal(user=instance)


@receiver(user_signed_up, dispatch_uid="teams_join_on_signup")
def join_the_invited_workspace(sender, request, user, **kwargs) -> None:
    """Signing up after following an invitation link (views.invitation_page), with the invited
    address, accepts the invitation; the workspace becomes the current one."""
    invitation_id = request.session.pop(INVITATION_SESSION_KEY, None) if request else None
    invitation = Invitation.objects.filter(pk=invitation_id).first() if invitation_id else None
    if (
        invitation is None
        or not EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    ):
        return  # another address: verified as usual, and the invitation stays open for it
    try:
        membership = invitation_accept(user=user, invitation_id=invitation.pk)
    except ValidationError as error:
        error_messages(request, error)  # expired or revoked meanwhile, no seat left…
        return
    request.session[CURRENT_WORKSPACE_SESSION_KEY] = membership.team_id
    messages.success(request, _("Welcome to %(name)s.") % {"name": membership.team.display_name})
