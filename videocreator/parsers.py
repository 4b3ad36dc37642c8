"""The API's JSON parser: refuses bodies nested too deeply before parsing them.

Python's json module recurses once per level of `[` or `{`, so a 2 KB body of a thousand
brackets raises RecursionError (a 500) deep inside the parser. The nesting is measured
first with a flat scan that skips string literals, and anything deeper than
MAX_JSON_DEPTH is a 400 in the API's error shape.
"""

from __future__ import annotations

import io
import re

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

MAX_JSON_DEPTH = 64

# A string literal (escapes included; an unterminated one runs to the end) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text opens more than `limit` arrays or objects inside each other.

    Only counts: it does not validate. Brackets inside strings are not counted.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for token in _TOKENS.finditer(text):
        char = token.group()[0]
        if char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def too_deep_message() -> str:
    return _("The JSON is nested too deeply (at most %(limit)d levels).") % {
        "limit": MAX_JSON_DEPTH
    }


class JSONParser(parsers.JSONParser):
    """DRF's JSONParser, after a check of the nesting depth."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read() if stream is not None else b""
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            text = ""  # DRF's own parser refuses it, with its own message
        if json_depth_exceeds(text):
            raise exceptions.ParseError(too_deep_message())
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError(too_deep_message()) from error
