import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventSource(models.TextChoices):
    """Who wrote an event: the server (domain events) or a client through the batch API."""

    SERVER = "server", _("server")
    CLIENT = "client", _("client")


class Event(models.Model):
    """One domain event. The log is the outbox that later features read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=100)
    workspace = models.ForeignKey(
        "teams.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    anonymous_id = models.CharField(max_length=64, blank=True, default="")
    subject_type = models.CharField(max_length=100, blank=True, default="")
    subject_id = models.CharField(max_length=64, blank=True, default="")
    properties = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Lets a caller that may run twice (a retried task) record an event only once.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    # Client events (the batch API) are kept apart: read() gives consumers server events only.
    source = models.CharField(
        max_length=10, choices=EventSource.choices, default=EventSource.SERVER
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["name", "occurred_at"], name="event_name_time"),
            models.Index(fields=["actor", "occurred_at"], name="event_actor_time"),
            models.Index(fields=["workspace", "occurred_at"], name="event_workspace_time"),
            # Consumers that keep up with the log by windows (webhooks' fan-out).
            models.Index(fields=["recorded_at"], name="event_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker host ran the heartbeat task."""

    hostname = models.CharField(max_length=255, unique=True)
    last_seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.hostname


# -- tracking: visitors, page views, touches (README.md "Tracking and consent") ----------------

TEXT_MAX = 200  # a UTM value
URL_PART_MAX = 500  # a path, a referrer's host and path


class Visitor(models.Model):
    """One browser, known by the first-party `vc_vid` cookie; linked to the person who signs in
    on it (several browsers may belong to one person; a browser to the last one who signed in)."""

    id = models.UUIDField(primary_key=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # Deleting a person forgets their browsers; the page views stay, unlinked.
        on_delete=models.CASCADE,
        related_name="+",
    )
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("visitor")
        verbose_name_plural = _("visitors")
        ordering = ["-last_seen"]
        indexes = [models.Index(fields=["user", "last_seen"], name="visitor_user_seen")]

    def __str__(self) -> str:
        return str(self.id)


class PageView(models.Model):
    """One HTML page shown to a visitor who allows tracking: the path without its query, the
    UTM parameters of the URL, and the referring page when it is another site."""

    # The visitor's id as text, like Event.anonymous_id: a page view is written with one INSERT,
    # whether or not the visitor's row is there yet (README.md, "per-request cost").
    anonymous_id = models.CharField(max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    path = models.CharField(_("path"), max_length=URL_PART_MAX)
    referrer = models.CharField(_("referrer"), max_length=URL_PART_MAX, blank=True, default="")
    utm_source = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    utm_medium = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    utm_campaign = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    utm_term = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    utm_content = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    # Arrived with UTM parameters or from another site: a candidate for a user's latest touch.
    is_touch = models.BooleanField(default=False)
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("page view")
        verbose_name_plural = _("page views")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["anonymous_id", "at"], name="pageview_visitor_at"),
            models.Index(fields=["user", "at"], name="pageview_user_at"),
            models.Index(fields=["at"], name="pageview_at"),
        ]

    def __str__(self) -> str:
        return f"{self.path} @ {self.at:%Y-%m-%d %H:%M:%S}"


class DailyPageCount(models.Model):
    """Page views of people who did not allow tracking: a count per path and UTC day, nothing
    about who. A path's views on a day are these plus its PageView rows."""

    day = models.DateField(_("day"))
    path = models.CharField(_("path"), max_length=URL_PART_MAX)
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("daily page count")
        verbose_name_plural = _("daily page counts")
        ordering = ["-day", "path"]
        constraints = [
            models.UniqueConstraint(fields=["day", "path"], name="daily_page_count_day_path")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.path}: {self.count}"


class UserTouch(models.Model):
    """Where a person came from: the first page their browsers showed, and the latest visit that
    arrived with UTM parameters or from another site (kept up to date at each sign-in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="touch"
    )
    first_source = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    first_medium = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    first_campaign = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    first_term = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    first_content = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    first_referrer = models.CharField(max_length=URL_PART_MAX, blank=True, default="")
    first_landing_path = models.CharField(max_length=URL_PART_MAX, blank=True, default="")
    first_at = models.DateTimeField(_("first touch at"))
    latest_source = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    latest_medium = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    latest_campaign = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    latest_term = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    latest_content = models.CharField(max_length=TEXT_MAX, blank=True, default="")
    latest_referrer = models.CharField(max_length=URL_PART_MAX, blank=True, default="")
    latest_landing_path = models.CharField(max_length=URL_PART_MAX, blank=True, default="")
    latest_at = models.DateTimeField(_("latest touch at"))

    class Meta:
        verbose_name = _("user touch")
        verbose_name_plural = _("user touches")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.first_source or '-'} → {self.latest_source or '-'}"
