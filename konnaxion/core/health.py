"""Health probes of the services the platform needs (README, "Health probes").

Three depths: `/livez` touches nothing; `/readyz` asks the database, Redis and the storage
whether they answer (read-only, each under a deadline); `/healthz` adds the workers and beat,
read from the heartbeats they publish in Redis. No probe writes anything or queues a task.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection

HEARTBEAT_KEY = "worker-heartbeat"
WORKER_BEAT_PREFIX = "konnaxion:heartbeat:worker:"
BEAT_BEAT_KEY = "konnaxion:heartbeat:beat"
OK = "ok"

logger = logging.getLogger(__name__)


def _redis_client(url: str | None = None) -> redis.Redis:
    timeout = settings.HEALTH_CHECK_TIMEOUT
    return redis.Redis.from_url(
        url or settings.HEARTBEAT_REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout
    )


def check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # the probe's thread ends here; its connection must not linger


def check_redis() -> None:
    """Every use of Redis answers (each may have a server of its own; docs/deploy.md)."""
    for url in dict.fromkeys(settings.REDIS_PURPOSE_URLS.values()):
        client = _redis_client(url)
        try:
            client.ping()
        finally:
            client.close()


def check_storage() -> None:
    """Read-only: the bucket answers a HEAD (S3); locally, the media folder (or, before the first
    file, the folder that will hold it) is a folder this process may write into."""
    storage: Any = default_storage  # S3Storage or FileSystemStorage, by the settings
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        storage.connection.meta.client.head_bucket(Bucket=bucket)
        return
    location = Path(storage.location)
    folder = next((path for path in (location, *location.parents) if path.exists()), location)
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"the storage folder {location} cannot be written")


def heartbeats_read() -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The workers' live heartbeats (name, age in seconds), newest first, and beat's (or None).
    A heartbeat lives in Redis until its TTL runs out: an entry is a process that beat lately."""
    client = _redis_client()
    try:
        names = sorted(client.scan_iter(match=f"{WORKER_BEAT_PREFIX}*", count=100))
        values = client.mget([*names, BEAT_BEAT_KEY])
    finally:
        client.close()
    now = time.time()
    beats = [json.loads(value) for value in values[:-1] if value is not None]
    workers = sorted(
        ({"name": beat["name"], "age": round(max(0.0, now - beat["at"]), 1)} for beat in beats),
        key=lambda worker: worker["age"],
    )
    beat = json.loads(values[-1]) if values[-1] is not None else None
    if beat is not None:
        beat = {"name": beat["name"], "age": round(max(0.0, now - beat["at"]), 1)}
    return workers, beat


def heartbeat_publish(*, key: str, name: str) -> None:
    """Record that process `name` is alive under `key`, forgotten after WORKER_HEARTBEAT_MAX_AGE."""
    client = _redis_client()
    try:
        value = json.dumps({"name": name, "at": time.time()})
        client.set(key, value, ex=settings.WORKER_HEARTBEAT_MAX_AGE)
    finally:
        client.close()


def heartbeat_forget(*, key: str) -> None:
    """Remove a heartbeat at once (a process stopping cleanly)."""
    client = _redis_client()
    try:
        client.delete(key)
    finally:
        client.close()


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "redis": check_redis,
    "storage": check_storage,
}


def _run(checks: dict[str, Callable[[], None]]) -> dict[str, str]:
    """Run the checks side by side, each in a thread of this probe's own (so that probes never
    wait for one another), and give up on those still running after the deadline: one that
    hangs is reported as timed out instead of holding the request."""
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="health-probe")
    try:
        futures = {name: pool.submit(check) for name, check in checks.items()}
        deadline = time.monotonic() + settings.HEALTH_CHECK_TIMEOUT + 1
        results: dict[str, str] = {}
        for name, future in futures.items():
            try:
                future.result(timeout=max(0.0, deadline - time.monotonic()))
            except FutureTimeout:
                results[name] = f"TimeoutError: no answer within {settings.HEALTH_CHECK_TIMEOUT} s"
            except Exception as exc:
                results[name] = f"{type(exc).__name__}: {exc}"[:300]
            else:
                results[name] = OK
        return results
    finally:
        pool.shutdown(wait=False)


def readiness_report() -> tuple[bool, dict[str, str]]:
    """Database, Redis and storage, each `ok` or the error it met. Returns (ready, checks)."""
    results = _run(READINESS_CHECKS)
    return all(value == OK for value in results.values()), results


def health_report() -> tuple[bool, dict[str, Any]]:
    """Everything of readiness plus the workers and beat. Returns (healthy, report) where report
    holds `checks` (each `ok` or what failed), `workers` and `beat` (None when silent)."""
    checks = _run(READINESS_CHECKS)
    workers: list[dict[str, Any]] = []
    beat = None
    if checks["redis"] == OK:
        try:
            workers, beat = heartbeats_read()
        except Exception as exc:
            checks["redis"] = f"{type(exc).__name__}: {exc}"[:300]
    max_age = settings.WORKER_HEARTBEAT_MAX_AGE
    checks["celery-worker"] = OK if workers else f"no worker heartbeat in the last {max_age} s"
    checks["celery-beat"] = OK if beat else f"no beat heartbeat in the last {max_age} s"
    healthy = all(value == OK for value in checks.values())
    return healthy, {"checks": checks, "workers": workers, "beat": beat}
