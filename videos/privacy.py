"""What videos holds about a person, for accounts.privacy (listed in `PRIVACY_PROVIDERS`): the
videos they made, with their files, for the ZIP; and, when their account is deleted, everything
in the workspaces that go with it (teams.privacy.workspaces_leaving_with), through the same
services the pages use, so the stored files are deleted too.

Videos a person made in a workspace they leave belong to that workspace: they stay (their
`created_by` becomes empty) and are not in the ZIP once the person has left.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.db.models import Prefetch

from accounts.privacy.providers import ExportEntry
from teams.models import Membership
from teams.privacy import workspaces_leaving_with

from . import storage
from .models import BrandKit, ExportJob, Video, VideoVersion
from .services import brand_kit_delete, video_delete
from .services.zips import zip_names


def _videos_made_by(user):
    """Videos `user` created, in the workspaces they still belong to."""
    versions = VideoVersion.objects.order_by("number").only(
        "video_id", "number", "kind", "size", "created_at", "author_id", "file"
    )
    return (
        Video.objects.filter(
            created_by=user, workspace__in=Membership.objects.filter(user=user).values("team")
        )
        .select_related("template", "workspace", "current_version")
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("created_at", "pk")
    )


def _file_key(video: Video) -> str:
    if video.file:
        return video.file.name
    return video.current_version.file.name if video.current_version_id else ""


def privacy_export(*, user) -> list[ExportEntry]:
    videos = list(_videos_made_by(user))
    with_files = [video for video in videos if _file_key(video)]
    names = zip_names([(f"{v.pk} {v.title}", _file_key(v)) for v in with_files])
    file_names = {video.pk: f"videos/{name}" for video, name in zip(with_files, names, strict=True)}

    def rows() -> Iterator[dict]:
        for v in videos:
            yield {
                "id": v.pk,
                "workspace_id": v.workspace_id,
                "workspace": v.workspace.name,
                "title": v.title,
                "template": v.template.key,
                "fields": v.fields,
                "duration_seconds": v.duration_seconds,
                "resolution": v.resolution,
                "status": v.status,
                "width": v.width,
                "height": v.height,
                "size": v.size,
                "created_at": v.created_at,
                "updated_at": v.updated_at,
                "rendered_at": v.rendered_at,
                "file_in_this_zip": file_names.get(v.pk),
                "versions": [
                    {
                        "number": version.number,
                        "kind": version.kind,
                        "size": version.size,
                        "created_at": version.created_at,
                        "made_by_you": version.author_id == user.pk,
                    }
                    for version in v.versions.all()
                ],
            }

    files = [ExportEntry(file_names[v.pk], key=_file_key(v)) for v in with_files]
    return [ExportEntry("videos.json", rows=rows()), *files]


@transaction.atomic
def privacy_erase(*, user) -> None:
    """Empty the workspaces that go with `user`: videos (with every version's file and upload),
    brand kits and their logos, export ZIPs."""
    leaving = workspaces_leaving_with(user)
    for video in Video.objects.filter(workspace__in=leaving).order_by("pk"):
        video_delete(video=video, actor=user)
    logos = []
    for kit in BrandKit.objects.filter(workspace__in=leaving).order_by("pk"):
        logos.append(kit.logo.name)
        brand_kit_delete(brand_kit=kit, actor=user)
    exports = ExportJob.objects.filter(workspace__in=leaving)
    zips = [key for key in exports.values_list("file", flat=True) if key]
    exports.delete()
    keys = logos + zips
    transaction.on_commit(lambda: storage.delete_quietly(*keys))
