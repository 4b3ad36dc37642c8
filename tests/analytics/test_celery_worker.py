"""A real Celery worker, a real Redis broker, and the heartbeat task end to end.

The worker is a separate process started with `celery -A videocreator worker`; it
reads the same test database as this test (passed to it as DATABASE_URL) and
consumes from a queue that only this test run uses, so no other worker can take
the message.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.conf import settings
from django.db import connection
from django.utils import timezone

from analytics.models import WorkerHeartbeat
from videocreator.celery import app as celery_app

pytestmark = pytest.mark.integration

PROJECT_DIR = Path(__file__).resolve().parents[2]
CELERY_BIN = PROJECT_DIR / ".venv" / "bin" / "celery"
TASK_NAME = "analytics.record_worker_heartbeat"
WAIT_SECONDS = 60
POLL_INTERVAL = 0.25


def _redis_url() -> str:
    return (
        os.environ.get("REDIS_URL_FOR_TESTS")
        or os.environ.get("REDIS_URL")
        or "redis://127.0.0.1:6379/15"
    )


def _test_database_url() -> str:
    """DATABASE_URL for the database this test is using (the test database, not the real one)."""
    db = connection.settings_dict
    engine = db["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        name = str(db["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            pytest.skip(f"The worker process cannot share an in-memory SQLite database ({name}).")
        return f"sqlite:///{Path(name).resolve()}"
    if engine in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
        user = quote(str(db.get("USER") or ""), safe="")
        password = quote(str(db.get("PASSWORD") or ""), safe="")
        credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = str(db.get("HOST") or "")
        if host.startswith("/"):  # a Unix socket directory
            host = quote(host, safe="")
        port = f":{db['PORT']}" if db.get("PORT") else ""
        return f"postgres://{credentials}{host}{port}/{quote(str(db['NAME']), safe='')}"
    pytest.skip(f"No DATABASE_URL mapping for the {engine} engine in this test.")


@pytest.fixture
def redis_url() -> str:
    import redis

    url = _redis_url()
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    except ValueError as error:
        pytest.skip(f"Redis URL {url} is not usable: {error}.")
    try:
        client.ping()
    except redis.RedisError as error:  # refused, timed out, auth required, ...
        pytest.skip(f"Redis is not reachable at {url} ({error.__class__.__name__}: {error}).")
    finally:
        client.close()
    return url


@pytest.fixture
def queue_name(redis_url) -> Iterator[str]:
    import redis

    name = f"test-heartbeat-{uuid.uuid4().hex}"
    yield name
    # Tidy up the queue and the exchange binding kombu keeps for it in Redis.
    client = redis.Redis.from_url(redis_url, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.delete(name, f"_kombu.binding.{name}")
    except redis.RedisError:
        pass
    finally:
        client.close()


class Worker:
    def __init__(self, process: subprocess.Popen, log_path: Path, node_name: str) -> None:
        self.process = process
        self.log_path = log_path
        self.node_name = node_name

    def output(self) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError as error:
            return f"(worker output unavailable: {error})"
        return text[-20000:]

    def describe(self) -> str:
        code = self.process.poll()
        state = "still running" if code is None else f"exited with code {code}"
        return f"Celery worker {state}. Its output:\n{self.output()}"


@pytest.fixture
def worker(redis_url, queue_name, tmp_path) -> Iterator[Worker]:
    if not CELERY_BIN.exists():
        pytest.skip(f"The celery command is missing at {CELERY_BIN}.")
    env = {
        **os.environ,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DATABASE_URL": _test_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "videocreator.settings",
        "PYTHONUNBUFFERED": "1",
    }
    node_name = f"test-{uuid.uuid4().hex[:12]}@{socket.gethostname()}"
    command = [
        str(CELERY_BIN),
        "-A",
        "videocreator",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        "-n",
        node_name,
        "-Q",
        queue_name,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    log_path = tmp_path / "celery-worker.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    running = Worker(process, log_path, node_name)
    try:
        yield running
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _send_heartbeat(redis_url: str, queue_name: str) -> None:
    # The test settings make tasks eager; send_task always goes to the broker, and says so.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        with celery_app.connection_for_write(redis_url) as conn:
            celery_app.send_task(TASK_NAME, connection=conn, queue=queue_name)


def _wait_for(
    condition: Callable[[], object], worker: Worker, what: str, timeout: float = WAIT_SECONDS
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if worker.process.poll() is not None:
            pytest.fail(f"The worker stopped before {what}.\n{worker.describe()}")
        time.sleep(POLL_INTERVAL)
    pytest.fail(f"Gave up after {timeout:.0f} s waiting for {what}.\n{worker.describe()}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_runs_heartbeat_task_and_records_it_once(worker, redis_url, queue_name):
    # The heartbeat names the worker node, so two workers on one host are told apart.
    hostname = worker.node_name
    WorkerHeartbeat.objects.filter(hostname=hostname).delete()
    sent_at = timezone.now()

    _send_heartbeat(redis_url, queue_name)
    heartbeat = _wait_for(
        lambda: WorkerHeartbeat.objects.filter(hostname=hostname).first(),
        worker,
        f"a WorkerHeartbeat row for {hostname}",
    )

    assert heartbeat.hostname == hostname, worker.describe()
    now = timezone.now()
    assert sent_at - timedelta(seconds=5) <= heartbeat.last_seen_at <= now, (
        f"last_seen_at {heartbeat.last_seen_at} is not between {sent_at} and {now}.\n"
        + worker.describe()
    )

    # Running the task again moves the time; it does not add a second row.
    first_seen_at = heartbeat.last_seen_at
    _send_heartbeat(redis_url, queue_name)
    _wait_for(
        lambda: WorkerHeartbeat.objects.filter(
            hostname=hostname, last_seen_at__gt=first_seen_at
        ).exists(),
        worker,
        "the second heartbeat to update the row",
    )
    assert WorkerHeartbeat.objects.filter(hostname=hostname).count() == 1, worker.describe()
