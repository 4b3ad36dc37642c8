"""The database settings, read from the environment like everything in settings.py, which
applies them with `DATABASES = database_settings(...)`. README.md lists each variable."""

from __future__ import annotations

from pathlib import Path

import environ


def database_settings(env: environ.Env, var_dir: Path) -> dict:
    default = env.db("DATABASE_URL", default=f"sqlite:///{var_dir / 'db.sqlite3'}")
    default.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    default["CONN_HEALTH_CHECKS"] = True
    if default["ENGINE"] == "django.db.backends.sqlite3":
        # A file, not memory, so a worker process started by a test sees the test database.
        default["TEST"] = {
            "NAME": env.str("TEST_SQLITE_NAME", default=str(var_dir / "test-db.sqlite3"))
        }
        default["CONN_MAX_AGE"] = 0
        options = default.setdefault("OPTIONS", {})
        options["timeout"] = 20
        # `make run` has web, worker and beat writing to one file. A transaction that began
        # reading and then writes cannot wait for another writer (SQLite fails it at once with
        # "database is locked", and a task's e-mail was lost that way): IMMEDIATE takes the
        # write lock at BEGIN, so it waits its turn; WAL lets readers go on meanwhile.
        options["transaction_mode"] = "IMMEDIATE"
        options["init_command"] = "PRAGMA journal_mode=WAL;"
    postgres_options(env, default)
    return {"default": default}


def postgres_options(env: environ.Env, config: dict) -> dict:
    """Turn PostgreSQL's JIT off on a PostgreSQL connection unless DATABASE_JIT is set. JIT
    compiles a query whose estimated cost is high, and the dashboards' correlated subqueries
    look expensive: compiling took 300 ms of a 400 ms query that runs in 90 ms without it.
    Our queries are short; JIT only costs them."""
    if "postgresql" in config["ENGINE"] and not env.bool("DATABASE_JIT", default=False):
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    return config
