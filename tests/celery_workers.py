"""Real Celery worker processes for integration tests, on a real Redis broker.

A worker reads the test's own database (its DATABASE_URL is the test database's) and
consumes only a queue made for the test, so no other worker takes its messages.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

PROJECT_DIR = Path(__file__).resolve().parents[1]
CELERY_BIN = PROJECT_DIR / ".venv" / "bin" / "celery"
POLL_INTERVAL = 0.25


def redis_url_for_tests() -> str:
    return (
        os.environ.get("REDIS_URL_FOR_TESTS")
        or os.environ.get("REDIS_URL")
        or "redis://127.0.0.1:6379/15"
    )


def reachable_redis() -> str:
    """The tests' Redis URL, or skip the test saying why it can't be used."""
    import redis

    url = redis_url_for_tests()
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    except ValueError as error:
        pytest.skip(f"Redis URL {url} is not usable: {error}.")
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {url} ({error.__class__.__name__}: {error}).")
    finally:
        client.close()
    return url


def drop_queue(url: str, name: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    try:
        client.delete(name, f"_kombu.binding.{name}")
    except redis.RedisError:
        pass
    finally:
        client.close()


def worker_database_url() -> str:
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
        return f"Celery worker {self.node_name} {state}. Its output:\n{self.output()}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on a lost machine."""
        self.process.kill()
        self.process.wait(timeout=10)


def start_worker(
    *,
    redis_url: str,
    queue: str,
    log_dir: Path,
    env: dict[str, str] | None = None,
    processes: int = 1,
) -> Worker:
    """One worker; `processes` > 1 makes it a prefork pool of that many forked children, the
    way production runs several worker processes on one host."""
    if not CELERY_BIN.exists():
        pytest.skip(f"The celery command is missing at {CELERY_BIN}.")
    node_name = f"test-{uuid.uuid4().hex[:12]}@{socket.gethostname()}"
    environment = {
        **os.environ,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_URL": worker_database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "videocreator.settings",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    command = [
        str(CELERY_BIN),
        "-A",
        "videocreator",
        "worker",
        "--pool=solo" if processes == 1 else "--pool=prefork",
        f"--concurrency={processes}",
        "--loglevel=INFO",
        "-n",
        node_name,
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    log_path = log_dir / f"worker-{node_name.split('@')[0]}.log"
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    return Worker(process, log_path, node_name)


def send(redis_url: str, queue: str, task: str, *args) -> None:
    """Put one message on the broker (the test settings run tasks inline otherwise)."""
    from celery.exceptions import AlwaysEagerIgnored

    from videocreator.celery import app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        with app.connection_for_write(redis_url) as conn:
            app.send_task(task, args=args, connection=conn, queue=queue)


def wait_for(
    condition: Callable[[], object], workers: list[Worker], what: str, timeout: float = 60
):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        for worker in workers:
            if worker.process.poll() is not None:
                pytest.fail(f"A worker stopped before {what}.\n{worker.describe()}")
        time.sleep(POLL_INTERVAL)
    details = "\n\n".join(worker.describe() for worker in workers)
    pytest.fail(f"Gave up after {timeout:.0f} s waiting for {what}.\n{details}")


@contextlib.contextmanager
def tasks_sent_to(url: str, queue: str = "celery") -> Iterator[None]:
    """In this process, send tasks to the broker at `url` (not run them inline)."""
    from videocreator.celery import app

    saved = (app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = (
        False,
        url,
        queue,
    )
    _forget_connections(app)
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url, app.conf.task_default_queue = saved
        _forget_connections(app)


def _forget_connections(app) -> None:
    """Connection and producer pools are made on first use, for the broker URL of then.

    kombu also keeps a process-wide registry of producer pools keyed by connection: a second
    switch to the same URL would be handed the pool closed by the first, so it is reset too.
    """
    from kombu import pools

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()
