from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Team(models.Model):
    """A workspace. Videos, brand kits, accounts and the subscription belong here."""

    name = models.CharField(_("name"), max_length=100)
    is_personal = models.BooleanField(_("personal workspace"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="teams"
    )

    WORKSPACE_PATH = ""

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by"],
                condition=models.Q(is_personal=True),
                name="one_personal_workspace_per_user",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def workspace(self) -> "Team":
        # Lets the permission helper treat a Team like any workspace-owned object.
        return self


class Membership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["team", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_user_team")
        ]
        indexes = [models.Index(fields=["user", "team"], name="membership_user_team")]

    def __str__(self) -> str:
        return f"{self.user} — {self.team} ({self.get_role_display()})"


class Invitation(models.Model):
    """An e-mailed invitation to join a workspace. Only the token's sha256 is stored."""

    VALID_FOR_DAYS = 7

    workspace = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"),
        max_length=10,
        choices=[(value, label) for value, label in Role.choices if value != Role.OWNER],
        default=Role.VIEWER,
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "created_at"], name="invitation_workspace_created")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role=Role.OWNER), name="invitation_role_not_owner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.declined_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
