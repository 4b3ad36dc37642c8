"""The feature-request board: requests, one vote per user per request, comments, who follows a
request (subscriptions), each real status change and the e-mails it sent.

A request's `vote_score` (up-votes minus down-votes) and `comment_count` (visible comments shown
on its page, those of requests merged into it included) are kept on the row, changed in the same
transaction as the vote or comment, so the board reads them without counting.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 5000
COMMENT_MAX_LENGTH = 5000
NOTE_MAX_LENGTH = 2000
SOURCE_NOTE_MAX_LENGTH = 300


class Category(models.TextChoices):
    UI_UX = "ui_ux", _("UI/UX")
    TEMPLATES = "templates", _("Templates")
    EDITING = "editing", _("Editing")
    PUBLISHING = "publishing", pgettext_lazy("feature request category", "Publishing")
    COLLABORATION = "collaboration", _("Collaboration")
    API = "api", _("API")
    INTEGRATIONS = "integrations", _("Integrations")
    BILLING = "billing", _("Billing")
    PERFORMANCE = "performance", pgettext_lazy("feature request category", "Performance")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    # Contexts: "Open" and the rest also name invoices' states, which read otherwise in
    # some languages ("unpaid").
    OPEN = "open", pgettext_lazy("feature request status", "Open")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SHIPPED = "shipped", _("Shipped")
    DECLINED = "declined", _("Declined")
    # Only through a merge: the request lives on in `merged_into`.
    MERGED = "merged", _("Merged")


# The statuses staff set by hand (merged comes from a merge).
SETTABLE_STATUSES = [s for s in Status if s != Status.MERGED]
# Requests still to decide on or build: what RICE prioritises.
ACTIVE_STATUSES = [Status.OPEN, Status.PLANNED, Status.IN_PROGRESS]


class VoteValue(models.IntegerChoices):
    UP = 1, _("Up")
    DOWN = -1, _("Down")


class FeatureRequest(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(
        _("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True, default=""
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feature_requests",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    # Denormalised: kept in step by the services, under the row's lock.
    vote_score = models.IntegerField(_("votes"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    # The public note of the latest status change, and when the status last changed.
    status_note = models.TextField(
        _("status note"), max_length=NOTE_MAX_LENGTH, blank=True, default=""
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_requests",
        verbose_name=_("merged into"),
    )
    # RICE (staff): Reach comes from the votes; the rest is set by hand.
    impact = models.PositiveSmallIntegerField(
        _("impact"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    confidence = models.DecimalField(
        _("confidence"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    effort = models.PositiveSmallIntegerField(
        _("effort"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )

    class Meta:
        verbose_name = _("feature request")
        verbose_name_plural = _("feature requests")
        indexes = [
            models.Index(fields=["status"], name="idx_feature_requests_status"),
            models.Index(fields=["-vote_score", "-id"], name="idx_feature_requests_votes"),
            models.Index(fields=["category"], name="idx_feature_requests_category"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(impact__isnull=True) | models.Q(impact__gte=1, impact__lte=10),
                name="feature_request_impact_1_10",
            ),
            models.CheckConstraint(
                condition=models.Q(effort__isnull=True) | models.Q(effort__gte=1, effort__lte=10),
                name="feature_request_effort_1_10",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | models.Q(confidence__gte=0, confidence__lte=1),
                name="feature_request_confidence_0_1",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None


class Vote(models.Model):
    request = models.ForeignKey(FeatureRequest, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feature_votes"
    )
    value = models.SmallIntegerField(_("vote"), choices=VoteValue.choices)
    # When it was cast or last changed: "trending" counts the last 14 days of these.
    voted_at = models.DateTimeField(default=timezone.now)
    # A vote staff added for a customer (from a support ticket or a call), and where from.
    on_behalf_of_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feature_votes_added",
        verbose_name=_("added by staff"),
    )
    source_note = models.CharField(
        _("source"), max_length=SOURCE_NOTE_MAX_LENGTH, blank=True, default=""
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["request", "user"], name="feature_vote_once_per_user"),
            models.CheckConstraint(
                condition=models.Q(value__in=[1, -1]), name="feature_vote_up_or_down"
            ),
        ]
        indexes = [models.Index(fields=["request", "voted_at"], name="idx_feature_votes_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.value:+d} #{self.request_id}"


class Comment(models.Model):
    request = models.ForeignKey(FeatureRequest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feature_comments",
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        indexes = [models.Index(fields=["request", "created_at"], name="idx_feature_comments")]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Subscription(models.Model):
    """Who hears about a request's status changes: made when they submit, vote or comment
    (never re-made by that once they unsubscribed), switched by them on its page."""

    request = models.ForeignKey(
        FeatureRequest, on_delete=models.CASCADE, related_name="subscriptions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feature_subscriptions"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "user"], name="feature_subscription_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows #{self.request_id}"


class StatusChange(models.Model):
    """A real change of a request's status (never from a status to itself), with its note."""

    request = models.ForeignKey(
        FeatureRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.request_id}: {self.from_status} → {self.to_status}"


class StatusEmail(models.Model):
    """The send log: one row per (status change, recipient); `emailed_at` once it went out."""

    change = models.ForeignKey(StatusChange, on_delete=models.CASCADE, related_name="emails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["change", "user"], name="feature_status_email_once")
        ]

    def __str__(self) -> str:
        return f"change {self.change_id} → user {self.user_id}"
