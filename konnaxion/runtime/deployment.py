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
# Each process's PostgreSQL connection pool, unless DATABASE_POOL_MIN_SIZE / _MAX_SIZE /
# _TIMEOUT say otherwise: connections kept open when idle, the most open at once, and the
# seconds a request waits for one (docs/deploy.md, "Database connections").
DATABASE_POOL_MIN_SIZE = 2
DATABASE_POOL_MAX_SIZE = 10
DATABASE_POOL_TIMEOUT = 10.0
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


# The words django-environ reads as a boolean; anything else is refused rather than read as off.
TRUE_WORDS = {"true", "on", "ok", "y", "yes", "1"}
FALSE_WORDS = {"false", "off", "n", "no", "0"}
POOL_HOW = 'docs/deploy.md, "Database connections"'


def database_pool_on(environ: Mapping[str, str], *, default: bool = True) -> bool:
    """Whether DATABASE_POOL turns the connection pool on (`default` when it is empty)."""
    switch = environ.get("DATABASE_POOL", "").strip().lower()
    return default if not switch else switch in TRUE_WORDS


def _whole_number(environ: Mapping[str, str], name: str, *, least: int) -> tuple[int | None, str]:
    """(value, problem): an empty variable is (None, "")."""
    value = environ.get(name, "").strip()
    if not value:
        return None, ""
    try:
        number = int(value)
    except ValueError:
        return None, f"{name} is {value!r}: it must be a whole number, at least {least}"
    if number < least:
        return None, f"{name} is {number}: it must be a whole number, at least {least}"
    return number, ""


def database_pool_problems(environ: Mapping[str, str], *, default: bool = True) -> list[str]:
    """Why the connection pool's settings in `environ` cannot be used, one sentence each:
    the switch is no boolean word, a size or the timeout is no number in range, or
    CONN_MAX_AGE keeps connections while the pool is on (Django refuses both at once)."""
    problems = []
    switch = environ.get("DATABASE_POOL", "").strip().lower()
    if switch and switch not in TRUE_WORDS | FALSE_WORDS:
        problems.append(f"DATABASE_POOL is {switch!r}: it must be true or false ({POOL_HOW})")
    if not database_pool_on(environ, default=default):
        return problems
    min_size, min_problem = _whole_number(environ, "DATABASE_POOL_MIN_SIZE", least=0)
    max_size, max_problem = _whole_number(environ, "DATABASE_POOL_MAX_SIZE", least=1)
    problems += [problem for problem in (min_problem, max_problem) if problem]
    lowest = DATABASE_POOL_MIN_SIZE if min_size is None else min_size
    highest = DATABASE_POOL_MAX_SIZE if max_size is None else max_size
    if not (min_problem or max_problem) and lowest > highest:
        problems.append(
            f"DATABASE_POOL_MIN_SIZE ({lowest}) is above DATABASE_POOL_MAX_SIZE ({highest}): "
            "a pool keeps at least its minimum and never more than its maximum"
        )
    timeout = environ.get("DATABASE_POOL_TIMEOUT", "").strip()
    if timeout:
        try:
            seconds = float(timeout)
        except ValueError:
            seconds = -1.0
        if not 0 < seconds < float("inf"):
            problems.append(
                f"DATABASE_POOL_TIMEOUT is {timeout!r}: it must be a number of seconds above 0, "
                "how long a request waits for a free connection before it fails"
            )
    max_age = environ.get("CONN_MAX_AGE", "").strip()
    if max_age and max_age != "0":
        problems.append(
            f"CONN_MAX_AGE is {max_age!r} while DATABASE_POOL is on: the pool keeps the "
            "connections, and Django refuses both at once; leave CONN_MAX_AGE unset (or 0), or "
            f"set DATABASE_POOL=false ({POOL_HOW})"
        )
    return problems


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
    problems += database_pool_problems(environ)
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
