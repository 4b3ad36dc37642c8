"""Invitation services: invite by e-mail, resend, revoke, accept, decline.

The raw token exists only in memory: it is returned by the service that mints it, handed to the
e-mail task, and only its sha256 is stored.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from teams import tasks
from teams.models import Invitation, Membership, Notification, NotificationKind, Role, Team
from teams.permissions import ensure_can
from teams.selectors import hash_token, invitations_unsent, pending_invitations, wants_email
from teams.services.memberships import SeatLimitError, membership_add, seat_limit
from teams.services.notifications import notify

MAX_ADDRESSES_PER_REQUEST = 50
RATE_LIMIT = 50  # invitations (created or re-sent) per workspace
RATE_WINDOW = timedelta(hours=1)


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def _split_emails(emails: str | list[str]) -> list[str]:
    if isinstance(emails, str):
        emails = re.split(r"[,;\s]+", emails)
    return [e.strip() for e in emails if e and e.strip()]


def send_on_commit(invitation: Invitation, token: str) -> None:
    # The raw token travels in the Celery message (never in the database): the task is the
    # only place that needs it, to build the accept link, and the message is consumed once.
    # Queued on commit so the worker always finds the row.
    pk = invitation.pk
    Invitation.objects.filter(pk=pk).update(email_queued_at=timezone.now())
    transaction.on_commit(lambda: tasks.send_invitation.delay(pk, token))


def _ensure_rate(workspace: Team, adding: int) -> None:
    since = timezone.now() - RATE_WINDOW
    recent = Invitation.objects.filter(workspace=workspace, created_at__gte=since).count()
    if recent + adding > RATE_LIMIT:
        raise ValidationError(
            _(
                "This workspace has sent too many invitations in the last hour "
                "(at most %(limit)s). Please try again later."
            )
            % {"limit": RATE_LIMIT},
            code="rate_limited",
        )


def _ensure_seats(workspace: Team, adding: int) -> None:
    limit = seat_limit(workspace)
    if limit is None:
        return
    used = (
        Membership.objects.filter(team=workspace).count() + pending_invitations(workspace).count()
    )
    if used + adding > limit:
        raise SeatLimitError(
            _(
                "Your plan allows %(limit)s team seats (pending invitations included) and "
                "%(used)s are taken, so %(count)s more can't be invited. "
                "Upgrade to Pro for more: %(url)s"
            )
            % {
                "limit": limit,
                "used": used,
                "count": adding,
                "url": reverse("billing:pricing"),
            }
        )


@transaction.atomic
def invitations_create(
    *, workspace: Team, emails: str | list[str], role: str, actor
) -> list[Invitation]:
    """Invite every address, or none. Each returned invitation carries its raw `token`
    (in memory only, for the e-mail); the database keeps its sha256."""
    ensure_can(actor, workspace, "invite")
    Team.objects.select_for_update().filter(pk=workspace.pk).exists()  # serialise invites
    if role not in Role.values or role == Role.OWNER:
        raise ValidationError(
            _("Invitations can be for the admin, editor or viewer role."), code="invalid_role"
        )
    addresses = _split_emails(emails)
    if not addresses:
        raise ValidationError(_("Enter at least one e-mail address."), code="required")
    if len(addresses) > MAX_ADDRESSES_PER_REQUEST:
        raise ValidationError(
            _("Invite at most %(count)s people at once.") % {"count": MAX_ADDRESSES_PER_REQUEST},
            code="too_many",
        )
    errors: list[ValidationError] = []
    seen: set[str] = set()
    cleaned: list[str] = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            errors.append(
                ValidationError(
                    _("%(email)s is not a valid e-mail address.") % {"email": address},
                    code="invalid_email",
                )
            )
            continue
        key = address.lower()
        if key in seen:
            continue  # the same address twice in one request: invite once
        seen.add(key)
        cleaned.append(address)
    members = {
        e.lower()
        for e in Membership.objects.filter(team=workspace).values_list("user__email", flat=True)
    }
    pending = {e.lower() for e in pending_invitations(workspace).values_list("email", flat=True)}
    for address in cleaned:
        if address.lower() in members:
            errors.append(
                ValidationError(
                    _("%(email)s is already a member of this workspace.") % {"email": address},
                    code="already_member",
                )
            )
        elif address.lower() in pending:
            errors.append(
                ValidationError(
                    _("%(email)s has already been invited; resend that invitation instead.")
                    % {"email": address},
                    code="already_invited",
                )
            )
    if errors:
        raise ValidationError(errors)
    _ensure_rate(workspace, len(cleaned))
    _ensure_seats(workspace, len(cleaned))
    now = timezone.now()
    created = []
    invitees = _existing_users(cleaned)
    for address in cleaned:
        token, token_hash = new_token()
        invitation = Invitation.objects.create(
            workspace=workspace,
            email=address,
            role=role,
            token_hash=token_hash,
            invited_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=Invitation.VALID_FOR_DAYS),
        )
        record(
            EventName.TEAM_MEMBER_INVITED,
            workspace=workspace,
            actor=actor,
            subject=invitation,
            properties={"invitation_id": invitation.pk, "role": role},
        )
        invitee = invitees.get(address.lower())
        if invitee is not None:
            _notify_invitee(invitation, invitee, actor)
        if invitee is None or wants_email(invitee, NotificationKind.INVITATION):
            send_on_commit(invitation, token)
        invitation.token = token
        created.append(invitation)
    return created


def _existing_users(addresses: list[str]) -> dict:
    users = (
        get_user_model()
        .objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[a.lower() for a in addresses])
        .select_related("notification_preference")
    )
    return {user.email_lower: user for user in users}


def _notify_invitee(invitation: Invitation, invitee, actor) -> None:
    """Someone who already has an account also sees the invitation in the app."""
    notify(
        recipient=invitee,
        kind=NotificationKind.INVITATION,
        key=f"invitation:{invitation.pk}",
        workspace=invitation.workspace,
        actor=actor,
        params={"workspace": invitation.workspace.name, "role": invitation.role},
        url=reverse("teams:invitation_received", args=[invitation.pk]),
        email=False,  # the invitation e-mail itself is the e-mail
    )


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("workspace")
        .get(pk=invitation.pk)
    )


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor) -> Invitation:
    """A new token and 7 more days; the old link stops working. Counts toward the rate limit."""
    ensure_can(actor, invitation.workspace, "invite")
    invitation = _locked(invitation)
    if invitation.accepted_at or invitation.declined_at or invitation.revoked_at:
        raise ValidationError(
            _("This invitation was already answered or revoked."), code="not_pending"
        )
    _ensure_rate(invitation.workspace, 1)
    token, invitation.token_hash = new_token()
    now = timezone.now()
    # created_at moves too, so a resend counts toward the hourly rate limit.
    invitation.created_at = now
    invitation.expires_at = now + timedelta(days=Invitation.VALID_FOR_DAYS)
    invitation.invited_by = actor
    invitation.emailed_at = None
    invitation.save(
        update_fields=["token_hash", "created_at", "expires_at", "invited_by", "emailed_at"]
    )
    invitee = _existing_users([invitation.email]).get(invitation.email.lower())
    if invitee is None or wants_email(invitee, NotificationKind.INVITATION):
        send_on_commit(invitation, token)
    invitation.token = token
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    ensure_can(actor, invitation.workspace, "invite")
    invitation = _locked(invitation)
    if invitation.accepted_at or invitation.declined_at:
        raise ValidationError(_("This invitation was already answered."), code="not_pending")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _pending(*, token: str | None, invitation_id: int | None) -> Invitation:
    """The pending invitation named by its e-mailed token, or (for a signed-in invitee
    following an in-app notification) by its id."""
    queryset = Invitation.objects.select_for_update(of=("self",)).select_related(
        "workspace", "invited_by__profile"
    )
    if invitation_id is not None:
        invitation = queryset.filter(pk=invitation_id).first()
    else:
        invitation = queryset.filter(token_hash=hash_token(token or "")).first()
    if invitation is None or invitation.revoked_at is not None:
        raise ValidationError(_("This invitation is not valid any more."), code="invalid")
    if invitation.accepted_at is not None or invitation.declined_at is not None:
        raise ValidationError(_("This invitation has already been used."), code="used")
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask for a new one."), code="expired")
    return invitation


def _ensure_addressee(invitation: Invitation, user) -> None:
    if (getattr(user, "email", "") or "").lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email},
            code="wrong_user",
        )


def _mark_notification_read(invitation: Invitation) -> None:
    Notification.objects.filter(key=f"invitation:{invitation.pk}", read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def invitation_accept(
    *, user, token: str | None = None, invitation_id: int | None = None
) -> Membership:
    """Join through the e-mailed link (`token`) or the in-app notification (`invitation_id`);
    either way only the addressee can accept."""
    invitation = _pending(token=token, invitation_id=invitation_id)
    _ensure_addressee(invitation, user)
    try:
        membership = membership_add(
            workspace=invitation.workspace,
            user=user,
            role=invitation.role,
            actor=invitation.invited_by,
        )
    except (PermissionDenied, Http404):
        raise ValidationError(
            _(
                "The person who invited you can no longer add members. "
                "Ask a workspace admin for a new invitation."
            ),
            code="inviter_lost_role",
        ) from None
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _mark_notification_read(invitation)
    return membership


@transaction.atomic
def invitation_decline(
    *, token: str | None = None, invitation_id: int | None = None, user=None
) -> Invitation:
    """Anyone holding the e-mailed link may decline; by id, only the addressee."""
    invitation = _pending(token=token, invitation_id=invitation_id)
    if invitation_id is not None:
        _ensure_addressee(invitation, user)
    invitation.declined_at = timezone.now()
    invitation.save(update_fields=["declined_at"])
    _mark_notification_read(invitation)
    return invitation


@transaction.atomic
def invitation_reissue_unsent(*, invitation_id: int) -> bool:
    """Send an invitation whose e-mail was lost (a broker or worker outage) under a fresh
    token; True if queued.

    Only the token's hash is stored and the raw token travelled in the lost task message, so
    the original link cannot be rebuilt. Nobody received it, so a fresh token replaces it: a
    late delivery of the old message then matches no row and sends nothing, and the new message
    goes out once (`accounts.emails.send_once`). The expiry stays: this is not a user's resend
    (7 more days, counted toward the rate limit), only the delivery of what was meant to arrive.
    """
    invitation = (
        invitations_unsent()
        .select_for_update(skip_locked=True, of=("self",))
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return False  # sent meanwhile, answered, expired, or another worker has it
    token, invitation.token_hash = new_token()
    invitation.save(update_fields=["token_hash"])
    send_on_commit(invitation, token)
    return True
