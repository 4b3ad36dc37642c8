import hashlib
import json
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from videos.models import Template

# Previews play the template's shortest timeline (its scenes are timed in percentages),
# small and at a low frame rate, so setup stays quick.
PREVIEW_FPS = 12
PREVIEW_HEIGHT = 360  # the short side, px


# Spec keys the render does not read: changing them leaves the preview as it is.
NOT_RENDERED = {"logo_safe_area"}


def spec_hash(template: Template) -> str:
    spec = {key: value for key, value in template.spec.items() if key not in NOT_RENDERED}
    payload = json.dumps([spec, template.fields], sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()


class Command(BaseCommand):
    help = (
        "Render each template's thumbnail and short preview clip from the template itself, "
        "with its default field values. Skips templates whose preview is up to date."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Render even if up to date.")
        parser.add_argument("--dry-run", action="store_true", help="List what would render.")
        parser.add_argument("keys", nargs="*", help="Only these template keys.")

    def handle(self, *args, force: bool, dry_run: bool, keys: list[str], **options) -> None:
        from videos.rendering import RenderError, RenderRequest, output_size, render, resolve_fields

        templates = Template.objects.filter(is_active=True)
        if keys:
            templates = templates.filter(key__in=keys)
            missing = set(keys) - set(templates.values_list("key", flat=True))
            if missing:
                raise CommandError(f"Unknown template keys: {', '.join(sorted(missing))}")
        rendered = skipped = failed = 0
        for template in templates:
            wanted = spec_hash(template)
            if not force and template.preview and template.preview_spec_hash == wanted:
                skipped += 1
                continue
            if dry_run:
                self.stdout.write(f"would render {template.key}")
                rendered += 1
                continue
            width, height = output_size(template.aspect_ratio, PREVIEW_HEIGHT)
            with tempfile.TemporaryDirectory(prefix="preview-") as scratch:
                clip = Path(scratch) / "preview.mp4"
                thumb = Path(scratch) / "thumbnail.jpg"
                try:
                    render(
                        RenderRequest(
                            spec=template.spec,
                            fields=resolve_fields(template.fields, {}),
                            duration=float(template.min_duration),
                            width=width,
                            height=height,
                            fps=PREVIEW_FPS,
                            output_path=str(clip),
                            thumbnail_path=str(thumb),
                            work_dir=scratch,
                        )
                    )
                except RenderError as error:
                    failed += 1
                    self.stderr.write(f"{template.key}: {error.code} {error.detail}")
                    continue
                with open(clip, "rb") as clip_file, open(thumb, "rb") as thumb_file:
                    # New names every time: an old preview's URL never shows the new one.
                    template.preview.save(f"preview-{wanted[:12]}.mp4", File(clip_file), save=False)
                    template.thumbnail.save(
                        f"thumb-{wanted[:12]}.jpg", File(thumb_file), save=False
                    )
            template.preview_spec_hash = wanted
            template.save(update_fields=["preview", "thumbnail", "preview_spec_hash"])
            rendered += 1
            self.stdout.write(f"rendered {template.key} ({width}×{height})")
        verb = "Would render" if dry_run else "Rendered"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {rendered}; {skipped} up to date; {failed} failed.")
        )
        if failed:
            raise CommandError(f"{failed} preview(s) failed to render.")
