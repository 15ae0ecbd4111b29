"""Health checks of the services the platform needs: database, Redis, storage, a worker."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from konnaxion.core.queue import task_enqueue

HEARTBEAT_KEY = "worker-heartbeat"
HEARTBEAT_TASK = "konnaxion.core.tasks.worker_heartbeat"
OK = "ok"


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_redis() -> None:
    """Every use of Redis answers (each may have a server of its own; docs/deploy.md)."""
    for url in dict.fromkeys(settings.REDIS_PURPOSE_URLS.values()):
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        try:
            client.ping()
        finally:
            client.close()


def check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise OSError("storage returned other bytes than were written")
    finally:
        default_storage.delete(name)


def check_celery_worker() -> None:
    """Fresh when a worker ran the heartbeat task recently; a stale one asks for a new beat."""
    beat = cache.get(HEARTBEAT_KEY)
    if beat is not None and time.time() - beat["at"] <= settings.WORKER_HEARTBEAT_MAX_AGE:
        return
    task_enqueue(HEARTBEAT_TASK, expires=settings.WORKER_HEARTBEAT_MAX_AGE)
    raise RuntimeError(f"no worker heartbeat in the last {settings.WORKER_HEARTBEAT_MAX_AGE} s")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "redis": check_redis,
    "storage": check_storage,
    "celery-worker": check_celery_worker,
}


def health_report() -> tuple[bool, dict[str, str]]:
    """Run every check; each answers `ok` or the error it met. Returns (healthy, checks)."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            results[name] = f"{type(exc).__name__}: {exc}"[:300]
        else:
            results[name] = OK
    return all(value == OK for value in results.values()), results
