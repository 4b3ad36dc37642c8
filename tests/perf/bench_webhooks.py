"""Fanning 10,000 webhook deliveries out to a local receiver through the real task path,
against a bare HTTP client loop of the same POSTs at the same concurrency (target: ≥ 0.5×).

Ours: `video.created` events are recorded in the log (analytics.events.record, one
transaction, before the clock starts) in one workspace with BENCH_WEBHOOKS_ENDPOINTS endpoints
(2 by default: 5,000 events × 2 endpoints = 10,000 deliveries); then one `webhooks.fan_out`
message goes to a real Celery worker (prefork, BENCH_WEBHOOKS_PROCESSES processes, 2 by
default) on Redis, which makes the deliveries and queues `webhooks.send_due` tasks that claim
batches through the lease helper and POST them in WEBHOOKS_SEND_CONCURRENCY threads per
process. Measured from the fan-out message being queued to the last delivery SUCCEEDED.

Bare loop: one requests.Session, processes × threads threads, the same bodies to the same
URLs (with their webhook-id), nothing else.

The receiver is its own process (tests/webhook_receiver.py: a threaded HTTP/1.1 server that
answers 200 at once and counts requests and unique webhook-ids); its CPU seconds are printed,
to show it was not the bottleneck, and so are the CPU seconds of the worker's processes and of
the bare loop's client: a figure per delivery that other load on a shared machine moves less
than the wall-clock rates. Below the target ratio (or with BENCH_WEBHOOKS_PROFILE=1) the
deliveries are put back to pending afterwards and one `send_due` of a full batch runs in this
process, once with its queries timed and once under cProfile (which sees this thread only:
the POSTs show as waiting on the pool).

Run with PostgreSQL for figures that mean something:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_webhooks .venv/bin/pytest \
    tests/perf/bench_webhooks.py -s -p no:cacheprovider --override-ini="addopts="
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.celery_workers import (
    PROJECT_DIR,
    drop_queue,
    reachable_redis,
    send,
    start_worker,
    wait_for,
)
from tests.integrations.webhooks.conftest import record_video_events
from tests.webhook_receiver import RemoteReceiver

DELIVERIES = int(os.environ.get("BENCH_WEBHOOKS_DELIVERIES", "10000"))
ENDPOINTS = int(os.environ.get("BENCH_WEBHOOKS_ENDPOINTS", "2"))
PROCESSES = int(os.environ.get("BENCH_WEBHOOKS_PROCESSES", "2"))
PROFILE = os.environ.get("BENCH_WEBHOOKS_PROFILE", "") not in ("", "0")
POLL = 0.1


@pytest.fixture
def remote_receiver():
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.webhook_receiver", "--port", "0"],
        cwd=PROJECT_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("PORT "), f"the receiver did not start: {line!r}"
        yield RemoteReceiver(int(line.split()[1]))
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def queue():
    url = reachable_redis()
    name = f"bench-webhooks-{uuid.uuid4().hex}"
    yield url, name
    drop_queue(url, name)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (a prefork worker's pool)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command: state, ppid, …; utime and stime are the 12th and 13th.
        if int(entry) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _bare_loop(requests_to_send: list[tuple[str, bytes, str]], threads: int) -> float:
    """Seconds for one Session to POST them all in `threads` threads."""
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    session.trust_env = False
    session.mount("http://", HTTPAdapter(pool_connections=10, pool_maxsize=threads))

    def post(item: tuple[str, bytes, str]) -> int:
        url, body, webhook_id = item
        headers = {"Content-Type": "application/json", "webhook-id": webhook_id}
        response = session.post(url, data=body, headers=headers, timeout=10)
        response.close()
        return response.status_code

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        codes = list(pool.map(post, requests_to_send))
    seconds = time.perf_counter() - started
    session.close()
    assert codes.count(200) == len(requests_to_send), set(codes)
    return seconds


def _profile_one_send_due(threads: int) -> str:
    """Put the deliveries back to pending and run one full batch of send_due here, profiled."""
    from integrations.webhooks import sending
    from integrations.webhooks.models import Delivery, DeliveryStatus

    Delivery.objects.update(
        status=DeliveryStatus.PENDING,
        token=None,
        attempts=0,
        next_attempt_at=timezone.now(),
        delivered_at=None,
    )
    sending.send_due(limit=settings.WEBHOOKS_SEND_BATCH)  # warm: pool, session, connections
    queries: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        unprofiled = sending.send_due(limit=settings.WEBHOOKS_SEND_BATCH)
        unprofiled_seconds = time.perf_counter() - started
    in_database = sum(seconds for seconds, _ in queries)
    slowest = sorted(queries, reverse=True)[:5]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    sent = sending.send_due(limit=settings.WEBHOOKS_SEND_BATCH)
    profiler.disable()
    seconds = time.perf_counter() - started
    out = io.StringIO()
    out.write(
        f"unprofiled: {unprofiled.succeeded} sent in {unprofiled_seconds * 1000:.0f} ms, "
        f"{len(queries)} queries taking {in_database * 1000:.0f} ms (execute + fetch), "
        "slowest:\n"
    )
    for query_seconds, sql in slowest:
        out.write(f"  {query_seconds * 1000:6.1f} ms  {sql[:160]}\n")
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(15)
    return (
        f"one send_due in this process ({threads} threads): {sent.succeeded} sent in "
        f"{seconds * 1000:.0f} ms ({sent.succeeded / seconds:,.0f}/s)\n{out.getvalue()}"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fan_out_10000_deliveries_against_a_bare_loop(
    remote_receiver, queue, workspace, owner, settings, tmp_path
):
    from integrations.webhooks import services
    from integrations.webhooks.models import Delivery, DeliveryStatus, FannedOutEvent
    from tests.perf.database import describe

    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    redis_url, name = queue
    threads = settings.WEBHOOKS_SEND_CONCURRENCY
    concurrency = PROCESSES * threads
    events = DELIVERIES // ENDPOINTS
    expected = events * ENDPOINTS
    for n in range(ENDPOINTS):
        services.endpoint_create(
            workspace=workspace,
            actor=owner,
            url=remote_receiver.url(f"/hook/{n}"),
            event_types=["video.created"],
        )
    started = time.perf_counter()
    record_video_events(workspace, owner, events)
    print(f"\n{events:,} events recorded in {time.perf_counter() - started:.1f} s (not timed)")

    env = {
        "WEBHOOKS_ALLOW_PRIVATE_HOSTS": "1",
        "WEBHOOKS_SEND_CONCURRENCY": str(threads),
        "WEBHOOKS_SEND_BATCH": str(settings.WEBHOOKS_SEND_BATCH),
    }
    worker = start_worker(
        redis_url=redis_url, queue=name, log_dir=tmp_path, env=env, processes=PROCESSES
    )
    try:
        wait_for(lambda: " ready." in worker.output(), [worker], "the worker to be ready")
        before = remote_receiver.stats()
        worker_cpu = _cpu_seconds(worker.process.pid)
        started = time.perf_counter()
        send(redis_url, name, "webhooks.fan_out")
        fanned_out = None
        while True:
            if fanned_out is None and FannedOutEvent.objects.count() >= events:
                fanned_out = time.perf_counter() - started
            done = Delivery.objects.filter(status=DeliveryStatus.SUCCEEDED).count()
            if done >= expected:
                break
            if worker.process.poll() is not None or time.perf_counter() - started > 600:
                pytest.fail(f"{done} of {expected} delivered.\n{worker.describe()}")
            time.sleep(POLL)
        ours = time.perf_counter() - started
        after = remote_receiver.stats()
        worker_cpu = _cpu_seconds(worker.process.pid) - worker_cpu
    finally:
        worker.stop()
    assert Delivery.objects.count() == expected
    ours_requests = after["requests"] - before["requests"]
    ours_cpu = after["cpu_seconds"] - before["cpu_seconds"]
    log = worker.log_path.read_text(errors="replace")  # all of it: output() keeps the end
    tasks = len(re.findall(r"Task webhooks\.send_due\[\S+\] received", log))
    empty = len(re.findall(r"Task webhooks\.send_due\[\S+\] succeeded in \S+ 0$", log, re.M))

    rows = list(Delivery.objects.select_related("endpoint").order_by("created_at", "sequence"))
    to_send = [(row.endpoint.url, row.body.encode(), row.message_id) for row in rows]
    remote_receiver.reset()
    bare_cpu_before = remote_receiver.stats()["cpu_seconds"]
    client_cpu = time.process_time()
    bare = _bare_loop(to_send, concurrency)
    client_cpu = time.process_time() - client_cpu
    bare_stats = remote_receiver.stats()

    load = os.getloadavg()[0]  # the machine is shared: what else ran shows here
    ours_rate = expected / ours
    bare_rate = len(to_send) / bare
    print(
        f"database: {describe()}\n"
        f"concurrency: {PROCESSES} worker processes (prefork) × {threads} threads = "
        f"{concurrency}; batch {settings.WEBHOOKS_SEND_BATCH}; {ENDPOINTS} endpoints × "
        f"{events:,} events\n"
        f"ours: {expected:,} deliveries in {ours:.2f} s = {ours_rate:,.0f} deliveries/s "
        f"(fan-out done after {fanned_out or 0:.2f} s; {tasks} send_due tasks, {empty} of "
        f"them found nothing; worker CPU {worker_cpu:.1f} s = "
        f"{worker_cpu / expected * 1000:.2f} ms a delivery; receiver saw {ours_requests:,} "
        f"requests, {after['unique_ids']:,} unique ids, {ours_cpu:.1f} CPU s)\n"
        f"bare loop: {len(to_send):,} POSTs in {bare:.2f} s = {bare_rate:,.0f} requests/s "
        f"(client CPU {client_cpu:.1f} s = {client_cpu / len(to_send) * 1000:.2f} ms a "
        f"request; receiver saw {bare_stats['requests']:,}, "
        f"{bare_stats['cpu_seconds'] - bare_cpu_before:.1f} CPU s)\n"
        f"ratio ours / bare: {ours_rate / bare_rate:.2f}× (target ≥ 0.5×); load average "
        f"{load:.1f} on {os.cpu_count()} CPUs"
    )
    assert ours_requests >= expected and after["unique_ids"] >= expected
    assert bare_stats["requests"] == len(to_send)
    if PROFILE or ours_rate / bare_rate < 0.5:
        print(_profile_one_send_due(threads))
