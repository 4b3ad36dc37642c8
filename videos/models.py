import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from videos.storage import safe_suffix


class Category(models.TextChoices):
    SOCIAL = "social", _("Social media")
    EDUCATION = "education", _("Education")
    MARKETING = "marketing", _("Marketing")
    BUSINESS = "business", _("Business")
    BRAND = "brand", _("Brand")


class AspectRatio(models.TextChoices):
    VERTICAL = "9:16", _("Vertical (9:16)")
    WIDE = "16:9", _("Widescreen (16:9)")
    SQUARE = "1:1", _("Square (1:1)")


class TemplateTier(models.TextChoices):
    FREE = "free", _("Free")
    PRO = "pro", _("Pro")


def _template_media_path(instance: "Template", filename: str) -> str:
    return f"templates/{instance.key}/{uuid.uuid4().hex}{safe_suffix(filename)}"


class Template(models.Model):
    """A video design: layers bound to named fields, rendered by videos.rendering."""

    key = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    tags = models.JSONField(default=list, blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=TemplateTier.choices)
    duration = models.PositiveSmallIntegerField(_("duration (seconds)"))
    min_duration = models.PositiveSmallIntegerField()
    max_duration = models.PositiveSmallIntegerField()
    aspect_ratio = models.CharField(max_length=5, choices=AspectRatio.choices)
    spec = models.JSONField(help_text=_("Background, layers, timing and animations."))
    fields = models.JSONField(default=list, help_text=_("The fields a creator fills in."))
    usage_count = models.PositiveIntegerField(default=0)
    thumbnail = models.FileField(upload_to=_template_media_path, blank=True)
    preview = models.FileField(upload_to=_template_media_path, blank=True)
    # The spec version the preview was rendered from; a new spec renders a new preview.
    preview_spec_hash = models.CharField(max_length=64, blank=True, default="")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("template")
        verbose_name_plural = _("templates")
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_duration__lte=models.F("duration"))
                & Q(duration__lte=models.F("max_duration")),
                name="template_duration_in_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pro(self) -> bool:
        return self.tier == TemplateTier.PRO

    def field_names(self) -> list[str]:
        return [field["name"] for field in self.fields]


class VideoStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Rendering")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Resolution(models.IntegerChoices):
    HD = 720, "720p"
    FULL_HD = 1080, "1080p"


def video_upload_path(instance: "Video", filename: str) -> str:
    return f"workspaces/{instance.workspace_id}/uploads/{uuid.uuid4().hex}{safe_suffix(filename)}"


class Video(models.Model):
    workspace = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="videos")
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="videos")
    title = models.CharField(_("title"), max_length=200)
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    duration_seconds = models.PositiveSmallIntegerField(_("duration (seconds)"))
    resolution = models.PositiveSmallIntegerField(
        _("resolution"), choices=Resolution.choices, default=Resolution.HD
    )
    source_clip = models.FileField(_("your clip"), upload_to=video_upload_path, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VideoStatus.choices, default=VideoStatus.DRAFT
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    error_code = models.CharField(max_length=40, blank=True, default="")
    error_detail = models.TextField(blank=True, default="")
    # The rendered output. Every render writes a new key; nothing is overwritten.
    file = models.FileField(max_length=300, blank=True)
    thumbnail = models.FileField(max_length=300, blank=True)
    width = models.PositiveSmallIntegerField(null=True, blank=True)
    height = models.PositiveSmallIntegerField(null=True, blank=True)
    fps = models.FloatField(null=True, blank=True)
    duration = models.FloatField(null=True, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    checksum = models.CharField(max_length=64, blank=True, default="")
    brand_kit = models.ForeignKey(
        "videos.BrandKit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The kit applied to the current file, if any."),
    )
    current_version = models.ForeignKey(
        "videos.VideoVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("videos")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"], name="video_ws_created"),
            # The API's list of all the caller's workspaces: newest first across workspaces.
            models.Index(fields=["-created_at", "-id"], name="video_created"),
            # The list filtered by status, newest first (and any (workspace, status) lookup).
            models.Index(
                fields=["workspace", "status", "-created_at"], name="video_ws_status_created"
            ),
            # PostgreSQL also has video_title_trgm for the title search: see migration 0010.
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_busy(self) -> bool:
        return self.status in (VideoStatus.QUEUED, VideoStatus.RENDERING)


class RenderJobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RenderJobKind(models.TextChoices):
    RENDER = "render", _("Render")
    BRANDING = "branding", _("Apply branding")


class RenderJob(models.Model):
    """One render (or branding) of a video. A video has at most one active job."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=10, choices=RenderJobKind.choices)
    status = models.CharField(
        max_length=10, choices=RenderJobStatus.choices, default=RenderJobStatus.QUEUED
    )
    brand_kit = models.ForeignKey(
        "videos.BrandKit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # The running claim's token (videocreator.leases); the worker (host:pid) is for display.
    token = models.UUIDField(null=True, blank=True, editable=False)
    worker = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error_code = models.CharField(max_length=40, blank=True, default="")
    seconds = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("render job")
        verbose_name_plural = _("render jobs")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["video"],
                condition=Q(status__in=["queued", "running"]),
                name="one_active_job_per_video",
            )
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="renderjob_status_hb")]

    def __str__(self) -> str:
        return f"{self.kind} {self.video_id} ({self.status})"


class LogoPosition(models.TextChoices):
    TOP_LEFT = "top-left", _("Top left")
    TOP_RIGHT = "top-right", _("Top right")
    BOTTOM_LEFT = "bottom-left", _("Bottom left")
    BOTTOM_RIGHT = "bottom-right", _("Bottom right")
    CENTER = "center", _("Centre")


def brand_logo_path(instance: "BrandKit", filename: str) -> str:
    return f"workspaces/{instance.workspace_id}/brand/{uuid.uuid4().hex}{safe_suffix(filename)}"


class BrandKit(models.Model):
    workspace = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="brand_kits")
    name = models.CharField(_("name"), max_length=100)
    logo = models.FileField(_("logo"), upload_to=brand_logo_path, max_length=300)
    position = models.CharField(
        _("position"),
        max_length=12,
        choices=LogoPosition.choices,
        default=LogoPosition.BOTTOM_RIGHT,
    )
    opacity = models.PositiveSmallIntegerField(
        _("opacity (%)"), default=80, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    scale = models.FloatField(
        _("size (share of the video width)"),
        default=0.15,
        validators=[MinValueValidator(0.05), MaxValueValidator(0.30)],
    )
    margin = models.PositiveSmallIntegerField(
        _("margin (pixels)"), default=24, validators=[MaxValueValidator(500)]
    )
    is_default = models.BooleanField(_("apply to every new render"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("brand kit")
        verbose_name_plural = _("brand kits")
        ordering = ["-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace"],
                condition=Q(is_default=True),
                name="one_default_brand_kit_per_workspace",
            ),
            models.CheckConstraint(condition=Q(opacity__lte=100), name="brandkit_opacity_range"),
            models.CheckConstraint(
                condition=Q(scale__gte=0.05) & Q(scale__lte=0.30), name="brandkit_scale_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class VersionKind(models.TextChoices):
    RENDER = "render", _("Render")
    BRANDING = "branding", _("Branding")
    RESTORE = "restore", _("Restore")
    UPLOAD = "upload", _("Upload")


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class VideoVersion(models.Model):
    """One output of a video. Its file and content never change after creation; only the
    review decision (who approved it or asked for changes, and when) is updated."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=VersionKind.choices)
    file = models.FileField(max_length=300)
    thumbnail = models.FileField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField()
    duration = models.FloatField()
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    fps = models.FloatField(null=True, blank=True)
    checksum = models.CharField(max_length=64)
    # What changed, as data (rendered translated): [{"code": "field_changed", "field": "title"}…]
    changes = models.JSONField(default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True, default="")
    fields = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200, blank=True, default="")
    brand_kit_name = models.CharField(max_length=100, blank=True, default="")
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    review_state = models.CharField(
        _("review"), max_length=20, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=1000, blank=True, default="")

    WORKSPACE_PATH = "video__workspace"

    class Meta:
        verbose_name = _("video version")
        verbose_name_plural = _("video versions")
        ordering = ["video", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["video", "number"], name="one_number_per_video_version")
        ]

    def __str__(self) -> str:
        return f"{self.video_id} v{self.number}"


class VideoSettings(models.Model):
    """Per-workspace video settings; a workspace may keep fewer versions than its plan allows."""

    workspace = models.OneToOneField(
        "teams.Team", on_delete=models.CASCADE, related_name="video_settings"
    )
    versions_to_keep = models.PositiveSmallIntegerField(
        _("versions to keep per video"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: as many as the plan allows."),
    )

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("video settings")
        verbose_name_plural = _("video settings")

    def __str__(self) -> str:
        return str(self.workspace)


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class ExportJob(models.Model):
    """A ZIP of several videos, built by a task and downloadable for 7 days."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    video_ids = models.JSONField(default=list)
    # The exact versions exported (protected from retention while the export runs).
    version_ids = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    file_count = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    file = models.FileField(max_length=300, blank=True)
    cancel_requested = models.BooleanField(default=False)
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

    WORKSPACE_PATH = "workspace"

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="export_status_expires"),
            models.Index(fields=["status", "heartbeat_at"], name="export_status_heartbeat"),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)


# Scheduling and publishing live in their own package; importing them here makes them this
# app's models.
from .publishing.models import (  # noqa: E402, F401
    PlatformPost,
    PostSnapshot,
    PostStatus,
    PublishAttempt,
    PublishSchedule,
    ScheduleStatus,
)
