from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.http import error_messages, safe_next_url

from .forms import (
    InvitationAnswerForm,
    InviteForm,
    MemberRoleForm,
    OwnershipTransferForm,
    WorkspaceDeleteForm,
    WorkspaceNameForm,
    WorkspaceSwitchForm,
)
from .models import Invitation, Role, Team
from .permissions import get_for_user, role_allows
from .selectors import (
    CURRENT_WORKSPACE_SESSION_KEY,
    INVITATION_SESSION_KEY,
    current_membership,
    invitation_for_token,
    member_or_404,
    pending_invitations,
    workspace_members,
)
from .services import invitations as invitation_services
from .services import memberships as membership_services
from .services import workspaces as workspace_services


@login_required
@require_POST
def workspace_switch(request: HttpRequest) -> HttpResponse:
    form = WorkspaceSwitchForm(request.POST)
    if not form.is_valid():
        raise Http404  # something that is no workspace id is answered like an unknown id
    team = get_for_user(request.user, Team, form.cleaned_data["workspace"], "view")
    request.session[CURRENT_WORKSPACE_SESSION_KEY] = team.id
    membership_services.membership_mark_used(workspace=team, user=request.user)
    messages.success(request, _("Switched to %(name)s.") % {"name": team.display_name})
    return redirect(safe_next_url(request, reverse("dashboard")))


def _member_rows(members, *, me, my_role: str | None) -> list[dict]:
    """Each member with whether `me` may change their role or remove them."""
    can_manage = role_allows(my_role, "manage_members")
    is_owner = my_role == Role.OWNER
    return [
        {
            "membership": member,
            "manageable": can_manage
            and member.user_id != me.pk
            and (is_owner or member.role != Role.OWNER),
        }
        for member in members
    ]


@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request=request)
    workspace = membership.team if membership else None
    my_role = membership.role if membership else None
    members = list(workspace_members(workspace=workspace)) if workspace else []
    is_personal = bool(workspace and workspace.is_personal)
    can_invite = role_allows(my_role, "invite")
    # The service refuses to let the last owner leave; the page says so before they try.
    only_owner = my_role == Role.OWNER and sum(m.role == Role.OWNER for m in members) <= 1
    context = {
        "workspace": workspace,
        "rows": _member_rows(members, me=request.user, my_role=my_role),
        "role_choices": [
            (value, label)
            for value, label in Role.choices
            if my_role == Role.OWNER or value != Role.OWNER
        ],
        "can_rename": role_allows(my_role, "rename_workspace"),
        "can_transfer": role_allows(my_role, "transfer_ownership") and not is_personal,
        "can_delete": role_allows(my_role, "delete_workspace") and not is_personal,
        "can_leave": bool(workspace)
        and not (is_personal and workspace.created_by_id == request.user.pk)
        and not only_owner,
        "only_owner": only_owner and not is_personal,
        "transfer_candidates": [m for m in members if m.user_id != request.user.pk],
        "can_invite": can_invite,
        "invite_roles": [(v, label) for v, label in Role.choices if v != Role.OWNER],
        "invitations": (list(pending_invitations(workspace)) if can_invite else []),
    }
    return render(request, "teams/team.html", context)


@login_required
def workspace_new(request: HttpRequest) -> HttpResponse:
    form = WorkspaceNameForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        error_messages(request, form.errors)
    elif form.is_bound:
        try:
            team = workspace_services.workspace_create(
                owner=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            request.session[CURRENT_WORKSPACE_SESSION_KEY] = team.id
            membership_services.membership_mark_used(workspace=team, user=request.user)
            messages.success(
                request, _("Workspace %(name)s created.") % {"name": team.display_name}
            )
            return redirect("teams:team")
    return render(request, "teams/new.html", {"name": form["name"].value() or ""})


@login_required
@require_POST
def workspace_rename(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = get_for_user(request.user, Team, workspace_id, "rename_workspace")
    form = WorkspaceNameForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("teams:team")
    try:
        workspace_services.workspace_rename(
            workspace=workspace, name=form.cleaned_data["name"], actor=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Workspace renamed."))
    return redirect("teams:team")


@login_required
@require_POST
def workspace_delete(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = get_for_user(request.user, Team, workspace_id, "delete_workspace")
    form = WorkspaceDeleteForm(request.POST, workspace=workspace)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("teams:team")
    name = workspace.name
    try:
        workspace_services.workspace_delete(workspace=workspace, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect("teams:team")
    request.session.pop(CURRENT_WORKSPACE_SESSION_KEY, None)
    messages.success(request, _("Workspace %(name)s deleted.") % {"name": name})
    return redirect("teams:team")


@login_required
@require_POST
def ownership_transfer(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = get_for_user(request.user, Team, workspace_id, "transfer_ownership")
    form = OwnershipTransferForm(request.POST, workspace=workspace)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("teams:team")
    target = form.membership
    try:
        membership_services.ownership_transfer(
            workspace=workspace, to_user=target.user, actor=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("%(name)s now owns this workspace.") % {"name": target.user.display_name},
        )
    return redirect("teams:team")


@login_required
@require_POST
def member_role(request: HttpRequest, workspace_id: int, user_id: int) -> HttpResponse:
    workspace = get_for_user(request.user, Team, workspace_id, "manage_members")
    membership = member_or_404(workspace=workspace, user_id=user_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("teams:team")
    try:
        membership_services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], actor=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Role changed."))
    return redirect("teams:team")


@login_required
@require_POST
def member_remove(request: HttpRequest, workspace_id: int, user_id: int) -> HttpResponse:
    leaving = user_id == request.user.pk
    workspace = get_for_user(
        request.user, Team, workspace_id, "view" if leaving else "manage_members"
    )
    membership = member_or_404(workspace=workspace, user_id=user_id)
    try:
        membership_services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return redirect("teams:team")
    if leaving:
        request.session.pop(CURRENT_WORKSPACE_SESSION_KEY, None)
        messages.success(request, _("You left %(name)s.") % {"name": workspace.display_name})
        return redirect("dashboard")
    messages.success(request, _("Member removed."))
    return redirect("teams:team")


# --- Invitations ------------------------------------------------------------------------------


@login_required
@require_POST
def invite(request: HttpRequest, workspace_id: int) -> HttpResponse:
    workspace = get_for_user(request.user, Team, workspace_id, "invite")
    form = InviteForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("teams:team")
    try:
        created = invitation_services.invitations_create(
            workspace=workspace,
            emails=form.cleaned_data["emails"],
            role=form.cleaned_data["role"],
            actor=request.user,
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        count = len(created)
        messages.success(
            request,
            ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", count)
            % {"count": count},
        )
    return redirect("teams:team")


def _invitation_action(
    request: HttpRequest, workspace_id: int, invitation_id: int, service, success: str
) -> HttpResponse:
    """Resend or revoke one pending invitation of the workspace (owners and admins)."""
    workspace = get_for_user(request.user, Team, workspace_id, "invite")
    invitation = get_object_or_404(
        Invitation.objects.select_related("workspace"), workspace=workspace, pk=invitation_id
    )
    try:
        service(invitation=invitation, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, success % {"email": invitation.email})
    return redirect("teams:team")


@login_required
@require_POST
def invitation_resend(request: HttpRequest, workspace_id: int, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request,
        workspace_id,
        invitation_id,
        invitation_services.invitation_resend,
        _("Invitation sent again to %(email)s."),
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, workspace_id: int, invitation_id: int) -> HttpResponse:
    return _invitation_action(
        request,
        workspace_id,
        invitation_id,
        invitation_services.invitation_revoke,
        _("Invitation to %(email)s revoked."),
    )


def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail. The token is the authorisation; accepting needs a sign-in."""
    invitation = invitation_for_token(token)
    if (
        request.method == "GET"
        and not request.user.is_authenticated
        and invitation is not None
        and invitation.is_pending
    ):
        # Following the link proves the address: the sign-up form offers it, a sign-up with it
        # needs no confirmation e-mail, and joins the workspace (signals.py).
        get_adapter(request).stash_verified_email(request, invitation.email)
        request.session[INVITATION_SESSION_KEY] = invitation.pk
    return _invitation_answer(request, invitation, token=token)


@login_required
def invitation_received(request: HttpRequest, invitation_id: int) -> HttpResponse:
    """The same invitation reached from the in-app notification, by its addressee only."""
    invitation = (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(pk=invitation_id, email__iexact=request.user.email)
        .first()
    )
    if invitation is None:
        raise Http404
    return _invitation_answer(request, invitation, invitation_id=invitation.pk)


def _invitation_answer(
    request: HttpRequest,
    invitation: Invitation | None,
    *,
    token: str | None = None,
    invitation_id: int | None = None,
) -> HttpResponse:
    form = InvitationAnswerForm(request.POST if request.method == "POST" else None)
    if form.is_bound and not form.is_valid():
        error_messages(request, form.errors)
    elif form.is_bound:
        try:
            if form.declines:
                invitation_services.invitation_decline(
                    token=token, invitation_id=invitation_id, user=request.user
                )
                messages.success(request, _("Invitation declined."))
                return redirect("home")
            if not request.user.is_authenticated:
                return redirect(f"{reverse('account_login')}?next={request.path}")
            membership = invitation_services.invitation_accept(
                token=token, invitation_id=invitation_id, user=request.user
            )
        except ValidationError as error:
            error_messages(request, error)
        else:
            request.session[CURRENT_WORKSPACE_SESSION_KEY] = membership.team_id
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": membership.team.display_name}
            )
            return redirect("teams:team")
    context = {
        "invitation": invitation if invitation and invitation.is_pending else None,
        "email_matches": bool(
            invitation
            and request.user.is_authenticated
            and request.user.email.lower() == invitation.email.lower()
        ),
    }
    return render(request, "teams/invitation.html", context)
