"""Rows in bulk: primary keys handed out before the rows exist, and one buffer per table that
is written in one statement per batch.

Every generated row carries its own key, so the generator can point foreign keys, event
subjects and invoice numbers at rows it has not written yet, and nothing is read back.
Keys come from the table's own sequence (PostgreSQL: `nextval` for a block at a time, so
concurrent writers never collide) or, on SQLite, after the largest key the table ever had.

A buffer is written with PostgreSQL's COPY (the same rows `bulk_create` would insert, several
times faster: `bulk_create` spends most of its time adapting parameter arrays in Python) and
with one multi-row `executemany` INSERT on SQLite, each value prepared by its field. Either
way, every column is written as given: `auto_now` columns (`Event.recorded_at`,
`Video.updated_at`) keep the history's times instead of the moment of the seed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, models

BLOCK_MIN, BLOCK_MAX = 1_000, 50_000
SQLITE_BATCH = 500

_MISSING = object()


class Ids:
    """Primary keys for rows not written yet, per model, in increasing order."""

    def __init__(self) -> None:
        self._free: dict[type[models.Model], list[int]] = {}
        self._block: dict[type[models.Model], int] = {}
        self._next_sqlite: dict[type[models.Model], int] = {}

    def take(self, model: type[models.Model]) -> int:
        free = self._free.get(model)
        if not free:
            free = self._free[model] = self._reserve(model)
        return free.pop()

    def _reserve(self, model: type[models.Model]) -> list[int]:
        size = self._block[model] = min(BLOCK_MAX, self._block.get(model, BLOCK_MIN // 2) * 2)
        table, column = model._meta.db_table, model._meta.pk.column
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, column, size],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                if model not in self._next_sqlite:
                    self._next_sqlite[model] = _sqlite_after_largest(cursor, table, column)
                first = self._next_sqlite[model]
                self._next_sqlite[model] = first + size
                ids = list(range(first, first + size))
        ids.reverse()  # popped from the end: smallest first
        return ids


def _sqlite_after_largest(cursor, table: str, column: str) -> int:
    quote = connection.ops.quote_name
    cursor.execute(f"SELECT MAX({quote(column)}) FROM {quote(table)}")  # noqa: S608
    largest = cursor.fetchone()[0] or 0
    # AUTOINCREMENT never reuses a key, even one whose row was deleted: neither do we.
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    row = cursor.fetchone()
    return max(largest, row[0] if row else 0) + 1


class Table:
    """A buffer of rows for one model; `add` takes attribute names (`workspace_id`)."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.json = [
            i for i, field in enumerate(self.fields) if isinstance(field, models.JSONField)
        ]
        self.columns = [(field.attname, _static_default(field)) for field in self.fields]
        self.required = {name for name, default in self.columns if default is _MISSING}
        self.rows: list[dict[str, Any]] = []
        self.written = 0

    def add(self, **values: Any) -> None:
        self.rows.append(values)

    def tuples(self) -> Iterable[list]:
        columns, required = self.columns, self.required
        for row in self.rows:
            if not required <= row.keys():
                missing = ", ".join(sorted(required - row.keys()))
                raise ValueError(f"{self.model.__name__}: no value and no default for {missing}")
            yield [row.get(name, default) for name, default in columns]

    def flush(self) -> int:
        if not self.rows:
            return 0
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self._insert()
        count = len(self.rows)
        self.written += count
        self.rows = []
        return count

    def _copy(self) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        statement = f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for values in self.tuples():
                for index in self.json:
                    if values[index] is not None:
                        values[index] = json.dumps(values[index])
                copy.write_row(values)

    def _insert(self) -> None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        statement = f"INSERT INTO {quote(self.model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        prepared = [
            [
                field.get_db_prep_save(value, connection)
                for field, value in zip(self.fields, values, strict=True)
            ]
            for values in self.tuples()
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(prepared), SQLITE_BATCH):
                cursor.executemany(statement, prepared[start : start + SQLITE_BATCH])


def _static_default(field: models.Field) -> Any:
    """What a column gets when a row leaves it out: its constant default, a fresh empty dict or
    list, NULL or "" as Django would; a default computed per row (a time, a uuid) must be given."""
    if field.has_default():
        default = field.default
        if default in (dict, list):
            return default()  # shared, never changed: rows are only written
        if callable(default):
            return _MISSING
        return default
    if field.null:
        return None
    if field.empty_strings_allowed and not field.primary_key:
        return ""
    return _MISSING


class Writer:
    """One buffer per model, written in the order the models were first named (parents before
    the rows that point at them), `flush` at the end of each chunk of people."""

    def __init__(self, models_in_order: Iterable[type[models.Model]]) -> None:
        self.tables = {model: Table(model) for model in models_in_order}

    def __getitem__(self, model: type[models.Model]) -> Table:
        return self.tables[model]

    def pending(self) -> int:
        return sum(len(table.rows) for table in self.tables.values())

    def flush(self) -> int:
        return sum(table.flush() for table in self.tables.values())

    def counts(self) -> dict[str, int]:
        return {table.model._meta.label: table.written for table in self.tables.values()}


def analyze(models_written: Iterable[type[models.Model]]) -> None:
    """Refresh PostgreSQL's statistics of tables that just grew by millions of rows: until
    autovacuum gets to them the planner believes them nearly empty, and a metric's query that
    takes a second can run for minutes. (Rows of the running transaction count as live.)"""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_written:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
