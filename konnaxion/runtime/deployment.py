"""What a deployment must give every process, checked before any of them starts.

A deployment runs `serve`, `worker` and `beat` processes on several machines: a value that
must be equal on all of them is never made up by one process (each would make its own). The
production settings call `deployment_problems` and refuse to load while any is found.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Mapping

from konnaxion.runtime.services import RedisConfigurationError, redis_purpose_urls

STORAGE_KEY_HOW = (
    "make one with `konnaxion storage-key`, give the same value to every process, and keep it "
    "with the backups: blobs cannot be read without it (docs/deploy.md)"
)
DJANGO_KEY_HOW = "make one with `konnaxion secret-key` and give the same value to every process"
# Below it, the refreshes of the messages a live worker holds (every quarter of the timeout)
# would come too close to one another and to the sweeps for them to be dependable.
MIN_VISIBILITY_TIMEOUT = 10
VISIBILITY_TIMEOUT_HOW = (
    f"a whole number of seconds, at least {MIN_VISIBILITY_TIMEOUT}, after which a task of a "
    'worker that died is delivered again (docs/deploy.md, "When a worker dies")'
)


def new_storage_key() -> str:
    """A new storage master key: base64 of 32 random bytes."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


def new_secret_key() -> str:
    """A new Django secret key."""
    return secrets.token_urlsafe(50)


def storage_key_problem(value: str, *, name: str = "KONNAXION_STORAGE_KEY") -> str | None:
    """Why `value` is not a storage master key (base64 of 32 bytes), or None."""
    if not value.strip():
        return f"{name} is not set: {STORAGE_KEY_HOW}"
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return f"{name} is not base64: {STORAGE_KEY_HOW}"
    if len(key) != 32:
        return f"{name} is {len(key)} bytes, not 32: {STORAGE_KEY_HOW}"
    return None


def visibility_timeout_problem(value: str) -> str | None:
    """Why `value` is not a CELERY_VISIBILITY_TIMEOUT, or None (an empty value takes the
    default)."""
    if not value.strip():
        return None
    try:
        seconds = int(value.strip())
    except ValueError:
        return f"CELERY_VISIBILITY_TIMEOUT is {value!r}: it must be {VISIBILITY_TIMEOUT_HOW}"
    if seconds < MIN_VISIBILITY_TIMEOUT:
        return f"CELERY_VISIBILITY_TIMEOUT is {seconds}: it must be {VISIBILITY_TIMEOUT_HOW}"
    return None


def deployment_problems(environ: Mapping[str, str]) -> list[str]:
    """Every value of `environ` a deployment lacks or gives wrongly, one sentence each."""
    problems = []
    storage_key = storage_key_problem(environ.get("KONNAXION_STORAGE_KEY", ""))
    if storage_key:
        problems.append(storage_key)
    for old in [key for key in environ.get("KONNAXION_STORAGE_OLD_KEYS", "").split(",") if key]:
        problem = storage_key_problem(old, name="KONNAXION_STORAGE_OLD_KEYS")
        if problem:
            problems.append(problem.split(":")[0] + ": each must be a former storage key")
    if not environ.get("DJANGO_SECRET_KEY", ""):
        problems.append(f"DJANGO_SECRET_KEY is not set: {DJANGO_KEY_HOW}")
    if not environ.get("DJANGO_ALLOWED_HOSTS", ""):
        problems.append(
            "DJANGO_ALLOWED_HOSTS is not set: the host names the site answers to, "
            "comma-separated (e.g. konnaxion.example.org)"
        )
    if not environ.get("DATABASE_URL", ""):
        problems.append(
            "DATABASE_URL is not set: the PostgreSQL server every process uses "
            "(postgres://user:password@host:5432/konnaxion)"
        )
    try:
        databases = int(environ.get("REDIS_DATABASES", "") or 16)
        redis_purpose_urls(environ, databases=databases)
    except RedisConfigurationError as error:
        problems.append(f"{error} (redis://host:6379/0 gives databases 0 to 4; docs/deploy.md)")
    except ValueError:
        problems.append("REDIS_DATABASES must be a whole number")
    visibility_timeout = visibility_timeout_problem(environ.get("CELERY_VISIBILITY_TIMEOUT", ""))
    if visibility_timeout:
        problems.append(visibility_timeout)
    if environ.get("S3_BUCKET", ""):
        for name in ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY"):
            if not environ.get(name, ""):
                problems.append(f"{name} is not set: S3_BUCKET is, and the bucket needs it")
    elif not environ.get("MEDIA_ROOT", ""):
        problems.append(
            "neither S3_BUCKET nor MEDIA_ROOT is set: blobs go to an S3-compatible bucket "
            "(S3_BUCKET, S3_ENDPOINT_URL, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION), or "
            "to a folder that every process shares (MEDIA_ROOT)"
        )
    return problems
