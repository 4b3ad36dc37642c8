"""A template's named fields: defaults, validation and translated errors.

Values are JSON-friendly: text and colours are strings, numbers are numbers,
`numbers` is a list, images and logos are storage keys of uploaded files.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from videocreator.nul import contains_nul, nul_message

from . import storage
from .models import Template

COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
FILE_TYPES = {"image", "logo", "audio"}


def label(field: dict) -> str:
    """The field's label in the active language (labels are msgids in our catalogs)."""
    return _(field.get("label") or field["name"])


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError
    return int(number) if number.is_integer() else number


def _check_bounds(field: dict, name: str, numbers: list) -> None:
    """Every number within the field's declared min and max (either may be left out)."""
    low, high = field.get("min"), field.get("max")
    if all((low is None or n >= low) and (high is None or n <= high) for n in numbers):
        return
    if low is not None and high is not None:
        message = _("%(field)s must be between %(min)s and %(max)s.")
    elif low is not None:
        message = _("%(field)s must be at least %(min)s.")
    else:
        message = _("%(field)s must be at most %(max)s.")
    raise ValidationError(message % {"field": name, "min": low, "max": high})


def _clean_one(field: dict, value: Any) -> Any:
    kind = field["type"]
    name = label(field)
    if kind == "text":
        if not isinstance(value, str):
            raise ValidationError(_("%(field)s must be text.") % {"field": name})
        value = value.strip()
        limit = field.get("max_length")
        if limit and len(value) > limit:
            raise ValidationError(
                _("%(field)s can be at most %(limit)s characters long.")
                % {"field": name, "limit": limit}
            )
        return value
    if kind == "color":
        if not isinstance(value, str) or not COLOR_RE.match(value.strip()):
            raise ValidationError(_("%(field)s must be a colour like #1a2b3c.") % {"field": name})
        return value.strip().lower()
    if kind == "number":
        try:
            number = _number(value)
        except (TypeError, ValueError):
            raise ValidationError(_("%(field)s must be a number.") % {"field": name}) from None
        _check_bounds(field, name, [number])
        return number
    if kind == "numbers":
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ValidationError(
                _("%(field)s must be a list of numbers separated by commas.") % {"field": name}
            )
        try:
            numbers = [_number(item) for item in items if str(item).strip() != ""]
        except (TypeError, ValueError):
            raise ValidationError(
                _("%(field)s must be a list of numbers separated by commas.") % {"field": name}
            ) from None
        limit = field.get("max_items")
        if limit and len(numbers) > limit:
            raise ValidationError(
                _("%(field)s can have at most %(limit)s numbers.") % {"field": name, "limit": limit}
            )
        if any(n < 0 for n in numbers):
            raise ValidationError(_("%(field)s cannot contain negative numbers.") % {"field": name})
        _check_bounds(field, name, numbers)
        return numbers
    if kind in FILE_TYPES:
        if value is None or isinstance(value, str):
            return value
        raise ValidationError(_("%(field)s must be an uploaded image.") % {"field": name})
    raise ValidationError(_("Unknown field type %(type)s.") % {"type": kind})


def _check_file_key(field: dict, key: Any, *, workspace_id: int | None, current: Any) -> None:
    """A file field given as a storage key: the one the video already holds, or a file uploaded
    to the same workspace; never another workspace's (it would be read at the next render)."""
    if not key or key == current or storage.is_upload_of(key, workspace_id):
        return
    raise ValidationError(
        _("%(field)s must be a file uploaded to this workspace.") % {"field": label(field)}
    )


def clean_fields(
    template: Template,
    values: dict[str, Any],
    *,
    partial_base: dict | None = None,
    workspace_id: int | None = None,
):
    """Validate `values` against the template; missing fields take their defaults.

    With `partial_base` (an update), missing fields keep the video's current values. A file
    field's key must be one of `workspace_id`'s uploads or the value it already has.
    Raises a ValidationError with one message per field; unknown names list the valid ones.
    """
    if not isinstance(values, dict):
        raise ValidationError(_("Fields must be an object of name → value."))
    by_name = {field["name"]: field for field in template.fields}
    unknown = sorted(set(values) - set(by_name))
    if unknown:
        raise ValidationError(
            {
                "fields": _("Unknown field(s): %(unknown)s. Valid fields: %(valid)s.")
                % {"unknown": ", ".join(unknown), "valid": ", ".join(by_name)}
            }
        )
    base = partial_base or {}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, field in by_name.items():
        if name in values:
            value = values[name]
            if contains_nul(value):  # PostgreSQL cannot store it: refused before any upload
                errors[name] = [nul_message()]
                continue
        elif name in base:
            cleaned[name] = base[name]
            continue
        else:
            value = field.get("default")
        if isinstance(value, str) and not value.strip():
            value = ""  # only spaces: as good as empty (a required text stays required)
        if value in (None, "") and field["type"] not in FILE_TYPES:
            if field.get("required"):
                errors[name] = [_("%(field)s is required.") % {"field": label(field)}]
                continue
            # An optional text the creator cleared stays empty (its layer is left out);
            # a field never sent takes the template's default.
            cleared = name in values and field["type"] == "text"
            cleaned[name] = "" if cleared else field.get("default")
            continue
        try:
            cleaned[name] = _clean_one(field, value)
            if field["type"] in FILE_TYPES:
                _check_file_key(
                    field, cleaned[name], workspace_id=workspace_id, current=base.get(name)
                )
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def file_field_names(template: Template) -> list[str]:
    return [field["name"] for field in template.fields if field["type"] in FILE_TYPES]
