"""A database of its own for a benchmark, and fast bulk writes into it.

`database_setup(data_dir)` points Django at the embedded PostgreSQL and Redis servers of
`data_dir` (started on first use, stopped when the last process using them exits) and migrates;
`rows_copy` writes rows with PostgreSQL's COPY, far faster than INSERTs for 10^5 rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path


def database_setup(data_dir: Path, **environment: str) -> list[str]:
    """Set up Django over the embedded servers of `data_dir` and bring its schema up to date.
    `environment` adds settings read from the environment (e.g. THROTTLE_USER). Returns the
    migrations it applied (`app.name`): a kept database was migrated, its data included."""
    os.environ.setdefault("KONNAXION_DATA_DIR", str(data_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    for name, value in environment.items():
        os.environ.setdefault(name, value)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0)
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def rows_copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """COPY `rows` (tuples in `columns` order; None is NULL) into `table`, values adapted and
    escaped by psycopg."""
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def sequences_reset(*tables: str) -> None:
    """Move the id sequence of each table past the ids written by COPY."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(MAX(id), 0) + 1 FROM {table}), false)"
            )
