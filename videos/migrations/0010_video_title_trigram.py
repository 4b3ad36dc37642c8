"""Title search from an index on PostgreSQL: the pg_trgm extension and a GIN trigram index.

The search is `title__icontains`, which Django writes on PostgreSQL as
`UPPER("videos_video"."title"::text) LIKE UPPER('%…%')`. A trigram index serves LIKE only on
the very expression it indexes, so the index is on `upper(title::text)`, not on `title`: an
index on the bare column would never be used by that query.

SQLite has neither pg_trgm nor GIN; it keeps its plain search and this migration does nothing
there. The index is not in the model's Meta for the same reason (Django would try to create it
on SQLite too); the model names it in a comment.

`fastupdate = off`: a title enters the index when it is written, not via GIN's pending list,
which every search would scan in full until vacuum merges it. Videos are created at the pace
people work, so each insert paying its index update (well under a millisecond) is the better
trade than searches slowing between vacuums.

pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it without being a
superuser. Where the migration's role may not, run `CREATE EXTENSION pg_trgm;` once as a
superuser beforehand; `IF NOT EXISTS` then skips it.
"""

from django.db import migrations

INDEX = "video_title_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON videos_video "
        "USING gin (upper(title::text) gin_trgm_ops) WITH (fastupdate = off)"
    )


def drop_trigram_index(apps, schema_editor):
    # The extension stays: other indexes or queries may use it by then.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("videos", "0009_video_ws_status_created")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
