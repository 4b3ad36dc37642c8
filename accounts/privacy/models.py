"""The personal data export (a ZIP per request) and the record of a deleted account's e-mail."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DataExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


PENDING_STATUSES = (DataExportStatus.QUEUED, DataExportStatus.RUNNING)


class DataExport(models.Model):
    """One request for a person's data: a ZIP built by a task, downloadable by them for 7 days."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(
        max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    file = models.FileField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    file_count = models.PositiveIntegerField(default=0)  # stored files (videos) in the ZIP
    error_code = models.CharField(max_length=40, blank=True, default="")
    # The running claim's token (videocreator.leases); the worker (host:pid) is for display.
    token = models.UUIDField(null=True, blank=True, editable=False)
    worker = models.CharField(max_length=200, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    # Personal, not workspace-owned: the permission helper scopes it to its user.
    OWNER_PATH = "user"

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]
        constraints = [
            # One at a time: a second request gets the pending one.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["queued", "running"]),
                name="one_pending_data_export_per_user",
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="data_export_user_created"),
            models.Index(fields=["status", "expires_at"], name="data_export_status_expires"),
            models.Index(fields=["status", "heartbeat_at"], name="data_export_status_hb"),
        ]

    def __str__(self) -> str:
        return f"data export {self.pk} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == DataExportStatus.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class AccountDeletion(models.Model):
    """A deleted account, kept only to send its confirmation e-mail once: the address, language
    and time zone are blanked when the e-mail has gone out (`send_once`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(blank=True, default="")
    language = models.CharField(max_length=10, blank=True, default="")
    time_zone = models.CharField(max_length=64, blank=True, default="")
    deleted_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deleted account")
        verbose_name_plural = _("deleted accounts")
        ordering = ["-deleted_at"]

    def __str__(self) -> str:
        return f"account deleted {self.deleted_at:%Y-%m-%d %H:%M}"
