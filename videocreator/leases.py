"""Claimed background work: the one lease helper for rows a worker takes (renders, exports,
posts; later webhook deliveries and campaign sends).

A claim stores a fresh random token on the row and hands the row, token included, to the
worker. Every later write of that worker (heartbeat, progress, finish) is filtered by the
token, so once the row was requeued (its token cleared) and claimed again (a new token), the
old worker's writes match nothing: it learns it lost the row and drops its result. Worker
names (host:pid) are only for people reading the admin; correctness rests on the token.

This module imports no app: each app describes its model with a `Lease`.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connections, models, transaction
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


def worker_name() -> str:
    """host:pid, unique per process: forked Celery children share a host but not a pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def per_row(model: type[models.Model], field_name: str, values: dict[Any, Any], using: str):
    """An expression for an UPDATE of the rows whose pks are `values`' keys that sets
    `field_name` to each one's own value: `CASE pk WHEN … THEN … END`. Django's bulk_update
    builds a Case(When(pk=…)) per row and field, each resolved as a lookup in Python: about a
    millisecond a row, more than the statement itself for a batch of deliveries."""
    connection = connections[using]
    pk = model._meta.pk
    field = model._meta.get_field(field_name)
    params: list[Any] = []
    for key, value in values.items():
        params.append(pk.get_db_prep_value(key, connection))
        params.append(field.get_db_prep_value(value, connection))
    whens = " ".join(["WHEN %s THEN %s"] * len(values))
    column, target = (connection.ops.quote_name(f.column) for f in (pk, field))
    # The cast: a CASE of parameters has no type of its own on PostgreSQL (NULLs, uuids).
    sql = f"CAST(CASE {column} {whens} ELSE {target} END AS {field.cast_db_type(connection)})"
    # Quoted column names, a type name and placeholders: every value is a parameter.
    return RawSQL(sql, params, output_field=field)  # noqa: S611


@dataclass(frozen=True)
class Lease(Generic[M]):
    """How rows of `model` are claimed, kept alive, finished and requeued.

    `waiting` describes a claimable row and is what a requeue sets again (e.g. status
    "queued"); `running` is what a claim sets and what a held row still looks like. A row may
    be claimed `max_attempts` times; a stale row that has used them up is failed instead.
    With `attempt_on_claim` false the worker counts its own attempts when it finishes (a
    publish that waited on a rate limit used none) and a requeue counts the lost run.
    """

    model: type[M]
    waiting: dict[str, Any]
    running: dict[str, Any]
    max_attempts: int
    token_field: str = "token"  # noqa: S105 - a field name, not a secret
    heartbeat_field: str = "heartbeat_at"
    attempts_field: str = "attempts"
    worker_field: str | None = "worker"
    attempt_on_claim: bool = True

    def _rows(self) -> QuerySet[M]:
        return self.model._default_manager.all()

    def _claim_values(self, now: dt.datetime) -> dict[str, Any]:
        values: dict[str, Any] = {
            **self.running,
            self.token_field: uuid.uuid4(),
            self.heartbeat_field: now,
        }
        if self.attempt_on_claim:
            values[self.attempts_field] = F(self.attempts_field) + 1
        if self.worker_field:
            values[self.worker_field] = worker_name()
        return values

    def _held(self, row: M, where: Q) -> QuerySet[M]:
        token = getattr(row, self.token_field)
        return self._rows().filter(where, pk=row.pk, **self.running, **{self.token_field: token})

    def claim(
        self, pk: Any, *, queryset: QuerySet[M] | None = None, where: Q | None = None, **values: Any
    ) -> M | None:
        """Take one waiting row with one conditional UPDATE (also setting `values`); returns
        it, read through `queryset` and carrying its new token, or None when it is not waiting
        (another worker has it, it finished, or `where` does not hold)."""
        claim = {**self._claim_values(timezone.now()), **values}
        updated = self._rows().filter(where or Q(), pk=pk, **self.waiting).update(**claim)
        if not updated:
            return None
        rows = self._rows() if queryset is None else queryset
        return rows.filter(pk=pk, **{self.token_field: claim[self.token_field]}).first()

    def claim_batch(
        self,
        *,
        due: Q,
        order_by: Sequence[str],
        limit: int,
        now: dt.datetime | None = None,
        **values: Any,
    ) -> list[M]:
        """Up to `limit` waiting rows matching `due`, each with its own token. Rows another
        claimer has locked are skipped (SKIP LOCKED), so racing claimers take disjoint sets.
        Call it inside the transaction that hands the rows out (tasks queued on commit)."""
        now = now or timezone.now()
        with transaction.atomic():
            queryset = self._rows().select_for_update(skip_locked=True)
            rows = list(queryset.filter(due, **self.waiting).order_by(*order_by)[:limit])
            if not rows:
                return rows
            # One UPDATE: what every row gets alike, the count, and each row its own token.
            claim = {**self._claim_values(now), **values}
            tokens = {row.pk: uuid.uuid4() for row in rows}
            claim[self.token_field] = per_row(self.model, self.token_field, tokens, queryset.db)
            self._rows().filter(pk__in=tokens).update(**claim)
            for row in rows:
                claim[self.token_field] = tokens[row.pk]
                if self.attempt_on_claim:
                    # The row is locked: the UPDATE's F() + 1 is this number.
                    claim[self.attempts_field] = getattr(row, self.attempts_field) + 1
                for name, value in claim.items():
                    setattr(row, name, value)
        return rows

    def heartbeat(self, row: M, **values: Any) -> bool:
        """Still ours? Then note we are alive and write `values` (progress); False (and no
        write) when the row was taken from us."""
        now = timezone.now()
        return bool(self._held(row, Q()).update(**{self.heartbeat_field: now}, **values))

    def finish(self, row: M, *, where: Q | None = None, **values: Any) -> bool:
        """End our run by writing `values` (the outcome) and releasing the token, if the row is
        still ours and `where` holds; False, with nothing written, otherwise."""
        released = {self.token_field: None, **values}
        return bool(self._held(row, where or Q()).update(**released))

    def requeue_stale(
        self,
        *,
        older_than: dt.timedelta,
        requeue: dict[str, Any] | None = None,
        fail: dict[str, Any],
        now: dt.datetime | None = None,
    ) -> tuple[list[M], list[M]]:
        """Held rows whose worker has not reported for `older_than` lose their token: they
        wait again (with `requeue` values), or get `fail` values once they have used
        `max_attempts`. Returns (requeued, failed) as read before the change; call it inside
        the transaction that reacts to them (queueing tasks again on commit)."""
        now = now or timezone.now()
        with transaction.atomic():
            stale = list(
                self._rows()
                .select_for_update(skip_locked=True)
                .filter(**self.running, **{f"{self.heartbeat_field}__lt": now - older_than})
            )
            lost_run = 0 if self.attempt_on_claim else 1
            used_up = {
                row.pk
                for row in stale
                if getattr(row, self.attempts_field) + lost_run >= self.max_attempts
            }
            failed = [row for row in stale if row.pk in used_up]
            requeued = [row for row in stale if row.pk not in used_up]
            released: dict[str, Any] = {self.token_field: None}
            if lost_run:
                released[self.attempts_field] = F(self.attempts_field) + 1
            if requeued:
                again = {**released, **self.waiting, **(requeue or {})}
                if self.worker_field:
                    again[self.worker_field] = ""
                self._rows().filter(pk__in=[row.pk for row in requeued]).update(**again)
            if failed:
                self._rows().filter(pk__in=[row.pk for row in failed]).update(**released, **fail)
        return requeued, failed
