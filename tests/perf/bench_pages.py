"""Pages and API routes at scale, against the floor of a one-line signed-in view.

The data set of issue 12 §5, built with bulk inserts: 100,000 users; one workspace of 50,000
videos and 200 members; 5,000 comments (threads with replies and mentions) on one version;
2,000 schedules, about 400 of them in the measured month. Each route is requested from a
gunicorn server on loopback (two workers, DEBUG off, the test database), one request at a time:
8 to warm up every worker, then `BENCH_PAGES_RUNS` rounds in which the routes take turns; the
benchmark prints p50 and p95 per route and the ratio of each p95 to the floor's p95 measured
in the same rounds.

Goals (issue 12): the review page under 300 ms at 5,000 comments, the calendar under 150 ms,
title search within 1.5× of the unfiltered list, every page within 5× the floor, every API
route under 180 ms at p95.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench make bench

Scale it down for a quick look with BENCH_PAGES_SCALE=0.1.
"""

from __future__ import annotations

import contextlib
import cProfile
import datetime as dt
import os
import pstats
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.celery_workers import worker_database_url

SCALE = float(os.environ.get("BENCH_PAGES_SCALE", "1"))
RUNS = int(os.environ.get("BENCH_PAGES_RUNS", "40"))
USERS = int(100_000 * SCALE)
VIDEOS = int(50_000 * SCALE)
MEMBERS = 200
COMMENTS = int(5_000 * SCALE)
SCHEDULES = int(2_000 * SCALE)
MONTH_SCHEDULES = int(400 * SCALE)
# BENCH_PAGES_PROFILE="videos list" prints where that route's time goes (cProfile).
PROFILE = os.environ.get("BENCH_PAGES_PROFILE", "")
SEARCHED_WORD = "coffee"
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
QUIET = ["--log-level=warning"]
WARM_UPS = 8  # in about 1 % of the titles


def _users(count: int) -> list:
    from accounts.models import Profile, User

    users = User.objects.bulk_create(
        (
            User(email=f"bench{n}@example.com", name=f"Bench User {n}", password="!")
            for n in range(count)
        ),
        batch_size=5000,
    )
    Profile.objects.bulk_create(
        (Profile(user=user, time_zone="Europe/Berlin") for user in users), batch_size=5000
    )
    return users


def _workspace(owner, members: list):
    from teams.models import Membership, Role, Team

    team = Team.objects.create(name="Scale Studio", created_by=owner)
    Membership.objects.bulk_create(
        [Membership(team=team, user=owner, role=Role.OWNER)]
        + [Membership(team=team, user=user, role=Role.EDITOR) for user in members]
    )
    return team


def _videos(workspace, owner, count: int):
    from videos.models import Template, Video, VideoStatus

    templates = list(Template.objects.filter(is_active=True)[:5])
    words = ["launch", "summer", "recipe", "tips", "promo", "team", "story", "sale"]
    start = timezone.now() - dt.timedelta(days=400)
    videos = Video.objects.bulk_create(
        (
            Video(
                workspace=workspace,
                template=templates[n % len(templates)],
                title=(
                    f"{SEARCHED_WORD.title()} break {n}"
                    if n % 100 == 0
                    else f"{words[n % len(words)].title()} video {n}"
                ),
                duration_seconds=15,
                status=VideoStatus.READY if n % 3 else VideoStatus.DRAFT,
                created_by=owner,
                created_at=start + dt.timedelta(minutes=10 * n),
            )
            for n in range(count)
        ),
        batch_size=5000,
    )
    return videos[-1]


def _version_with_comments(video, authors: list, count: int):
    from teams.models import Comment, CommentMention
    from videos.models import VersionKind, VideoVersion

    version = VideoVersion.objects.create(
        video=video,
        number=1,
        kind=VersionKind.RENDER,
        file="bench/v1.mp4",
        size=1,
        duration=60.0,
        width=1080,
        height=1920,
        checksum="0" * 64,
    )
    video.current_version = version
    video.save(update_fields=["current_version"])
    roots = Comment.objects.bulk_create(
        Comment(
            workspace_id=video.workspace_id,
            version=version,
            author=authors[n % len(authors)],
            text=f"Thread {n}: the logo should come in a little later @Bench User {n}",
            time_ms=(n * 37) % 60_000,
            resolved_at=timezone.now() if n % 4 == 0 else None,
        )
        for n in range(count // 2)
    )
    Comment.objects.bulk_create(
        (
            Comment(
                workspace_id=video.workspace_id,
                version=version,
                author=authors[(n + 1) % len(authors)],
                text=f"Reply {n}: agreed, and the music a touch quieter.",
                time_ms=root.time_ms,
                parent=root,
                thread=root,
            )
            for n, root in enumerate(roots)
        ),
        batch_size=5000,
    )
    CommentMention.objects.bulk_create(
        CommentMention(comment=root, user=authors[n % len(authors)])
        for n, root in enumerate(roots[::5])
    )
    return version


def _schedules(workspace, video, owner, count: int, in_month: int, month_start: dt.datetime):
    from videos.models import PlatformPost, PublishSchedule

    spread = [
        month_start + dt.timedelta(minutes=(30 * 24 * 60 // in_month) * n) for n in range(in_month)
    ]
    later = [
        month_start + dt.timedelta(days=40 + n % 300, hours=n % 24) for n in range(count - in_month)
    ]
    schedules = PublishSchedule.objects.bulk_create(
        PublishSchedule(workspace=workspace, video=video, requested_by=owner, publish_at=when)
        for when in spread + later
    )
    PlatformPost.objects.bulk_create(
        (
            PlatformPost(schedule=s, platform=p, next_attempt_at=s.publish_at)
            for s in schedules
            for p in ("youtube", "x")
        ),
        batch_size=5000,
    )


@pytest.fixture
def scale_data(transactional_db):
    users = _users(USERS)
    owner = users[0]
    workspace = _workspace(owner, users[1:MEMBERS])
    video = _videos(workspace, owner, VIDEOS)
    version = _version_with_comments(video, users[:MEMBERS], COMMENTS)
    today = timezone.localdate()
    month_start = timezone.make_aware(dt.datetime(today.year, today.month, 1)) + dt.timedelta(
        days=31
    )
    month_start = month_start.replace(day=1)
    _schedules(workspace, video, owner, SCHEDULES, MONTH_SCHEDULES, month_start)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a live database: statistics, and the visibility map that lets
        # counts be answered from an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "owner": owner,
        "workspace": workspace,
        "video": video,
        "version": version,
        "month": f"{month_start:%Y-%m}",
    }


@contextlib.contextmanager
def served() -> Iterator[str]:
    """A gunicorn server on a free loopback port reading the benchmark's database."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.floor_settings",
        "DATABASE_URL": worker_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        # The per-user API throttle would answer 429 long before the runs are done.
        "API_THROTTLE_USER": "100000/min",
    }
    server = subprocess.Popen(
        [GUNICORN, "videocreator.wsgi", "--workers=2", f"--bind=127.0.0.1:{port}", *QUIET],
        cwd=settings.BASE_DIR,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _get(base: str, path: str, cookie: str) -> int:
    request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _csrf_secret(client: Client, path: str) -> str:
    return client.get(path).cookies[settings.CSRF_COOKIE_NAME].value


def _percentiles(base: str, pages: dict[str, str], cookie: str) -> dict[str, tuple]:
    """p50 and p95 (seconds) per route. The routes take turns, one request each per round,
    so a burst of load from elsewhere on the machine falls on all of them alike, the floor
    included, rather than on whichever route was being measured at the time."""
    for path in pages.values():
        for _ in range(WARM_UPS):  # enough for every gunicorn worker to have served it once
            status = _get(base, path, cookie)
            assert status == 200, (path, status)
    seconds: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(RUNS):
        for name, path in pages.items():
            started = time.perf_counter()
            _get(base, path, cookie)
            seconds[name].append(time.perf_counter() - started)
    results = {}
    for name, times in seconds.items():
        cuts = statistics.quantiles(times, n=20, method="inclusive")
        results[name] = (statistics.median(times), cuts[18])
    return results


def _profile(client: Client, url: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
        print(f"{float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [client.get(url) for _ in range(10)])
    order = os.environ.get("BENCH_PAGES_SORT", "cumulative")
    pstats.Stats(profiler).sort_stats(order).print_stats(80)


@pytest.mark.timeout(1800)  # building 100,000 users and 50,000 videos takes a while
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.urls("tests.floor_urls")
def test_pages_at_scale(scale_data) -> None:
    from tests.conftest import client_in

    data = scale_data
    client = client_in(data["owner"], data["workspace"])
    video, version, ws = data["video"], data["version"], data["workspace"].pk
    pages = {
        "floor (one-line signed-in view)": "/floor/",
        "empty page on base.html": "/floor/chrome/",
        "videos list": "/videos/",
        f"videos search ?q={SEARCHED_WORD}": f"/videos/?q={SEARCHED_WORD}",
        "review page (5,000 comments)": f"/videos/{video.pk}/versions/{version.number}/",
        "schedule month": f"/schedule/?month={data['month']}",
        "schedule list": "/schedule/?view=list",
        "API videos list": f"/api/v1/videos/?workspace={ws}",
        f"API videos search={SEARCHED_WORD}": (
            f"/api/v1/videos/?workspace={ws}&search={SEARCHED_WORD}"
        ),
        "API video detail": f"/api/v1/videos/{video.pk}/",
        "API comments (first page)": f"/api/v1/videos/{video.pk}/comments/",
        "API comments (a middle page)": (
            f"/api/v1/videos/{video.pk}/comments/?page={max(1, COMMENTS // 200)}"
        ),
        "API schedules": f"/api/v1/schedules/?workspace={ws}",
    }
    if PROFILE:
        _profile(client, pages[PROFILE])
    # The cookies a browser keeps: the session and, once a page has set it, the CSRF cookie
    # (without it every page would make a new CSRF secret and set it again).
    cookie = "; ".join(
        f"{name}={value}"
        for name, value in (
            (settings.SESSION_COOKIE_NAME, client.session.session_key),
            (settings.CSRF_COOKIE_NAME, _csrf_secret(client, pages["videos list"])),
        )
    )
    with served() as base:
        results = _percentiles(base, pages, cookie)
    floor_p95 = results["floor (one-line signed-in view)"][1]
    print(
        f"\n{USERS:,} users, {VIDEOS:,} videos, {MEMBERS} members, {COMMENTS:,} comments, "
        f"{SCHEDULES:,} schedules ({MONTH_SCHEDULES} in {data['month']}); {RUNS} runs per route"
    )
    print(f"{'route':<36} {'p50 ms':>8} {'p95 ms':>8} {'p95/floor':>10}")
    for name, (p50, p95) in results.items():
        print(f"{name:<36} {p50 * 1000:8.1f} {p95 * 1000:8.1f} {p95 / floor_p95:9.1f}×")
    search_ratio = results[f"videos search ?q={SEARCHED_WORD}"][1] / results["videos list"][1]
    print(f"search p95 / list p95: {search_ratio:.2f}× (goal ≤ 1.5×)")
