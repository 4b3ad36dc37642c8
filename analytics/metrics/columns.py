"""Columns PostgreSQL converts for Python, for queries that read hundreds of thousands of rows:
Django's psycopg 3 loader parses each timestamp in Python (Django ticket #36960), which for a
year's funnel was two thirds of its time."""

from __future__ import annotations

from django.db.models import CharField, FloatField, Func


class _ConvertedByPostgres(Func):
    """A column PostgreSQL converts for Python (`as_postgresql`), so that no Python code runs
    per row; other databases return the column as it is, read as the column is read."""

    @property
    def convert_value(self):
        return self._convert_value_noop  # PostgreSQL's value needs no conversion

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def get_db_converters(self, connection) -> list:
        if connection.vendor == "postgresql":
            return super().get_db_converters(connection)
        source = self.source_expressions[0]
        return connection.ops.get_db_converters(source) + source.get_db_converters(connection)


class EpochSeconds(_ConvertedByPostgres):
    """An instant as seconds since 1970 (a float) on PostgreSQL: turning a year's 380,000
    timestamps into datetimes took two thirds of the funnel's time (Django's psycopg loader
    parses each in Python). Elsewhere a datetime, which the caller converts."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"EXTRACT(EPOCH FROM {sql})::double precision", params


class UuidText(_ConvertedByPostgres):
    """A UUID as its text with dashes on PostgreSQL (a year's 200,000 visitors otherwise cost
    a `str()` each); elsewhere a UUID, which the caller converts."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::text", params
