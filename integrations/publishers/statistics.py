"""What every publisher's statistics call shares: the numbers it returns, batching, and the
Graph API reads that tell a deleted post and a missing permission from a failure.

A counter the platform does not report is None, never a made-up 0. A post the platform no
longer has is `deleted=True` with every counter None, so whoever polls stops asking for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..http import Exchange, error_for, json_of, send
from ..models import ConnectedAccount

# Graph API: "object does not exist / cannot be loaded" (code 100, subcode 33), and the
# permission family (10, 200–299) — a missing insights permission, or too few viewers yet.
GRAPH_GONE_CODE, GRAPH_GONE_SUBCODE = 100, 33
GRAPH_PERMISSION_CODES = {10, *range(200, 300)}


@dataclass
class PostStatistics:
    remote_id: str
    views: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None = None
    average_watch_seconds: float | None = None
    impressions: int | None = None
    deleted: bool = False

    @classmethod
    def gone(cls, remote_id: str) -> PostStatistics:
        """A post the platform no longer has (deleted, or no longer this account's)."""
        return cls(remote_id, None, None, None, None, deleted=True)

    @classmethod
    def unknown(cls, remote_id: str) -> PostStatistics:
        """A post that exists but whose numbers we may not read (a scope not granted)."""
        return cls(remote_id, None, None, None, None)


class GraphGone(Exception):
    """The Graph API no longer has this object."""


class GraphNotPermitted(Exception):
    """The Graph API will not show this (a permission not granted, or too few viewers)."""


def batches(remote_ids: list[str], size: int) -> Iterator[list[str]]:
    """The distinct ids, in their first order, `size` at a time."""
    distinct = list(dict.fromkeys(str(remote_id) for remote_id in remote_ids))
    for start in range(0, len(distinct), size):
        yield distinct[start : start + size]


def count(value: Any) -> int | None:
    """A platform's counter (a number or a numeric string) as an int; absent: None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def granted(account: ConnectedAccount, scope: str) -> bool:
    """Whether the account's saved grant includes `scope` (separated by spaces or commas)."""
    return scope in account.scopes.replace(",", " ").split()


def may_use(account: ConnectedAccount, scope: str) -> bool:
    """Granted, or the platform never said what it granted (so we ask, and a refusal says)."""
    return not account.scopes.strip() or granted(account, scope)


def graph_read(url: str, params: dict[str, Any], *, log: list[Exchange] | None) -> dict:
    """GET a Graph API object or edge. A deleted object raises GraphGone, a refused permission
    GraphNotPermitted; any other failure the PlatformError `send` would raise."""
    response = send("GET", url, log=log, params=params, expect=(200, 400, 403, 404))
    if response.status_code == 200:
        return json_of(response)
    error = json_of(response).get("error")
    error = error if isinstance(error, dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    if response.status_code == 404 or (code == GRAPH_GONE_CODE and subcode == GRAPH_GONE_SUBCODE):
        raise GraphGone
    if code in GRAPH_PERMISSION_CODES:
        raise GraphNotPermitted
    raise error_for(response)


def insight_values(data: dict) -> dict[str, Any]:
    """Graph insights `{"data": [{"name": …, "values": [{"value": …}]}]}` as {name: value}."""
    found = {}
    for metric in data.get("data") or []:
        values = metric.get("values") or []
        if metric.get("name") and values:
            found[metric["name"]] = values[-1].get("value")
    return found
