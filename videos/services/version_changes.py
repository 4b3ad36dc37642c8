"""What changed from one version of a video to the next: recorded as codes when a version is
made, put into words in the reader's language when it is shown."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from videos.fields import label
from videos.models import VersionKind, Video, VideoVersion

# Rendered lengths closer than this count as the same duration.
DURATION_TOLERANCE = 0.05


def field_names(video: Video) -> list[str]:
    """The template's field names in the template's order."""
    return [field["name"] for field in (video.template.fields or [])]


def describe_changes(
    *,
    previous: VideoVersion | None,
    kind: str,
    title: str,
    fields: dict,
    info: Any,
    brand_kit_name: str,
    field_order: list[str] | None = None,
    kit_deleted: str = "",
) -> list[dict[str, Any]]:
    """What changed since `previous`, as codes (turned into words by `change_texts`).

    `kit_deleted`: the previous version's kit, which this version lacks because it was
    deleted (said as such, not as a removal).
    """
    if kind == VersionKind.UPLOAD:
        return [{"code": "uploaded"}]
    if previous is None:
        changes: list[dict[str, Any]] = [{"code": "rendered"}]
        if brand_kit_name:
            changes.append({"code": "branding_applied", "kit": brand_kit_name})
        return changes
    changes = []
    if kind == VersionKind.BRANDING and brand_kit_name:
        changes.append({"code": "branding_applied", "kit": brand_kit_name})
    if title != previous.title:
        changes.append({"code": "title_changed"})
    order = list(field_order or [])
    names = set(fields) | set(previous.fields or {})
    for name in [*[n for n in order if n in names], *sorted(names - set(order))]:
        if (fields or {}).get(name) != (previous.fields or {}).get(name):
            changes.append({"code": "field_changed", "field": name})
    if abs(float(info.duration) - float(previous.duration)) >= DURATION_TOLERANCE:
        changes.append(
            {
                "code": "duration_changed",
                "from": round(float(previous.duration), 1),
                "to": round(float(info.duration), 1),
            }
        )
    if (int(info.width), int(info.height)) != (previous.width, previous.height):
        changes.append(
            {
                "code": "resolution_changed",
                "from": f"{previous.width}×{previous.height}",
                "to": f"{info.width}×{info.height}",
            }
        )
    if kind != VersionKind.BRANDING and brand_kit_name != previous.brand_kit_name:
        deleted = bool(kit_deleted) and kit_deleted == previous.brand_kit_name
        if deleted:
            changes.append({"code": "branding_kit_deleted", "kit": previous.brand_kit_name})
        if brand_kit_name:
            changes.append({"code": "branding_applied", "kit": brand_kit_name})
        elif not deleted:
            changes.append({"code": "branding_removed", "kit": previous.brand_kit_name})
    if not changes:
        changes.append({"code": "rerendered"})
    return changes


def change_texts(
    changes: list[dict[str, Any]], *, labels: dict[str, str] | None = None
) -> list[str]:
    """The change codes of a version as sentences in the active language."""
    labels = labels or {}
    texts = []
    for change in changes or []:
        code = change.get("code")
        if code == "rendered":
            texts.append(_("First render"))
        elif code == "rerendered":
            texts.append(_("Rendered again"))
        elif code == "uploaded":
            texts.append(_("Uploaded"))
        elif code == "title_changed":
            texts.append(_("Video name changed"))
        elif code == "field_changed":
            name = str(change.get("field", ""))
            texts.append(_("“%(field)s” changed") % {"field": labels.get(name, name)})
        elif code == "duration_changed":
            texts.append(
                _("Duration changed from %(from)s s to %(to)s s")
                % {"from": change.get("from"), "to": change.get("to")}
            )
        elif code == "resolution_changed":
            texts.append(
                _("Resolution changed from %(from)s to %(to)s")
                % {"from": change.get("from"), "to": change.get("to")}
            )
        elif code == "branding_applied":
            texts.append(_("Branding applied: %(kit)s") % {"kit": change.get("kit", "")})
        elif code == "branding_removed":
            texts.append(_("Branding removed: %(kit)s") % {"kit": change.get("kit", "")})
        elif code == "branding_kit_deleted":
            texts.append(
                _("Not branded with “%(kit)s”: that brand kit was deleted")
                % {"kit": change.get("kit", "")}
            )
        elif code == "restored":
            texts.append(_("Restored from version %(number)s") % {"number": change.get("from")})
        else:
            texts.append(_("Changed"))
    return texts


def field_labels(video: Video) -> dict[str, str]:
    """Field name → translated label for the video's template."""
    return {field["name"]: label(field) for field in (video.template.fields or [])}


def version_description(version: VideoVersion, *, labels: dict[str, str] | None = None) -> str:
    return "; ".join(change_texts(version.changes, labels=labels))
