"""Local files behind signed, expiring links (what S3's presigned URLs are on local disk).

Byte ranges are served too, so browsers can seek in a video (Safari plays nothing without).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.views.decorators.http import require_GET

from .. import selectors

# What the file view may send inline; anything else is sent as a download.
INLINE_TYPES = {
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 256 * 1024


@require_GET
def stored_file(request: HttpRequest, token: str) -> HttpResponse:
    """Streams a local file behind a signed, expiring link made by selectors.file_url."""
    payload = selectors.read_file_token(token)
    if payload is None:
        raise Http404
    key = payload["k"]
    try:
        handle = default_storage.open(key, "rb")
        size = default_storage.size(key)
    except OSError:
        raise Http404 from None
    suffix = Path(key).suffix.lower()
    content_type = INLINE_TYPES.get(suffix, "application/octet-stream")
    inline = suffix in INLINE_TYPES and not payload.get("n")
    wanted = _range(request.headers.get("Range", ""), size)
    if wanted is None:
        response = FileResponse(
            handle,
            as_attachment=not inline,
            filename=payload.get("n") or Path(key).name,
            content_type=content_type,
        )
    elif wanted == ():
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        start, end = wanted
        response = StreamingHttpResponse(
            _read(handle, start, end), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _range(header: str, size: int) -> tuple[int, int] | tuple[()] | None:
    """(start, end) of a single `bytes=` range; () if it cannot be served; None: whole file."""
    match = RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    else:  # the last N bytes
        start, end = max(0, size - int(last)), size - 1
    return (start, end) if start <= end else ()


def _read(handle, start: int, end: int) -> Iterator[bytes]:
    with handle:
        handle.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
