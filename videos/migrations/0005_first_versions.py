"""Videos rendered before versions existed get their current file as version 1."""

from django.db import migrations


def create_first_versions(apps, schema_editor):
    Video = apps.get_model("videos", "Video")
    VideoVersion = apps.get_model("videos", "VideoVersion")
    for video in Video.objects.filter(current_version__isnull=True).exclude(file=""):
        if VideoVersion.objects.filter(video=video).exists():
            continue
        version = VideoVersion.objects.create(
            video=video,
            number=1,
            kind="render",
            file=video.file.name,
            thumbnail=video.thumbnail.name,
            size=video.size or 0,
            duration=video.duration or 0,
            width=video.width or 0,
            height=video.height or 0,
            fps=video.fps,
            checksum=video.checksum,
            changes=[{"code": "rendered"}],
            fields=video.fields,
            title=video.title,
            author_id=video.created_by_id,
            created_at=video.rendered_at or video.updated_at,
        )
        Video.objects.filter(pk=video.pk).update(current_version=version)


class Migration(migrations.Migration):
    dependencies = [("videos", "0004_export_heartbeat")]

    operations = [migrations.RunPython(create_first_versions, migrations.RunPython.noop)]
