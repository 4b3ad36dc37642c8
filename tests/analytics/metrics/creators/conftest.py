"""The small fixed workspace the creators' dashboard tests work their answers out on."""

from __future__ import annotations

import pytest

from videos.models import Template

from .kit import counters, post, video


@pytest.fixture
def history(workspace):
    """Video A (Feb 10) on YouTube (Feb 15) and X (Mar 5); video B (Mar 3) on TikTok (Mar 15);
    video C (Mar 18) not published; a failed post and another workspace's post count for
    nothing."""
    first, second = Template.objects.order_by("pk")[:2]
    a = video(workspace, created="2026-02-10 08:00", template=first, title="Launch teaser")
    b = video(workspace, created="2026-03-03 08:00", template=second, title="Quote of the week")
    c = video(workspace, created="2026-03-18 08:00", title="Draft")
    post(
        a,
        "youtube",
        published="2026-02-15 10:00",
        snapshots=[
            ("2026-02-16 10:00", counters(300, 10, 2, 1, 15.0)),
            ("2026-02-28 12:00", counters(1000, 50, 10, 5, 20.0)),
            ("2026-03-20 11:00", counters(3000, 150, 30, 20, 30.0)),
        ],
    )
    post(
        a,
        "x",
        published="2026-03-05 09:00",
        snapshots=[
            ("2026-03-06 09:00", counters(400, 20, 4, 8)),
            ("2026-03-20 09:00", counters(1000, 40, 10, 10)),
        ],
    )
    post(
        b,
        "tiktok",
        published="2026-03-15 18:00",
        snapshots=[("2026-03-20 10:00", counters(500, 100, 5, 20, 10.0))],
    )
    post(c, "facebook", published="2026-03-19 10:00", status="failed", latest={})
    return {"a": a, "b": b, "c": c, "first": first, "second": second}
