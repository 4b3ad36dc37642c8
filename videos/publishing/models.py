"""Imported by videos.models, so these are the videos app's models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videocreator.choices import choice_label


class PostStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    # A manual post whose time has come: its requester publishes it by hand, then says so.
    AWAITING = "awaiting", _("Waiting to be published by hand")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    # A manual post its requester did not (or could not) publish.
    SKIPPED = "skipped", _("Skipped")


class ScheduleStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    PARTIAL = "partial", _("Partially published")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


FINAL_POST_STATUSES = (
    PostStatus.PUBLISHED,
    PostStatus.FAILED,
    PostStatus.CANCELLED,
    PostStatus.SKIPPED,
)
# Posts that were not tried and not meant to be: a schedule of only these reports nothing.
CLOSED_POST_STATUSES = (PostStatus.CANCELLED, PostStatus.SKIPPED)


class PublishSchedule(models.Model):
    """One request to publish a video version on several platforms at one time."""

    workspace = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="publish_schedules"
    )
    video = models.ForeignKey("videos.Video", on_delete=models.CASCADE, related_name="schedules")
    # What goes out is the version current when the schedule was made; retention keeps it.
    version = models.ForeignKey(
        "videos.VideoVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish_at = models.DateTimeField(_("publish at"))
    time_zone = models.CharField(max_length=64, default="UTC")
    status = models.CharField(
        max_length=12, choices=ScheduleStatus.choices, default=ScheduleStatus.SCHEDULED
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("publishing schedule")
        verbose_name_plural = _("publishing schedules")
        ordering = ["-publish_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "publish_at"], name="schedule_ws_publish_at"),
        ]

    def __str__(self) -> str:
        return f"schedule {self.pk} of video {self.video_id}"

    @staticmethod
    def is_changeable(statuses) -> bool:
        """Cancel and reschedule are for schedules none of whose posts has started."""
        present = set(statuses)
        return bool(present) and present <= {PostStatus.SCHEDULED}

    def derived_status(self, statuses: list[str]) -> str:
        """The schedule's status from its posts' statuses."""
        present = set(statuses)
        if not present or present <= set(CLOSED_POST_STATUSES):
            return ScheduleStatus.CANCELLED
        if present & {PostStatus.PUBLISHING, PostStatus.AWAITING}:
            return ScheduleStatus.PUBLISHING
        if PostStatus.SCHEDULED in present:
            done = present & {PostStatus.PUBLISHED, PostStatus.FAILED}
            return ScheduleStatus.PUBLISHING if done else ScheduleStatus.SCHEDULED
        if present <= {PostStatus.PUBLISHED, *CLOSED_POST_STATUSES}:
            return ScheduleStatus.PUBLISHED
        if PostStatus.PUBLISHED in present:
            return ScheduleStatus.PARTIAL
        return ScheduleStatus.FAILED


class PlatformPost(models.Model):
    """The schedule's post on one platform. Claimed by one worker at a time (`lease`)."""

    schedule = models.ForeignKey(PublishSchedule, on_delete=models.CASCADE, related_name="posts")
    platform = models.CharField(_("platform"), max_length=12)
    account = models.ForeignKey(
        "integrations.ConnectedAccount", null=True, on_delete=models.SET_NULL, related_name="posts"
    )
    title = models.CharField(_("title"), max_length=200, blank=True, default="")
    caption = models.TextField(_("caption"), blank=True, default="")
    # Published by hand: at its time the requester is told (in the app and by e-mail, once:
    # `emailed_at`) and marks it published with its link, or skips it. No account needed.
    manual = models.BooleanField(_("publish by hand"), default=False)
    status = models.CharField(
        max_length=12, choices=PostStatus.choices, default=PostStatus.SCHEDULED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the dispatcher should take it next: the publish time, then each retry's time.
    next_attempt_at = models.DateTimeField()
    # The claim: a publish task must present this lease; a recovered post gets a new one.
    lease = models.UUIDField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Where a publisher got to (upload session, container id, media id): a retry resumes.
    progress = models.JSONField(default=dict, blank=True)
    remote_id = models.CharField(max_length=200, blank=True, default="")
    remote_url = models.URLField(max_length=500, blank=True, default="")
    last_error = models.TextField(blank=True, default="")
    published_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # The latest statistics (videos/performance.py), kept here for cheap reads; each poll also
    # leaves a PostSnapshot. `next_stats_at` null: not polled (not published, or deleted).
    views = models.BigIntegerField(null=True, blank=True)
    likes = models.BigIntegerField(null=True, blank=True)
    comments = models.BigIntegerField(null=True, blank=True)
    shares = models.BigIntegerField(null=True, blank=True)
    saves = models.BigIntegerField(null=True, blank=True)
    average_watch_seconds = models.FloatField(null=True, blank=True)
    impressions = models.BigIntegerField(null=True, blank=True)
    stats_taken_at = models.DateTimeField(null=True, blank=True)
    next_stats_at = models.DateTimeField(null=True, blank=True, db_index=True)
    stats_deleted = models.BooleanField(default=False)

    WORKSPACE_PATH = "schedule__workspace"

    class Meta:
        verbose_name = _("platform post")
        verbose_name_plural = _("platform posts")
        ordering = ["schedule", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "platform"], name="one_post_per_platform")
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="scheduled"),
                name="post_due",
            ),
            models.Index(
                fields=["started_at"],
                condition=models.Q(status="publishing"),
                name="post_publishing_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform} post of schedule {self.schedule_id} ({self.status})"

    @property
    def platform_label(self) -> str:
        """The platform's name as shown (the sandbox's says it is a test channel)."""
        from integrations.models import Platform

        return choice_label(Platform, self.platform)


class AttemptOutcome(models.TextChoices):
    PUBLISHED = "published", _("Published")
    RETRY = "retry", _("Failed; will retry")
    RATE_LIMITED = "rate_limited", _("Rate limited; will retry")
    NEEDS_RECONNECT = "needs_reconnect", _("Account needs reconnecting")
    FAILED = "failed", _("Failed")


class PublishAttempt(models.Model):
    """One try at publishing a post: what was sent and what came back (never tokens)."""

    post = models.ForeignKey(PlatformPost, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=AttemptOutcome.choices)
    requests = models.JSONField(default=list, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("publishing attempt")
        verbose_name_plural = _("publishing attempts")
        ordering = ["post", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number} of post {self.post_id}: {self.outcome}"


class PostSnapshot(models.Model):
    """A post's numbers at one time, as its platform reported them (None: not reported)."""

    post = models.ForeignKey(PlatformPost, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField()
    views = models.BigIntegerField(null=True, blank=True)
    likes = models.BigIntegerField(null=True, blank=True)
    comments = models.BigIntegerField(null=True, blank=True)
    shares = models.BigIntegerField(null=True, blank=True)
    saves = models.BigIntegerField(null=True, blank=True)
    average_watch_seconds = models.FloatField(null=True, blank=True)
    impressions = models.BigIntegerField(null=True, blank=True)

    WORKSPACE_PATH = "post__schedule__workspace"

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")
        ordering = ["post", "taken_at"]
        indexes = [models.Index(fields=["post", "taken_at"], name="snapshot_post_taken_at")]

    def __str__(self) -> str:
        return f"snapshot of post {self.post_id} at {self.taken_at:%Y-%m-%d %H:%M}"
