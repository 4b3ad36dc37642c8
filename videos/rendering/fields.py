"""A template's fields list (``Template.fields``): checking it and resolving values for render().

The format is described in spec.py's docstring (section *Fields*).
"""

from __future__ import annotations

import re
from typing import Any

FIELD_TYPES = ("text", "color", "number", "numbers", "image", "logo", "audio")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_FIELD_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_fields(fields: Any) -> None:
    """Check a template's fields list; raises ValueError naming the first problem."""
    if not isinstance(fields, list):
        raise ValueError("fields: must be a list")
    seen: set[str] = set()
    allowed = {"name", "type", "label", "required", "default", "help"}
    extra = {
        "text": {"max_length", "multiline"},
        "number": {"min", "max"},
        "numbers": {"min", "max", "max_items"},
    }
    for i, field in enumerate(fields):
        path = f"fields[{i}]"
        if not isinstance(field, dict):
            raise ValueError(f"{path}: must be an object")
        name = field.get("name")
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"{path}.name: must be lower_snake_case, up to 40 characters")
        if name in seen:
            raise ValueError(f"{path}.name: {name!r} is used twice")
        seen.add(name)
        kind = field.get("type")
        if kind not in FIELD_TYPES:
            raise ValueError(f"{path}.type: must be one of {', '.join(FIELD_TYPES)}")
        unknown = sorted(set(field) - allowed - extra.get(kind, set()))
        if unknown:
            raise ValueError(f"{path}: unknown key(s) {', '.join(unknown)} for a {kind} field")
        if not isinstance(field.get("label"), str) or not field["label"].strip():
            raise ValueError(f"{path}.label: an English label is required")
        if "help" in field and not isinstance(field["help"], str):
            raise ValueError(f"{path}.help: must be a string")
        if not isinstance(field.get("required", False), bool):
            raise ValueError(f"{path}.required: must be true or false")
        for key in ("max_length", "max_items"):
            if key in field and (
                not isinstance(field[key], int) or isinstance(field[key], bool) or field[key] < 1
            ):
                raise ValueError(f"{path}.{key}: must be a positive integer")
        for key in ("min", "max"):
            if key in field and (
                isinstance(field[key], bool) or not isinstance(field[key], int | float)
            ):
                raise ValueError(f"{path}.{key}: must be a number")
        if "min" in field and "max" in field and field["min"] > field["max"]:
            raise ValueError(f"{path}: min is greater than max")
        if "multiline" in field and not isinstance(field["multiline"], bool):
            raise ValueError(f"{path}.multiline: must be true or false")
        _check_default(path, field)


def _check_default(path: str, field: dict) -> None:
    kind, default = field["type"], field.get("default")
    where = f"{path}.default"
    if kind in ("image", "logo", "audio"):
        if default is not None:
            raise ValueError(f"{where}: a {kind} field has no default")
        return
    if default is None:
        if field.get("required") and kind != "numbers":
            raise ValueError(f"{where}: a required {kind} field needs a default")
        return
    if kind == "text":
        if not isinstance(default, str):
            raise ValueError(f"{where}: must be a string")
        if len(default) > field.get("max_length", 10_000):
            raise ValueError(f"{where}: longer than max_length")
    elif kind == "color":
        if not isinstance(default, str) or not _FIELD_COLOR.match(default):
            raise ValueError(f'{where}: must be "#rrggbb"')
    elif kind == "number":
        _check_number(where, default, field)
    elif kind == "numbers":
        if not isinstance(default, list) or not default:
            raise ValueError(f"{where}: must be a non-empty list of numbers")
        if len(default) > field.get("max_items", 1000):
            raise ValueError(f"{where}: more than max_items numbers")
        for j, value in enumerate(default):
            _check_number(f"{where}[{j}]", value, field)


def _check_number(where: str, value: Any, field: dict) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{where}: must be a number")
    if "min" in field and value < field["min"]:
        raise ValueError(f"{where}: below min")
    if "max" in field and value > field["max"]:
        raise ValueError(f"{where}: above max")


def resolve_fields(fields: list[dict], values: dict[str, object] | None) -> dict[str, object]:
    """The values render() expects: what was entered, coerced to the field's type, else the default.

    Missing or unusable values take the field's default. A text field set to "" stays empty (its
    layers are left out), numbers are clamped to min/max, lists are cut to max_items, and file
    fields (image, logo, audio) keep whatever the caller put there (a local path) or None.
    """
    values = values or {}
    resolved: dict[str, object] = {}
    for field in fields:
        name, kind, default = field["name"], field["type"], field.get("default")
        value = values.get(name)
        if kind in ("image", "logo", "audio"):
            resolved[name] = value if isinstance(value, str) and value else None
        elif kind == "text":
            text = default if value is None else str(value)
            resolved[name] = (text or "")[: field.get("max_length", 10_000)]
        elif kind == "color":
            ok = isinstance(value, str) and _FIELD_COLOR.match(value)
            resolved[name] = value.lower() if ok else default
        elif kind == "number":
            resolved[name] = _clamp(_to_number(value), field, default)
        elif kind == "numbers":
            items = value
            if isinstance(value, str):
                items = [part for part in re.split(r"[,;\s]+", value) if part]
            numbers = (
                [_to_number(item) for item in items] if isinstance(items, list | tuple) else []
            )
            numbers = [_clamp(n, field, None) for n in numbers if n is not None]
            resolved[name] = (
                numbers[: field.get("max_items", 1000)] if numbers else list(default or [])
            )
    return resolved


def _to_number(value: Any) -> float | int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _clamp(value: float | int | None, field: dict, default: Any) -> Any:
    if value is None or value != value:  # None or NaN
        return default
    if "min" in field:
        value = max(field["min"], value)
    if "max" in field:
        value = min(field["max"], value)
    return value
