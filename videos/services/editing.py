"""Creating, editing and deleting videos; the role and plan checks they share with rendering."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from billing import entitlements
from teams.models import Team
from teams.permissions import ensure_can
from videos import storage
from videos.fields import clean_fields
from videos.models import (
    Resolution,
    Template,
    Video,
    VideoVersion,
)

from .uploads import check_uploads, removed_on_failure, store_clip, store_files

logger = logging.getLogger(__name__)


def render_error_message(code: str) -> str:
    """Why a render failed, translated, for the page and the API."""
    messages = {
        "ffmpeg_failed": _("The video could not be encoded. Please try again."),
        "bad_input": _("One of the uploaded files could not be read as a video or image."),
        "font_missing": _("A text uses characters no installed font can show."),
        "timeout": _("Rendering took too long and was stopped."),
        "storage": _("The finished video could not be stored. Please try again."),
        "attempts": _("Rendering failed several times; please check the fields and try again."),
    }
    return messages.get(code, _("Rendering failed. Please try again."))


# -- checks ---------------------------------------------------------------------------------


def check_template_allowed(workspace: Team, template: Template) -> None:
    """Refuse a retired template, or a Pro one on a plan without Pro templates."""
    if not template.is_active:
        raise ValidationError(_("This template is no longer available."))
    if template.is_pro:
        entitlements.require_feature(workspace, "pro_templates")


def check_resolution(workspace: Team, resolution: int) -> int:
    """The resolution, if it is one we render and the workspace's plan allows it."""
    if resolution not in Resolution.values:
        raise ValidationError(_("Choose 720p or 1080p."))
    if resolution == Resolution.FULL_HD:
        entitlements.require_feature(workspace, "output_1080p")
    return resolution


def _check_duration(template: Template, duration: Any) -> int:
    try:
        seconds = int(duration)
    except (TypeError, ValueError):
        raise ValidationError(_("The duration must be a whole number of seconds.")) from None
    if not template.min_duration <= seconds <= template.max_duration:
        raise ValidationError(
            _("The duration must be between %(min)s and %(max)s seconds.")
            % {"min": template.min_duration, "max": template.max_duration}
        )
    return seconds


# -- videos ---------------------------------------------------------------------------------


@transaction.atomic
def video_create(
    *,
    workspace: Team,
    template: Template,
    title: str,
    actor,
    fields: dict | None = None,
    duration: int | None = None,
    resolution: int = Resolution.HD,
    files: dict[str, UploadedFile] | None = None,
    source_clip: UploadedFile | None = None,
) -> Video:
    ensure_can(actor, workspace, "create")
    check_template_allowed(workspace, template)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the video a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("The title can be at most 200 characters long.")})
    seconds = _check_duration(template, template.duration if duration is None else duration)
    resolution = check_resolution(workspace, int(resolution or Resolution.HD))
    values = clean_fields(template, fields or {}, workspace_id=workspace.pk)
    check_uploads(template, files or {}, source_clip)
    stored = store_files(workspace, files or {})
    clip_key = store_clip(workspace, source_clip)
    with removed_on_failure(*stored.values(), clip_key):
        video = Video.objects.create(
            workspace=workspace,
            template=template,
            title=title,
            fields={**values, **stored},
            duration_seconds=seconds,
            resolution=resolution,
            source_clip=clip_key,
            created_by=actor,
        )
        Template.objects.filter(pk=template.pk).update(usage_count=F("usage_count") + 1)
        record(
            EventName.VIDEO_CREATED,
            workspace=workspace,
            actor=actor,
            subject=video,
            properties={"template": template.key, "duration": seconds, "title": title},
        )
        record(
            EventName.TEMPLATE_USED,
            workspace=workspace,
            actor=actor,
            subject=template,
            properties={"video": video.pk},
        )
    return video


@transaction.atomic
def video_update(
    *,
    video: Video,
    actor,
    title: str | None = None,
    fields: dict | None = None,
    duration: int | None = None,
    resolution: int | None = None,
    files: dict[str, UploadedFile] | None = None,
    source_clip: UploadedFile | None = None,
) -> Video:
    ensure_can(actor, video.workspace, "edit")
    video = (
        Video.objects.select_for_update(of=("self",))
        .select_related("template", "workspace")
        .get(pk=video.pk)
    )
    if video.is_busy:
        raise ValidationError(_("Wait until the current render has finished."))
    template = video.template
    if title is not None:
        title = title.strip()
        if not title:
            raise ValidationError({"title": _("Give the video a title.")})
        video.title = title[:200]
    if fields is not None or files:
        values = clean_fields(
            template, fields or {}, partial_base=video.fields, workspace_id=video.workspace_id
        )
    if duration is not None:
        video.duration_seconds = _check_duration(template, duration)
    if resolution is not None:
        video.resolution = check_resolution(video.workspace, int(resolution))
    check_uploads(template, files or {}, source_clip)
    # Everything is valid: only now store the uploads.
    stored = store_files(video.workspace, files or {})
    if fields is not None or files:
        video.fields = {**values, **stored}
    if source_clip is not None:
        video.source_clip = store_clip(video.workspace, source_clip)
        stored["source_clip"] = video.source_clip.name
    with removed_on_failure(*stored.values()):
        video.save()
        record(EventName.VIDEO_UPDATED, workspace=video.workspace, actor=actor, subject=video)
    return video


@transaction.atomic
def video_delete(*, video: Video, actor) -> None:
    ensure_can(actor, video.workspace, "delete")
    video = Video.objects.select_for_update().get(pk=video.pk)
    keys = [video.file.name, video.thumbnail.name, video.source_clip.name]
    for file_key, thumb_key in VideoVersion.objects.filter(video=video).values_list(
        "file", "thumbnail"
    ):
        keys += [file_key, thumb_key]
    keys = list(dict.fromkeys(keys))
    keys += [
        v for name, v in video.fields.items() if isinstance(v, str) and v.startswith("workspaces/")
    ]
    record(
        EventName.VIDEO_DELETED,
        workspace=video.workspace,
        actor=actor,
        properties={"video": video.pk, "title": video.title},
    )
    video.delete()
    transaction.on_commit(lambda: storage.delete_quietly(*keys))
