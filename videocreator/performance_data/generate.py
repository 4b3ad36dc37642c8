"""Writing a generated publishing history into one workspace (see the package's docstring)."""

from __future__ import annotations

import bisect
import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from analytics.metrics.seeding import analyze
from analytics.metrics.seeding.catalog import CAPTIONS, TITLES
from analytics.metrics.seeding.context import TemplateRow
from analytics.metrics.seeding.reference import template_uses_add, templates
from analytics.metrics.seeding.videos import POST_URLS
from analytics.metrics.seeding.writer import Ids, Writer
from integrations.models import ConnectedAccount, Platform
from teams.models import Team
from videos.models import Video, VideoStatus
from videos.performance import next_stats_poll
from videos.publishing.models import (
    PlatformPost,
    PostSnapshot,
    PostStatus,
    PublishSchedule,
    ScheduleStatus,
)
from videos.rendering.media import output_size

from .audience import COUNTERS, PLATFORMS, Curve, curve_for, publish_time, spread_factors
from .polls import apportion, kept_polls, poll_offsets

GENERATED_PREFIX = "generated-"  # the generated accounts' external ids: one history a workspace
POSTS_PER_VIDEO = 25
PLATFORMS_PER_SCHEDULE = (1, 2, 2, 3, 3, 4, 5)
FLUSH_ROWS = 200_000  # rows kept in memory before they are written
MAX_DAYS = 3650
MODELS = (Video, PublishSchedule, PlatformPost, PostSnapshot)


class PerformanceDataExists(Exception):
    """The workspace already has a generated history."""


@dataclass
class PerformanceSummary:
    workspace_id: int
    rows: dict[str, int]  # per model label
    posts_by_platform: dict[str, int]
    templates: int
    start: dt.datetime
    now: dt.datetime
    polls: int  # the snapshots every poll up to now would have left
    seconds: float


@dataclass(slots=True)
class PostPlan:
    published_at: dt.datetime
    platform: str
    curve: Curve
    polls: int = 0
    keep: int = 0


@dataclass
class Run:
    """One generation's clock, randomness and buffers."""

    workspace: Team
    now: dt.datetime
    rng: random.Random
    ids: Ids = field(default_factory=Ids)
    out: Writer = field(default_factory=lambda: Writer(MODELS))


def check_arguments(*, posts: int, snapshots: int, days: int) -> None:
    """A ValueError naming the option that is out of range."""
    if posts < 1:
        raise ValueError("--posts: give at least 1.")
    if snapshots < posts:
        raise ValueError(
            "--snapshots: every post keeps at least its last snapshot, so give at least as "
            f"many as --posts ({posts:,})."
        )
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"--days: give 1 to {MAX_DAYS}.")


def has_generated_history(workspace: Team) -> bool:
    return ConnectedAccount.objects.filter(
        workspace=workspace, external_id__startswith=GENERATED_PREFIX
    ).exists()


def performance_seed(
    *,
    workspace: Team,
    posts: int,
    snapshots: int,
    days: int = 365,
    seed: int = 1,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
) -> PerformanceSummary:
    """Write `posts` published posts over the last `days` days, and exactly `snapshots`
    snapshots of them, into `workspace` (call it inside a transaction). The same `seed` and
    `now` write the same history. A workspace that has one already raises
    PerformanceDataExists; arguments that do not fit, ValueError."""
    check_arguments(posts=posts, snapshots=snapshots, days=days)
    if has_generated_history(workspace):
        raise PerformanceDataExists(
            f"Workspace {workspace.pk} already has a generated history: give another "
            "workspace, or none to have one made."
        )
    started = time.perf_counter()
    say = progress or (lambda line: None)
    run = Run(workspace=workspace, now=now or dt.datetime.now(dt.UTC), rng=random.Random(seed))  # noqa: S311 - made-up numbers
    start = run.now - dt.timedelta(days=days)
    offsets = poll_offsets(until=run.now - start)
    hours = [offset.total_seconds() / 3600 for offset in offsets]
    rows = templates()
    reach = spread_factors(run.rng, len(rows), 0.45, 2.2)
    engagement = spread_factors(run.rng, len(rows), 0.7, 1.5)
    factors = {row.id: (reach[n], engagement[n]) for n, row in enumerate(rows)}

    videos = video_rows(run, rows, start=start, count=max(1, posts // POSTS_PER_VIDEO))
    schedules: list[tuple[dict, list[PostPlan]]] = []
    created = [video["created_at"] for video in videos]
    made = 0
    while made < posts:
        publish_at = publish_time(run.rng, start=start, now=run.now)
        video = videos[run.rng.randrange(max(bisect.bisect_left(created, publish_at), 1))]
        schedule, plans = schedule_plan(run, video, factors, publish_at, most=posts - made)
        for plan in plans:
            age = (run.now - plan.published_at).total_seconds() / 3600
            plan.polls = bisect.bisect_right(hours, age)
        schedules.append((schedule, plans))
        made += len(plans)
    every = [plan for _schedule, plans in schedules for plan in plans]
    polls = sum(plan.polls for plan in every)
    if snapshots > polls:
        raise ValueError(
            f"--snapshots: {posts:,} posts over {days} days were polled {polls:,} times up to "
            "now; ask for at most that many, or give more --days or --posts."
        )
    kept = apportion(polls=[plan.polls for plan in every], total=snapshots)
    for plan, keep in zip(every, kept, strict=True):
        plan.keep = keep
    say(f"planned {posts:,} posts of {len(videos):,} videos: {polls:,} polls, {snapshots:,} kept")

    accounts = account_rows(workspace, now=run.now)
    for video in videos:
        run.out[Video].add(**video)
    for schedule, plans in schedules:
        run.out[PublishSchedule].add(**schedule)
        for plan in plans:
            post_rows(run, schedule, plan, accounts[plan.platform], offsets, hours)
        if run.out.pending() >= FLUSH_ROWS:
            run.out.flush()
            say(f"{run.out[PostSnapshot].written:,} snapshots written")
    run.out.flush()
    template_uses_add(Counter(video["template_id"] for video in videos))
    analyze(MODELS)
    return PerformanceSummary(
        workspace_id=workspace.pk,
        rows={**run.out.counts(), ConnectedAccount._meta.label: len(accounts)},
        posts_by_platform=dict(Counter(plan.platform for plan in every)),
        templates=len({video["template_id"] for video in videos}),
        start=start,
        now=run.now,
        polls=polls,
        seconds=time.perf_counter() - started,
    )


def account_rows(workspace: Team, *, now: dt.datetime) -> dict[str, ConnectedAccount]:
    """One account per platform, without tokens and expired, so that a poll of them marks them
    "needs reconnecting" rather than calling the platform."""
    return {
        platform: ConnectedAccount.objects.create(
            workspace=workspace,
            platform=platform,
            external_id=f"{GENERATED_PREFIX}{platform}",
            name=f"{workspace.name} ({Platform(platform).label})"[:200],
            handle="@generated",
            expires_at=now - dt.timedelta(days=1),
            connected_by_id=workspace.created_by_id,
            connected_at=now - dt.timedelta(days=MAX_DAYS + 7),
        )
        for platform in PLATFORMS
    }


def video_rows(run: Run, rows: list[TemplateRow], *, start: dt.datetime, count: int) -> list:
    """Ready videos (rendered by a worker; no file kept, as seed_analytics' videos), oldest
    first, the first a week before `start` so that every schedule has one to publish."""
    rng, first = run.rng, start - dt.timedelta(days=7)
    times = sorted([first] + [first + (run.now - first) * rng.random() for _ in range(count - 1)])
    videos = []
    for n, created_at in enumerate(times):
        template = rng.choice(rows)
        seconds = rng.randint(template.min_duration, template.max_duration)
        width, height = output_size(template.aspect_ratio, 1080)
        rendered_at = min(created_at + dt.timedelta(minutes=rng.uniform(2, 30)), run.now)
        videos.append(
            {
                "id": run.ids.take(Video),
                "workspace_id": run.workspace.pk,
                "template_id": template.id,
                "title": f"{rng.choice(TITLES)} {n + 1}",
                "fields": template.fields,
                "duration_seconds": seconds,
                "resolution": 1080,
                "status": VideoStatus.READY,
                "progress": 100,
                "width": width,
                "height": height,
                "fps": 30.0,
                "duration": float(seconds),
                "size": seconds * 640_000,
                "created_by_id": run.workspace.created_by_id,
                "created_at": created_at,
                "updated_at": rendered_at,
                "rendered_at": rendered_at,
                "template": template,  # not a column: the writer leaves it out
            }
        )
    return videos


def schedule_plan(run: Run, video: dict, factors: dict, publish_at, *, most: int):
    """A schedule of `video` at `publish_at` to 1–5 platforms (at most `most`), published a
    few seconds to minutes later on each."""
    rng = run.rng
    count = min(rng.choice(PLATFORMS_PER_SCHEDULE), most)
    plans = []
    for platform in sorted(rng.sample(PLATFORMS, count), key=PLATFORMS.index):
        published_at = publish_at + dt.timedelta(seconds=rng.uniform(5, 180))
        reach, engagement = factors[video["template_id"]]
        curve = curve_for(
            rng,
            platform=platform,
            published_at=published_at,
            reach=reach,
            engagement=engagement,
            seconds=video["duration"],
        )
        plans.append(PostPlan(published_at=published_at, platform=platform, curve=curve))
    finished_at = max(plan.published_at for plan in plans)
    schedule = {
        "id": run.ids.take(PublishSchedule),
        "workspace_id": run.workspace.pk,
        "video_id": video["id"],
        "requested_by_id": run.workspace.created_by_id,
        "publish_at": publish_at,
        "time_zone": "UTC",
        "status": ScheduleStatus.PUBLISHED,
        "created_at": max(video["created_at"], publish_at - dt.timedelta(hours=rng.uniform(0, 72))),
        "finished_at": finished_at,
        "notified_at": finished_at,  # its report is not owed
        "video": video,  # not a column: the writer leaves it out
    }
    return schedule, plans


def post_rows(run: Run, schedule: dict, plan: PostPlan, account, offsets, hours) -> None:
    """The post and its kept snapshots; the post holds the last one's numbers."""
    rng, post_id = run.rng, run.ids.take(PlatformPost)
    number = rng.randrange(10**18, 10**19)
    remote_id = f"{rng.getrandbits(64):016x}"[:11] if plan.platform == "youtube" else str(number)
    snapshots, latest, taken_at = run.out[PostSnapshot], (), plan.published_at
    for index in kept_polls(polls=plan.polls, keep=plan.keep):
        taken_at = plan.published_at + offsets[index]
        latest = plan.curve.at(hours[index])
        snapshots.add(
            id=run.ids.take(PostSnapshot),
            post_id=post_id,
            taken_at=taken_at,
            **dict(zip(COUNTERS, latest, strict=True)),
        )
    run.out[PlatformPost].add(
        id=post_id,
        schedule_id=schedule["id"],
        platform=plan.platform,
        account_id=account.pk,
        title=schedule["video"]["title"],
        caption=rng.choice(CAPTIONS),
        status=PostStatus.PUBLISHED,
        attempts=1,
        next_attempt_at=schedule["publish_at"],
        started_at=schedule["publish_at"],
        remote_id=remote_id,
        remote_url=POST_URLS[plan.platform].format(id=remote_id, number=number),
        published_at=plan.published_at,
        **dict(zip(COUNTERS, latest, strict=True)),
        stats_taken_at=taken_at,
        next_stats_at=next_stats_poll(published_at=plan.published_at, now=taken_at),
    )
