"""The embedded SQLite database shared by `make run`'s web, worker and beat processes: a
transaction that reads and then writes waits for another writer instead of failing with
"database is locked" (which lost a task's e-mail)."""

import threading
import time
from pathlib import Path

import environ
import pytest
from django.db import connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from videocreator.settings_database import database_settings


def _connection(path: Path, *, alias: str) -> DatabaseWrapper:
    env = environ.Env()
    env.ENVIRON = {"DATABASE_URL": f"sqlite:///{path}"}
    configured = {
        **connections.settings["default"],
        **database_settings(env, path.parent)["default"],
    }
    configured["OPTIONS"] = {**configured["OPTIONS"], "timeout": 5}
    return DatabaseWrapper(configured, alias=alias)


def test_embedded_sqlite_settings_take_the_write_lock_at_begin(tmp_path):
    env = environ.Env()
    env.ENVIRON = {}
    options = database_settings(env, tmp_path)["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]


@pytest.mark.timeout(60)
def test_a_transaction_that_reads_then_writes_waits_for_another_writer(tmp_path, django_db_blocker):
    # Connections of their own to a file of their own, not the test database.
    with django_db_blocker.unblock():
        _read_then_write_beside_a_writer(tmp_path / "shared.sqlite3")


def _read_then_write_beside_a_writer(path: Path) -> None:
    setup = _connection(path, alias="setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, note TEXT)")
    setup.close()
    holding, done = threading.Event(), threading.Event()

    def other_writer() -> None:
        # Another process's task: it writes and holds the lock for a moment.
        connections["web"] = _connection(path, alias="web")
        try:
            with transaction.atomic(using="web"), connections["web"].cursor() as cursor:
                cursor.execute("INSERT INTO ledger (note) VALUES ('web')")
                holding.set()
                time.sleep(0.5)
            done.set()
        finally:
            connections["web"].close()
            del connections["web"]

    thread = threading.Thread(target=other_writer)
    connections["worker"] = _connection(path, alias="worker")
    thread.start()
    holding.wait(5)
    try:
        # A task's transaction.atomic(): it reads, then writes.
        with transaction.atomic(using="worker"), connections["worker"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM ledger")
            cursor.execute("INSERT INTO ledger (note) VALUES ('worker')")
        thread.join()
        with connections["worker"].cursor() as cursor:
            cursor.execute("SELECT note FROM ledger ORDER BY id")
            assert [row[0] for row in cursor.fetchall()] == ["web", "worker"]
    finally:
        connections["worker"].close()
        del connections["worker"]
    assert done.is_set()
