"""Videos: create, edit, render, brand, delete, version, review, export — and brand kits.

Callers import the package (`from videos import services`) and use the names listed here;
the submodules are how the package is organised, not an interface.

Every write checks the actor's role and the plan's entitlements first, so a
refused request changes nothing. Rendering and exports run in tasks; a job is claimed
under a row lock, so two workers never run the same job.
"""

from .brand_kits import brand_kit_create, brand_kit_delete, brand_kit_set_default, brand_kit_update
from .editing import render_error_message, video_create, video_delete, video_update
from .exports import (
    export_cancel,
    export_create,
    export_run,
    export_send_ready_email,
    exports_expire,
)
from .jobs import (
    MAX_RENDER_ATTEMPTS,
    RENDER_TIMEOUT_SECONDS,
    deleted_brand_kit_name,
    kit_for_render,
    render_job_run,
    render_minutes_used,
    requeue_stuck_jobs,
    video_apply_branding,
    video_render,
)
from .review import version_review
from .uploads import (
    AUDIO_MAX_BYTES,
    CLIP_MAX_BYTES,
    CLIP_MAX_SECONDS,
    IMAGE_MAX_BYTES,
    has_video_slot,
    validate_audio,
    validate_clip,
    validate_image,
)
from .version_changes import change_texts, field_labels, version_description
from .versions import (
    retention_apply,
    version_create,
    version_restore,
    versions_compare,
    versions_to_keep,
)

__all__ = [
    "AUDIO_MAX_BYTES",
    "CLIP_MAX_BYTES",
    "CLIP_MAX_SECONDS",
    "IMAGE_MAX_BYTES",
    "MAX_RENDER_ATTEMPTS",
    "RENDER_TIMEOUT_SECONDS",
    "brand_kit_create",
    "brand_kit_delete",
    "brand_kit_set_default",
    "brand_kit_update",
    "change_texts",
    "deleted_brand_kit_name",
    "export_cancel",
    "export_create",
    "export_run",
    "export_send_ready_email",
    "exports_expire",
    "field_labels",
    "has_video_slot",
    "kit_for_render",
    "render_error_message",
    "render_job_run",
    "render_minutes_used",
    "requeue_stuck_jobs",
    "retention_apply",
    "validate_audio",
    "validate_clip",
    "validate_image",
    "version_create",
    "version_description",
    "version_restore",
    "version_review",
    "versions_compare",
    "versions_to_keep",
    "video_apply_branding",
    "video_create",
    "video_delete",
    "video_render",
    "video_update",
]
