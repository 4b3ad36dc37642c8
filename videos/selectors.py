"""Reads for the videos pages, the API and dashboards — each with a fixed number of queries."""

from __future__ import annotations

import time
from pathlib import Path

from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

from accounts.http import absolute_url
from teams.models import Team

from . import storage
from .filenames import filename_stem
from .models import (
    BrandKit,
    Category,
    ExportJob,
    ExportStatus,
    Template,
    TemplateTier,
    Video,
    VideoStatus,
    VideoVersion,
)

TEMPLATE_ORDERINGS = {
    "popular": ("-usage_count", "key"),
    "recent": ("-created_at", "key"),
    "duration": ("duration", "key"),
    "-duration": ("-duration", "key"),
    "name": ("name", "key"),
}
DEFAULT_TEMPLATE_ORDERING = "popular"

# -- templates --------------------------------------------------------------------------------


def template_library(
    *,
    category: str | None = None,
    tag: str | None = None,
    tier: str | None = None,
    search: str | None = None,
    ordering: str | None = None,
) -> QuerySet[Template]:
    """Active templates, filtered and sorted; unknown filter values are ignored."""
    templates = Template.objects.filter(is_active=True)
    if category in Category.values:
        templates = templates.filter(category=category)
    if tier in TemplateTier.values:
        templates = templates.filter(tier=tier)
    tag = clean_tag(tag)
    if tag:
        # Tags are a JSON list of lower-case words; matching the quoted word works on every
        # database (PostgreSQL's jsonb and SQLite's JSON text alike).
        templates = templates.filter(tags__icontains=f'"{tag}"')
    # Tags are shown as "#reel": a search typed that way means the word.
    search = (search or "").strip().lstrip("#").strip()
    if search:
        templates = templates.filter(
            Q(name__icontains=search)
            | Q(name_en__icontains=search)
            | Q(description__icontains=search)
            | Q(tags__icontains=search.strip('"'))
        )
    order = TEMPLATE_ORDERINGS.get(ordering or "", TEMPLATE_ORDERINGS[DEFAULT_TEMPLATE_ORDERING])
    return templates.order_by(*order)


def clean_tag(tag: str | None) -> str:
    """A tag as stored: lower case, without quotes or the "#" it is shown with."""
    return (tag or "").strip().strip('"').lstrip("#").strip().lower()


def template_tags() -> list[str]:
    """Every tag used by an active template, for the tag suggestions."""
    tags: set[str] = set()
    for row in Template.objects.filter(is_active=True).values_list("tags", flat=True):
        tags.update(str(tag) for tag in row or [])
    return sorted(tags)


# -- videos -----------------------------------------------------------------------------------


# A list names a video's template; the template's own large JSON is not read for that.
TEMPLATE_JSON_DEFERRED = ("template__spec", "template__fields", "template__description")
CARD_DEFERRED = (
    "fields",
    "error_detail",
    *TEMPLATE_JSON_DEFERRED,
    "current_version__changes",
    "current_version__fields",
)


def videos_filtered(
    videos: QuerySet[Video], *, search: str | None = None, status: str | None = None
) -> QuerySet[Video]:
    """`videos` whose title contains `search` (any case) and with `status`, newest first; an
    unknown status is ignored. The pages and the API both filter here.

    On PostgreSQL the title search is served by the trigram index `video_title_trgm` (migration
    0010), built on the very expression Django writes for `icontains`: `UPPER(title::text)`.
    """
    search = (search or "").strip()
    if search:
        videos = videos.filter(title__icontains=search)
    if status in VideoStatus.values:
        videos = videos.filter(status=status)
    return videos.order_by("-created_at", "-id")


def videos_for_workspace(
    *, workspace: Team, search: str | None = None, status: str | None = None
) -> QuerySet[Video]:
    """The workspace's videos, newest first, with their template in the same query.

    A card shows the title, thumbnail, status and template name: the JSON columns (the video's
    fields, the template's spec and fields, the version's changes) stay in the database.
    """
    videos = (
        Video.objects.filter(workspace=workspace)
        .select_related("template", "current_version")
        .defer(*CARD_DEFERRED)
    )
    return videos_filtered(videos, search=search, status=status)


def recent_videos(*, workspace: Team, limit: int = 6) -> list[Video]:
    return list(videos_for_workspace(workspace=workspace)[:limit])


def brand_kits_for_workspace(*, workspace: Team) -> QuerySet[BrandKit]:
    return BrandKit.objects.filter(workspace=workspace).order_by("-is_default", "name", "id")


def exports_for_workspace(*, workspace: Team, limit: int) -> QuerySet[ExportJob]:
    """The workspace's latest exports, newest first (the model's ordering)."""
    return ExportJob.objects.filter(workspace=workspace)[:limit]


def video_versions(*, video: Video) -> list[VideoVersion]:
    """Every version of a video, newest first, with its author: one query however many."""
    return list(
        VideoVersion.objects.filter(video_id=video.pk).select_related("author").order_by("-number")
    )


def video_version(*, video: Video, number: int) -> VideoVersion | None:
    return (
        VideoVersion.objects.filter(video_id=video.pk, number=number)
        .select_related("author")
        .first()
    )


# -- links to stored files ----------------------------------------------------------------------

FILE_SALT = "videos.file"
FILE_URL_LIFETIME = 60 * 60  # a link stays valid for one to two hours
SERVABLE_PREFIXES = ("workspaces/", "templates/")


def file_url(key: str, *, download_name: str | None = None) -> str:
    """A time-limited link to a stored file, or "" when there is no file.

    On S3 this is a presigned URL. On local disk it is a signed link to our own streaming
    view: media is not served publicly, and the link cannot be guessed or kept forever.
    The caller has already checked that the user may see the file. Links stay the same for
    up to an hour so browsers can cache thumbnails.
    """
    if not key:
        return ""
    if not storage.is_local():
        if download_name:
            from django.core.files.storage import default_storage

            return default_storage.url(
                key,
                parameters={
                    "ResponseContentDisposition": content_disposition_header(True, download_name)
                },
            )
        return storage.url(key)
    expires = (int(time.time()) // FILE_URL_LIFETIME + 2) * FILE_URL_LIFETIME
    payload = {"k": key, "e": expires}
    if download_name:
        payload["n"] = download_name
    token = signing.dumps(payload, salt=FILE_SALT, compress=True)
    return reverse("videos:file", args=[token])


def public_file_url(key: str) -> str:
    """`file_url` as an absolute address, for a platform that downloads the file itself."""
    from django.conf import settings

    url = file_url(key)
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def read_file_token(token: str) -> dict | None:
    """The payload of a link made by `file_url`, or None when it is forged or expired."""
    try:
        payload = signing.loads(token, salt=FILE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("k"), str):
        return None
    if int(payload.get("e", 0)) < time.time():
        return None
    if not payload["k"].startswith(SERVABLE_PREFIXES) or ".." in Path(payload["k"]).parts:
        return None
    return payload


def download_name(video: Video) -> str:
    """The title as a file name, every script's letters and marks kept (videos.filenames)."""
    suffix = Path(video.file.name).suffix or ".mp4"
    return f"{filename_stem(video.title)}{suffix}"


# -- batch export downloads ---------------------------------------------------------------------

EXPORT_SALT = "videos.export"
# SigV4 presigned URLs live at most 7 days.
PRESIGNED_MAX_SECONDS = 7 * 24 * 60 * 60


def download_filename(export: ExportJob) -> str:
    return f"videos-{timezone.localtime(export.created_at):%Y-%m-%d}-{str(export.pk)[:8]}.zip"


def download_url(export: ExportJob) -> str:
    """The link to a ready export, valid until it expires; "" when there is none.

    S3: a presigned URL (SigV4 allows at most 7 days). Local disk: an absolute, signed link
    to our own view, which checks the signature, the expiry and the export's state.
    """
    if export.status != ExportStatus.READY or not export.file or export.expires_at is None:
        return ""
    seconds = int((export.expires_at - timezone.now()).total_seconds())
    if seconds <= 0:
        return ""
    if not storage.is_local():
        from django.core.files.storage import default_storage

        return default_storage.url(
            export.file.name,
            expire=min(seconds, PRESIGNED_MAX_SECONDS),
            parameters={
                "ResponseContentDisposition": content_disposition_header(
                    True, download_filename(export)
                )
            },
        )
    token = signing.dumps(
        {"x": str(export.pk), "e": int(export.expires_at.timestamp())}, salt=EXPORT_SALT
    )
    return absolute_url("videos:export_download", token)


def read_download_token(token: str) -> ExportJob | None:
    """The ready, unexpired export a signed link points at, or None."""
    try:
        payload = signing.loads(token, salt=EXPORT_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or int(payload.get("e", 0)) < time.time():
        return None
    export = ExportJob.objects.filter(pk=payload.get("x"), status=ExportStatus.READY).first()
    if export is None or not export.file or export.expires_at is None:
        return None
    if export.expires_at <= timezone.now():
        return None
    return export


def exports_to_email() -> QuerySet[ExportJob]:
    """Ready exports whose requester can be e-mailed the link (has an address)."""
    return (
        ExportJob.objects.select_related("requested_by__profile", "workspace")
        .filter(status=ExportStatus.READY, requested_by__isnull=False)
        .exclude(requested_by__email="")
    )
