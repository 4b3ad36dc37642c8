"""Small forms for the team pages' POSTs.

They check the shape of what was sent; the services keep the rules (a name is needed, a role
exists, invitations are not for owners), so the pages and the API refuse the same things with
the same words.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Membership, NotificationKind, Role, Team
from .selectors import member_or_404

NOT_A_MEMBER = gettext_lazy("The new owner must already be a member of this workspace.")


class WorkspaceSwitchForm(forms.Form):
    workspace = forms.IntegerField()


class WorkspaceNameForm(forms.Form):
    """Creating and renaming: the service says when the name is missing."""

    name = forms.CharField(required=False)


class WorkspaceDeleteForm(forms.Form):
    confirm_name = forms.CharField(required=False)

    def __init__(self, *args, workspace: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean_confirm_name(self) -> str:
        typed = self.cleaned_data["confirm_name"]
        if typed != self.workspace.name:
            raise ValidationError(
                _("Type the workspace's name exactly to confirm deleting it."), code="mismatch"
            )
        return typed


class OwnershipTransferForm(forms.Form):
    """`membership` in cleaned_data: the member who is to become the owner."""

    user = forms.IntegerField(error_messages={"required": NOT_A_MEMBER, "invalid": NOT_A_MEMBER})

    def __init__(self, *args, workspace: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workspace = workspace

    def clean(self) -> dict:
        cleaned = super().clean()
        if "user" in cleaned:
            try:
                cleaned["membership"] = member_or_404(
                    workspace=self.workspace, user_id=cleaned["user"]
                )
            except Http404:
                raise ValidationError(NOT_A_MEMBER, code="not_member") from None
        return cleaned

    @property
    def membership(self) -> Membership:
        return self.cleaned_data["membership"]


class MemberRoleForm(forms.Form):
    """The service refuses an unknown role in the words the API uses too."""

    role = forms.CharField(required=False)


class InviteForm(forms.Form):
    emails = forms.CharField(required=False)
    role = forms.CharField(required=False)

    def clean_role(self) -> str:
        # A form without a role field invites viewers; an empty choice is refused by the service.
        return self.cleaned_data["role"] if "role" in self.data else Role.VIEWER


class InvitationAnswerForm(forms.Form):
    """Anything but "decline" accepts, as the page's two buttons send one or the other."""

    action = forms.CharField(required=False)

    @property
    def declines(self) -> bool:
        return self.cleaned_data.get("action") == "decline"


class KnownKindsField(forms.MultipleChoiceField):
    """The notification kinds ticked; a value that is not a kind (a page left open across a
    release that renamed one) is dropped rather than refusing the whole save."""

    def to_python(self, value: object) -> list[str]:
        return [kind for kind in super().to_python(value) if self.valid_value(kind)]


class NotificationPreferencesForm(forms.Form):
    in_app = KnownKindsField(choices=NotificationKind.choices, required=False)
    email = KnownKindsField(choices=NotificationKind.choices, required=False)
