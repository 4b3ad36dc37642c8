"""Versions of a video's output: numbered 1, 2, 3… per video, never changed once written.

Every change to the output (render, branding, restore, upload) calls `version_create`, which
locks the video row, so concurrent workers get consecutive numbers (the unique constraint on
(video, number) is the backstop). Old versions are removed only by `retention_apply`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record
from billing import entitlements
from teams.permissions import ensure_can
from videos import storage
from videos.models import (
    BrandKit,
    ExportJob,
    ExportStatus,
    VersionKind,
    Video,
    VideoSettings,
    VideoStatus,
    VideoVersion,
)

from .version_changes import describe_changes, field_names

logger = logging.getLogger(__name__)

MB = 1024 * 1024


# -- creating versions --------------------------------------------------------------------------


def _copy_video_metadata(video: Video, version: VideoVersion) -> None:
    video.current_version = version
    video.file.name = version.file.name
    video.thumbnail.name = version.thumbnail.name
    video.width, video.height, video.fps = version.width, version.height, version.fps
    video.duration, video.size, video.checksum = version.duration, version.size, version.checksum
    video.status, video.progress = VideoStatus.READY, 100
    video.error_code = video.error_detail = ""


@transaction.atomic
def version_create(
    *,
    video: Video,
    kind: str,
    file_key: str,
    thumbnail_key: str,
    info: Any,
    author,
    changes: list[dict[str, Any]] | None = None,
    note: str = "",
    brand_kit: BrandKit | None = None,
    restored_from: VideoVersion | None = None,
    title: str | None = None,
    fields: dict | None = None,
    brand_kit_name: str | None = None,
    kit_deleted: str = "",
) -> VideoVersion:
    """Version N+1 of `video` with the given file; the video now points at it.

    `info` is MediaInfo-like (size, duration, width, height, fps, checksum). `changes` is
    worked out from the previous version when not given. `title`/`fields` default to the
    video's current ones (the snapshot the file was made from). `kit_deleted` names the
    previous version's kit when this file could not carry it because it was deleted.
    """
    if kind not in VersionKind.values:
        raise ValueError(f"Unknown version kind {kind!r}")
    # The row lock serialises version numbers per video across workers.
    video = (
        Video.objects.select_for_update(of=("self",))
        .select_related("template", "workspace")
        .get(pk=video.pk)
    )
    previous = VideoVersion.objects.filter(video=video).order_by("-number").first()
    number = (previous.number if previous else 0) + 1
    title = video.title if title is None else title
    fields = dict(video.fields if fields is None else fields)
    if brand_kit_name is None:
        brand_kit_name = brand_kit.name if brand_kit is not None else ""
    kit_name = brand_kit_name
    if changes is None:
        changes = describe_changes(
            previous=previous,
            kind=kind,
            title=title,
            fields=fields,
            info=info,
            brand_kit_name=kit_name,
            field_order=field_names(video),
            kit_deleted=kit_deleted,
        )
    version = VideoVersion.objects.create(
        video=video,
        number=number,
        kind=kind,
        file=file_key,
        thumbnail=thumbnail_key or "",
        size=int(info.size),
        duration=float(info.duration),
        width=int(info.width),
        height=int(info.height),
        fps=info.fps,
        checksum=info.checksum,
        changes=changes,
        note=(note or "").strip()[:500],
        fields=fields,
        title=title[:200],
        brand_kit_name=kit_name,
        restored_from=restored_from,
        author=author if getattr(author, "is_authenticated", False) else None,
    )
    _copy_video_metadata(video, version)
    video.brand_kit = brand_kit
    video.save()
    record(
        EventName.VIDEO_VERSION_CREATED,
        workspace=video.workspace,
        actor=author,
        subject=video,
        properties={
            "version": version.pk,
            "number": number,
            "kind": kind,
            "size": version.size,
            "changes": changes,
            "title": version.title,
        },
        idempotency_key=f"video.version_created:{version.pk}",
    )
    return version


def _copy_stored(key: str, *, workspace_id: int, kind: str) -> str:
    """A copy of a stored file under a new key (versions' files are never shared or reused)."""
    if not key:
        return ""
    with default_storage.open(key, "rb") as handle:
        return default_storage.save(
            storage.new_key(workspace_id, kind, Path(key).suffix.lower()), File(handle)
        )


def version_restore(*, video: Video, number: Any, actor, note: str = "") -> VideoVersion:
    """A new version made from version `number`: its file (copied to a new key), title and
    fields. Every earlier version stays as it is."""
    ensure_can(actor, video.workspace, "edit")
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    source = VideoVersion.objects.filter(video_id=video.pk, number=number).first()
    if source is None:
        raise Http404
    if Video.objects.filter(
        pk=video.pk, status__in=[VideoStatus.QUEUED, VideoStatus.RENDERING]
    ).exists():
        raise ValidationError(_("Wait until the current render has finished."))
    # Copy first (slow, outside the row lock); drop the copies if anything below fails.
    try:
        file_key = _copy_stored(source.file.name, workspace_id=video.workspace_id, kind="renders")
        thumb_key = _copy_stored(
            source.thumbnail.name, workspace_id=video.workspace_id, kind="thumbnails"
        )
    except OSError:
        logger.exception("restore of %s v%s could not copy its file", video.pk, number)
        raise ValidationError(
            _("The file of version %(number)s could not be copied. Please try again.")
            % {"number": number}
        ) from None
    try:
        with transaction.atomic():
            locked = Video.objects.select_for_update(of=("self",)).get(pk=video.pk)
            if locked.is_busy:
                raise ValidationError(_("Wait until the current render has finished."))
            kit = None
            if source.brand_kit_name:
                kit = BrandKit.objects.filter(
                    workspace_id=video.workspace_id, name=source.brand_kit_name
                ).first()
            # The video's title and fields go back to what the restored file was made from.
            Video.objects.filter(pk=video.pk).update(
                title=source.title or locked.title, fields=source.fields
            )
            version = version_create(
                video=locked,
                kind=VersionKind.RESTORE,
                file_key=file_key,
                thumbnail_key=thumb_key,
                info=source,
                author=actor,
                changes=[{"code": "restored", "from": source.number}],
                note=note,
                brand_kit=kit,
                restored_from=source,
                brand_kit_name=source.brand_kit_name,  # kept even if the kit was deleted since
                title=source.title,
                fields=source.fields,
            )
            record(
                EventName.VIDEO_VERSION_RESTORED,
                workspace=video.workspace,
                actor=actor,
                subject=version.video,
                properties={
                    "version": version.pk,
                    "number": version.number,
                    "from": source.number,
                    "from_version": source.pk,
                },
            )
    except BaseException:
        storage.delete_quietly(file_key, thumb_key)
        raise
    return version


# -- comparing ----------------------------------------------------------------------------------


def _author_name(version: VideoVersion) -> str:
    author = version.author
    return author.display_name if author is not None else ""


# The largest value the version number column holds on every database (a 32-bit integer).
MAX_VERSION_NUMBER = 2**31 - 1


def versions_compare(*, video: Video, a: Any, b: Any) -> dict[str, Any]:
    """The differences between versions `a` and `b` of `video` (one query).

    Bad or unknown numbers raise a ValidationError keyed by the parameter.
    """
    numbers: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for key, raw in (("a", a), ("b", b)):
        try:
            numbers[key] = int(str(raw).strip())
            if numbers[key] < 1:
                raise ValueError
        except (TypeError, ValueError):
            errors[key] = [_("Choose a version number (1, 2, 3…).")]
    if errors:
        raise ValidationError(errors)
    found = {
        v.number: v
        for v in VideoVersion.objects.filter(
            video_id=video.pk,
            # A number past the column's range is simply not a version (and would overflow it).
            number__in=[n for n in (numbers["a"], numbers["b"]) if n <= MAX_VERSION_NUMBER],
        ).select_related("author")
    }
    for key in ("a", "b"):
        if numbers[key] not in found:
            errors[key] = [_("This video has no version %(number)s.") % {"number": numbers[key]}]
    if errors:
        raise ValidationError(errors)
    if numbers["a"] == numbers["b"]:
        raise ValidationError({"b": [_("Choose two different versions to compare.")]})
    va, vb = found[numbers["a"]], found[numbers["b"]]
    names = set(va.fields or {}) | set(vb.fields or {})
    order = field_names(video)
    ordered = [*[n for n in order if n in names], *sorted(names - set(order))]
    fields_changed = [n for n in ordered if (va.fields or {}).get(n) != (vb.fields or {}).get(n)]
    size_a, size_b = round(va.size / MB, 2), round(vb.size / MB, 2)
    return {
        "a": va,
        "b": vb,
        "size_mb": {"a": size_a, "b": size_b, "difference": round(size_b - size_a, 2)},
        "duration_seconds": {
            "a": round(va.duration, 2),
            "b": round(vb.duration, 2),
            "difference": round(vb.duration - va.duration, 2),
        },
        "seconds_between": round((vb.created_at - va.created_at).total_seconds(), 1),
        "authors": {"a": _author_name(va), "b": _author_name(vb)},
        "title_changed": va.title != vb.title,
        "fields_changed": fields_changed,
        "resolution": {"a": f"{va.width}×{va.height}", "b": f"{vb.width}×{vb.height}"},
        "brand_kit": {"a": va.brand_kit_name, "b": vb.brand_kit_name},
        "same_file": va.checksum == vb.checksum,
    }


# -- retention ----------------------------------------------------------------------------------


def versions_to_keep(workspace) -> int:
    """The plan's allowance, lowered by the workspace's own setting."""
    allowed = entitlements.limit_for(workspace, "versions_per_video")
    wanted = (
        VideoSettings.objects.filter(workspace=workspace)
        .values_list("versions_to_keep", flat=True)
        .first()
    )
    return max(1, min(allowed, wanted)) if wanted else allowed


def _versions_used_by_exports(video_ids) -> set[int]:
    """Versions a queued or running batch export is reading."""
    used: set[int] = set()
    for ids in ExportJob.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING]
    ).values_list("version_ids", flat=True):
        used.update(int(i) for i in ids or [] if str(i).isdigit())
    return used


def _versions_used_by_scheduled_posts(video_ids) -> set[int]:
    """Versions a scheduled or publishing post will publish — protected from retention."""
    from videos.publishing.models import PlatformPost, PostStatus

    return set(
        PlatformPost.objects.filter(
            schedule__video_id__in=video_ids,
            status__in=[PostStatus.SCHEDULED, PostStatus.PUBLISHING],
            schedule__version__isnull=False,
        ).values_list("schedule__version_id", flat=True)
    )


def _versions_in_open_review(video: Video) -> set[int]:
    """Versions with an unresolved comment thread: deleting one would end a review midway."""
    from teams.models import Comment

    return set(
        Comment.objects.filter(
            version__video=video, parent__isnull=True, resolved_at__isnull=True
        ).values_list("version_id", flat=True)
    )


def retention_apply(*, now=None) -> int:
    """Delete versions beyond each workspace's allowance (rows and files); returns how many.

    Never the current version, one a queued/running export or a pending scheduled post
    uses, nor one with an unresolved comment thread. Each video is handled in its own
    transaction under its row lock; a video that is locked right now (a version being
    created) is left for the next run.
    """
    from django.db.models import Count

    now = now or timezone.now()
    crowded = (
        Video.objects.annotate(version_count=Count("versions"))
        .filter(version_count__gt=1)
        .select_related("workspace")
        .order_by("workspace_id", "pk")
    )
    keep_for: dict[int, int] = {}
    deleted = 0
    for video in crowded:
        if video.workspace_id not in keep_for:
            keep_for[video.workspace_id] = versions_to_keep(video.workspace)
        keep = keep_for[video.workspace_id]
        if video.version_count <= keep:
            continue
        deleted += _apply_to_video(video, keep=keep, now=now)
    return deleted


def _apply_to_video(video: Video, *, keep: int, now) -> int:
    with transaction.atomic():
        locked = (
            Video.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=video.pk)
            .first()
        )
        if locked is None:
            return 0
        versions = list(VideoVersion.objects.filter(video=locked).order_by("-number"))
        protected = {v.pk for v in versions[:keep]}
        if locked.current_version_id:
            protected.add(locked.current_version_id)
        protected |= _versions_used_by_exports([locked.pk])
        protected |= _versions_used_by_scheduled_posts([locked.pk])
        protected |= _versions_in_open_review(locked)
        doomed = [v for v in versions if v.pk not in protected]
        if not doomed:
            return 0
        kept_keys = {locked.file.name, locked.thumbnail.name}
        for v in versions:
            if v.pk in protected:
                kept_keys.update((v.file.name, v.thumbnail.name))
        keys = {k for v in doomed for k in (v.file.name, v.thumbnail.name) if k} - kept_keys
        VideoVersion.objects.filter(pk__in=[v.pk for v in doomed]).delete()
        for v in doomed:
            logger.info(
                "retention: deleted version %s of video %s (keeping %s)", v.number, locked.pk, keep
            )
            record(
                EventName.VIDEO_VERSION_DELETED,
                workspace=video.workspace,
                subject=locked,
                occurred_at=now,
                properties={
                    "version": v.pk,
                    "number": v.number,
                    "kind": v.kind,
                    "size": v.size,
                    "reason": "retention",
                    "keep": keep,
                },
                idempotency_key=f"video.version_deleted:{v.pk}",
            )
        transaction.on_commit(lambda: storage.delete_quietly(*sorted(keys)))
    return len(doomed)
