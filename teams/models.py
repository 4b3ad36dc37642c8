from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .naming import NAME_MAX_LENGTH, personal_workspace_name


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    EDITOR = "editor", _("Editor")
    VIEWER = "viewer", _("Viewer")


class Team(models.Model):
    """A workspace. Videos, brand kits, accounts and the subscription belong here."""

    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    is_personal = models.BooleanField(_("personal workspace"), default=False)
    # Whom a personal workspace is named after while it keeps its first name: it is then shown
    # as "<person>'s workspace" in the reader's language (`display_name`), and `name` keeps it
    # in the language of sign-up. Empty for team workspaces and once renamed.
    named_after = models.CharField(max_length=NAME_MAX_LENGTH, blank=True, default="")
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
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name to show, in the active language."""
        if self.is_personal and self.named_after:
            return personal_workspace_name(self.named_after)
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
    # When the member last chose this workspace: a new session opens in it.
    last_used_at = models.DateTimeField(null=True, blank=True)

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
    # When its e-mail was last handed to a worker (created, resent or re-issued); empty when no
    # e-mail was meant (the invitee turned invitation e-mails off). The lost-e-mail sweep counts
    # from here, so a message still waiting in a busy queue is not superseded again and again.
    email_queued_at = models.DateTimeField(null=True, blank=True)
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


class Comment(models.Model):
    """A review comment on one video version, at a position (and optionally a range).

    Replies point at their parent (any depth) and at their thread's first comment, so a
    whole version's threads load in one query and resolving applies to a thread.
    """

    MAX_LENGTH = 5000

    workspace = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="comments")
    # Comments stay with the version they were made on, never moving to a newer one.
    version = models.ForeignKey(
        "videos.VideoVersion", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=MAX_LENGTH)
    time_ms = models.PositiveIntegerField(_("at (ms)"))
    end_ms = models.PositiveIntegerField(_("until (ms)"), null=True, blank=True)
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CommentMention", related_name="+", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["time_ms", "created_at", "id"]
        indexes = [
            models.Index(fields=["version", "created_at"], name="comment_version_created"),
            # A version's threads in reading order, a chunk at a time (teams.selectors).
            models.Index(
                fields=["version", "time_ms", "created_at", "id"],
                condition=models.Q(parent__isnull=True),
                name="comment_version_threads",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_ms__isnull=True) | models.Q(end_ms__gt=models.F("time_ms")),
                name="comment_range_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, thread__isnull=True)
                | models.Q(parent__isnull=False, thread__isnull=False),
                name="comment_reply_has_thread",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on version {self.version_id}"

    def get_absolute_url(self) -> str:
        # The URL name is the contract with the videos app, which owns the page; `thread`
        # makes the page show this comment's thread even when it is not among the first.
        version = self.version
        return (
            reverse("videos:version", args=[version.video_id, version.number])
            + f"?thread={self.thread_id or self.pk}#comment-{self.pk}"
        )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class CommentMention(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="mention_rows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="one_mention_per_user")
        ]

    def __str__(self) -> str:
        return f"@{self.user_id} in comment {self.comment_id}"


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mentions")
    REPLY = "reply", _("Replies to my comments")
    INVITATION = "invitation", _("Invitations")
    REVIEW = "review", _("Review decisions")
    PUBLISHING = "publishing", _("Posts to publish by hand")


class Notification(models.Model):
    """Something a user should know about. The text is rendered from `params` when shown,
    so it is always in the reader's current language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=NotificationKind.choices)
    # One notification per recipient and cause: a retried service never notifies twice.
    key = models.CharField(max_length=80)
    workspace = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    in_app = models.BooleanField(default=True)
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    OWNER_PATH = "recipient"

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_cause")
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_new"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True, in_app=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_wanted=True, emailed_at__isnull=True),
                name="notification_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Which notifications a user wants, in the app and by e-mail. Missing row = all on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    in_app = models.JSONField(default=dict, blank=True)
    email = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"notification preferences of {self.user_id}"

    def wants(self, kind: str, channel: str) -> bool:
        return bool(getattr(self, channel).get(kind, True))
