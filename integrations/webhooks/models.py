"""Endpoints a workspace sends its events to, and one delivery per (event, endpoint).

A delivery's body is fixed when it is made: every retry, resend and recovery sends the same
bytes under the same `webhook-id`, so receivers can deduplicate.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integrations.fields import EncryptedTextField

RESPONSE_EXCERPT_CHARS = 2048


class EndpointStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")  # deliveries are made and held until it resumes
    DISABLED = "disabled", _("Disabled")  # no new deliveries


class EndpointKind(models.TextChoices):
    ENDPOINT = "endpoint", _("Endpoint")
    HOOK = "hook", _("REST hook")  # subscribed by Zapier or Make through /api/v1/hooks/


class DisabledReason(models.TextChoices):
    GONE = "gone", _("The receiver answered 410 Gone.")
    FAILING = "failing", _("Every delivery failed for five days.")
    BY_USER = "by_user", _("Disabled by an administrator.")


class Endpoint(models.Model):
    WORKSPACE_PATH = "workspace"

    workspace = models.ForeignKey(
        "teams.Team", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=EndpointKind.choices, default=EndpointKind.ENDPOINT
    )
    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=300, blank=True, default="")
    # Webhook event types ("video.created"); empty means every type.
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EndpointStatus.choices, default=EndpointStatus.ACTIVE
    )
    disabled_reason = models.CharField(
        max_length=10, choices=DisabledReason.choices, blank=True, default=""
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    # The disabled-for-failing e-mail to the workspace's admins (accounts.emails.send_once).
    emailed_at = models.DateTimeField(null=True, blank=True)
    secret = EncryptedTextField()
    # After a rotation the old secret signs alongside the new one until it expires.
    previous_secret = EncryptedTextField(blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    # Extra request headers, as encrypted JSON: they often carry the receiver's own credentials.
    headers_json = EncryptedTextField(blank=True, default="")
    # The last sequence number given to one of its deliveries.
    last_sequence = models.PositiveBigIntegerField(default=0)
    # Since when every attempt has failed (cleared by a success); five days of it disable it.
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["workspace", "status"], name="webhook_endpoint_ws")]

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # waiting for its first try or a retry
    SENDING = "sending", _("Sending")  # a worker holds it
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")  # every retry used, or its endpoint was disabled


def new_delivery_id() -> uuid.UUID:
    return uuid.uuid4()


class Delivery(models.Model):
    """One event for one endpoint. Its id, as `msg_<hex>`, is the `webhook-id` header."""

    id = models.UUIDField(primary_key=True, default=new_delivery_id, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    # The event in the log (analytics.Event); none for a test event.
    event_id = models.UUIDField(null=True, blank=True)
    event_type = models.CharField(_("event"), max_length=50)
    # What the event is about ("videos.video:12"): the previous delivery for the same subject
    # to the same endpoint is named in the payload, so a receiver can restore order.
    subject_key = models.CharField(max_length=170, blank=True, default="")
    sequence = models.PositiveBigIntegerField()
    body = models.TextField()  # the exact JSON that is signed and sent, every time
    is_test = models.BooleanField(default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    token = models.UUIDField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=200, blank=True, default="")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True, default="")
    last_error = models.CharField(max_length=300, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"],
                condition=models.Q(event_id__isnull=False),
                name="webhook_delivery_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["endpoint", "sequence"], name="webhook_delivery_sequence"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
            models.Index(
                fields=["endpoint", "subject_key", "-sequence"], name="webhook_delivery_subject"
            ),
            models.Index(fields=["endpoint", "status"], name="webhook_delivery_ep_status"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"

    @property
    def message_id(self) -> str:
        return message_id(self.pk)


def message_id(delivery_id: uuid.UUID) -> str:
    return f"msg_{delivery_id.hex}"


class DeliveryAttempt(models.Model):
    """One HTTP try of a delivery, as its endpoint's page shows it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    attempted_at = models.DateTimeField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response = models.TextField(blank=True, default="")
    error = models.CharField(max_length=300, blank=True, default="")
    succeeded = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["delivery", "number", "pk"]

    def __str__(self) -> str:
        return f"#{self.number} {self.status_code or self.error}"


class FannedOutEvent(models.Model):
    """An event of the log that fan-out has handled (made its deliveries, or found none due).

    The consumer's own record of what it processed (analytics.events' rule), under the event's
    id: a second fan-out of the same event finds it here and makes nothing.
    """

    event_id = models.UUIDField(primary_key=True)
    recorded_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("fanned-out event")
        verbose_name_plural = _("fanned-out events")

    def __str__(self) -> str:
        return str(self.event_id)


class FanOutLock(models.Model):
    """One row that every fan-out locks first, so sequence numbers are given out one run at a
    time (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers anyway)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    ran_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("fan-out lock")
        verbose_name_plural = _("fan-out lock")

    def __str__(self) -> str:
        return f"fan-out lock (last run {self.ran_at})"
