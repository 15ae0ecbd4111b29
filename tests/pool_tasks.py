"""A task for the connection pool test, loaded into test workers by KONNAXION_TEST_TASK_MODULES:
it tells which process ran it on which PostgreSQL backend, and whether the connection came
from a pool."""

from __future__ import annotations

import os
import time

from celery import shared_task
from django.conf import settings
from django.db import connection


@shared_task
def connection_in_use() -> dict:
    """The worker process, its backend (pid and start, unique together), whether the connection
    came from a pool, and the pool's minimum.
    It lasts a little, so that both children of the test's worker hold tasks at once."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        )
        backend_pid, started = cursor.fetchone()
    time.sleep(0.1)
    return {
        "process": os.getpid(),
        "backend": f"{backend_pid}@{started}",
        "pooled": getattr(connection.connection, "_pool", None) is not None,
        "min_size": settings.DATABASES["default"]["OPTIONS"]["pool"]["min_size"],
    }
