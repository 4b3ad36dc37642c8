"""The one way we talk to social platforms over HTTP, and what their failures mean.

Every platform's failure becomes a `PlatformError` of one kind: `auth` (refresh the token,
else the account needs reconnecting), `rate_limit` (retry after `retry_at`), `transient`
(retry with backoff) or `permanent` (give up, showing the platform's own message).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from django.conf import settings
from django.utils import timezone

from . import messages

logger = logging.getLogger(__name__)

AUTH, RATE_LIMIT, TRANSIENT, PERMANENT = "auth", "rate_limit", "transient", "permanent"
# Graph API error codes: an expired or revoked token, and the throttling family.
FACEBOOK_AUTH_CODES = {190, 102, 463, 467}
FACEBOOK_RATE_CODES = {4, 17, 32, 613, 80001, 80002, 80004, 9007}


class PlatformError(Exception):
    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status: int | None = None,
        retry_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.status = status
        self.retry_at = retry_at

    @property
    def retryable(self) -> bool:
        return self.kind in (RATE_LIMIT, TRANSIENT)


@dataclass
class Exchange:
    """One request and its answer, as the attempt log shows it (never a token)."""

    method: str
    url: str
    status: int | None = None
    duration_ms: int = 0
    error: str = ""

    def summary(self) -> str:
        path = self.url.split("?", 1)[0]
        outcome = self.status if self.status is not None else self.error or "—"
        return f"{self.method} {path} → {outcome} ({self.duration_ms} ms)"


_session = requests.Session()


def send(
    method: str,
    url: str,
    *,
    log: list[Exchange] | None = None,
    expect: tuple[int, ...] = (200, 201),
    **kwargs: Any,
) -> requests.Response:
    """Send one request; a status outside `expect` raises the matching PlatformError."""
    kwargs.setdefault("timeout", settings.SOCIAL_HTTP_TIMEOUT_SECONDS)
    exchange = Exchange(method, url)
    started = time.monotonic()
    try:
        response = _session.request(method, url, **kwargs)
    except requests.RequestException as error:
        exchange.error = type(error).__name__
        raise PlatformError(
            TRANSIENT, messages.with_detail(messages.NO_ANSWER, type(error).__name__)
        ) from error
    finally:
        exchange.duration_ms = round((time.monotonic() - started) * 1000)
        if log is not None:
            log.append(exchange)
    exchange.status = response.status_code
    logger.info("platform %s", exchange.summary())
    if response.status_code not in expect:
        raise error_for(response)
    return response


def json_of(response: requests.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {"data": data}


def platform_message(data: dict[str, Any], fallback: str) -> str:
    """The platform's own words, wherever its error format puts them."""
    error = data.get("error")
    if isinstance(error, dict):
        for key in ("error_user_msg", "message", "error_description"):
            if error.get(key):
                return str(error[key])
    if isinstance(error, str):
        return str(data.get("error_description") or error)
    errors = data.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return str(errors[0].get("message") or errors[0].get("detail") or fallback)
    for key in ("detail", "title", "message"):
        if data.get(key):
            return str(data[key])
    return fallback


def _retry_at(response: requests.Response) -> dt.datetime:
    """When to try again: Retry-After (seconds or a date), X's reset epoch, else a minute."""
    now = timezone.now()
    retry_after = response.headers.get("Retry-After")
    if retry_after:
        if retry_after.strip().isdigit():
            return now + dt.timedelta(seconds=int(retry_after))
        try:
            return parsedate_to_datetime(retry_after)
        except (TypeError, ValueError):
            pass
    reset = response.headers.get("x-rate-limit-reset") or response.headers.get("X-RateLimit-Reset")
    if reset and reset.strip().isdigit():
        value = int(reset)
        if value > 1_000_000_000:  # an epoch
            return dt.datetime.fromtimestamp(value, tz=dt.UTC)
        return now + dt.timedelta(seconds=value)
    return now + dt.timedelta(minutes=1)


def error_for(response: requests.Response) -> PlatformError:
    status = response.status_code
    data = json_of(response)
    message = platform_message(data, f"HTTP {status}")
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    code = error.get("code")
    if status == 429 or code in FACEBOOK_RATE_CODES or error.get("code") == "rate_limit_exceeded":
        return PlatformError(RATE_LIMIT, message, status=status, retry_at=_retry_at(response))
    if status == 401 or code in FACEBOOK_AUTH_CODES:
        return PlatformError(AUTH, message, status=status)
    if status == 403 and "quota" in message.lower():
        return PlatformError(RATE_LIMIT, message, status=status, retry_at=_retry_at(response))
    if status >= 500 or status in (408, 409):
        return PlatformError(TRANSIENT, message, status=status)
    return PlatformError(PERMANENT, message, status=status)
