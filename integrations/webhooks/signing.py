"""Secrets and signatures: Standard Webhooks' headers, and the seed's simpler ones.

- `webhook-signature`: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the secret's
  decoded bytes, made by the `standardwebhooks` library itself; during a rotation's 24 hours the
  old secret's signature follows the new one, space-separated, as the specification allows.
- `X-Webhook-Signature`: the hex HMAC-SHA256 of the body alone, keyed with the secret exactly
  as shown (`whsec_…`, UTF-8), for receivers that only know that scheme; during a rotation the
  old secret's is in `X-Webhook-Signature-Previous`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks import Webhook

from .models import Endpoint

SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix, not a secret)
SECRET_BYTES = 32
ROTATION_OVERLAP = dt.timedelta(hours=24)

# Custom headers: a token name (RFC 9110), a value without line breaks, and never one of ours.
HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$")
HEADERS_MAX = 10
HEADER_VALUE_MAX = 1000
RESERVED_HEADERS = frozenset(
    {
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "x-webhook-signature",
        "x-webhook-signature-previous",
        "x-webhook-event",
        "x-webhook-id",
        "content-type",
        "content-length",
        "host",
        "transfer-encoding",
        "connection",
        "user-agent",
    }
)


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def active_secrets(endpoint: Endpoint, now: dt.datetime) -> list[str]:
    """The secrets that sign now: the current one, then the previous until it expires."""
    keys = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > now:
        keys.append(endpoint.previous_secret)
    return keys


def body_hex_signature(secret: str, body: str) -> str:
    return hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()


def request_headers(
    *,
    endpoint: Endpoint,
    message_id: str,
    event_type: str,
    body: str,
    now: dt.datetime | None = None,
    custom: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every header of one attempt. The timestamp is the attempt's own, so a retry a day later
    is inside a receiver's five-minute tolerance."""
    # The library replaces the zone with UTC rather than converting: hand it UTC.
    now = (now or timezone.now()).astimezone(dt.UTC)
    keys = active_secrets(endpoint, now)
    headers = dict(custom if custom is not None else custom_headers(endpoint))
    headers.update(
        {
            "Content-Type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": " ".join(
                Webhook(key).sign(msg_id=message_id, timestamp=now, data=body) for key in keys
            ),
            "X-Webhook-Signature": body_hex_signature(keys[0], body),
            "X-Webhook-Event": event_type,
            "X-Webhook-ID": message_id,
        }
    )
    if len(keys) > 1:
        headers["X-Webhook-Signature-Previous"] = body_hex_signature(keys[1], body)
    return headers


def custom_headers(endpoint: Endpoint) -> dict[str, str]:
    if not endpoint.headers_json:
        return {}
    try:
        value = json.loads(endpoint.headers_json)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def clean_custom_headers(value: object) -> dict[str, str]:
    """The extra headers an endpoint sends, or a translated ValidationError."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise ValidationError(
            _("Headers must be an object of names and values."), code="invalid_headers"
        )
    if len(value) > HEADERS_MAX:
        raise ValidationError(
            _("At most %(count)d custom headers.") % {"count": HEADERS_MAX}, code="invalid_headers"
        )
    cleaned: dict[str, str] = {}
    for name, header_value in value.items():
        if not isinstance(name, str) or not HEADER_NAME.match(name):
            raise ValidationError(
                _("“%(name)s” is not a valid header name.") % {"name": str(name)[:100]},
                code="invalid_headers",
            )
        if name.lower() in RESERVED_HEADERS:
            raise ValidationError(
                _("The header “%(name)s” is set by Video Creator and cannot be replaced.")
                % {"name": name},
                code="reserved_header",
            )
        if (
            not isinstance(header_value, str)
            or len(header_value) > HEADER_VALUE_MAX
            or any(ord(char) < 32 or ord(char) == 127 for char in header_value)
        ):
            raise ValidationError(
                _(
                    "The value of “%(name)s” must be text of at most %(max)d characters, on one "
                    "line."
                )
                % {"name": name, "max": HEADER_VALUE_MAX},
                code="invalid_headers",
            )
        cleaned[name] = header_value
    return cleaned
