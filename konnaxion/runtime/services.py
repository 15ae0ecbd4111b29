"""Addresses of the external services, derived from the configured URLs."""

import base64
import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Each use of Redis has its own URL (an environment variable of the same name). Unset, each is
# REDIS_URL's server at REDIS_URL's database number plus the offset here: REDIS_URL=.../8 gives
# the broker 8, the cache 9, the channel layer 10, insights 11 and the room slots 12.
REDIS_PURPOSES: dict[str, int] = {
    "CELERY_BROKER_URL": 0,
    "CACHE_REDIS_URL": 1,
    "CHANNELS_REDIS_URL": 2,
    "INSIGHTS_REDIS_URL": 3,
    "COLLAB_ROOMS_REDIS_URL": 4,
}
# Logical databases a Redis server has unless its `databases` directive says otherwise.
REDIS_DEFAULT_DATABASES = 16


class RedisConfigurationError(ValueError):
    """The Redis URLs of the purposes cannot be used together (the message says why)."""


def redis_url_for(url: str, *, db: int, celery: bool = False) -> str:
    """Return `url` pointing at logical database `db`.

    Unix-socket URLs carry the database as `?db=N` (and Celery spells their scheme
    `redis+socket://`); TCP URLs carry it as the path.
    """
    parts = urlsplit(url)
    if parts.scheme in ("unix", "redis+socket"):
        query = dict(parse_qsl(parts.query))
        query["db"] = str(db)
        scheme = "redis+socket" if celery else "unix"
        # Built by hand: urlunsplit would drop the `//` of an empty host.
        return f"{scheme}://{parts.netloc}{parts.path}?{urlencode(query)}"
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, ""))


def redis_client_url(url: str) -> str:
    """`url` as redis-py reads it (Celery spells unix sockets `redis+socket://`)."""
    if url.startswith("redis+socket://"):
        return "unix://" + url.removeprefix("redis+socket://")
    return url


def redis_celery_url(url: str) -> str:
    """`url` as Celery reads it (it spells unix sockets `redis+socket://`)."""
    if url.startswith("unix://"):
        return "redis+socket://" + url.removeprefix("unix://")
    return url


def redis_db_of(url: str) -> int:
    """The logical database a Redis URL names (`/N` or `?db=N`; 0 when it names none)."""
    parts = urlsplit(url)
    db = dict(parse_qsl(parts.query)).get("db")
    if db is None and parts.scheme not in ("unix", "redis+socket"):
        db = parts.path.strip("/") or None
    if db is None:
        return 0
    if not db.isdigit():
        raise RedisConfigurationError(f"the Redis URL {redis_url_shown(url)} names database {db!r}")
    return int(db)


def redis_url_shown(url: str) -> str:
    """`url` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")[2]
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urlunsplit((parts.scheme, user + netloc, parts.path, parts.query, ""))


def redis_purpose_urls(
    environ: Mapping[str, str], *, databases: int = REDIS_DEFAULT_DATABASES
) -> dict[str, str]:
    """The Redis URL of each purpose (REDIS_PURPOSES), as redis-py reads it: its own variable in
    `environ`, or else REDIS_URL at its database number plus the purpose's offset.

    Raises RedisConfigurationError when a derived database does not exist on the server, or
    when two purposes share one database: the cache empties its database (FLUSHDB) when
    cleared, and the others would be emptied with it.
    """
    base = environ.get("REDIS_URL", "")
    urls: dict[str, str] = {}
    for name, offset in REDIS_PURPOSES.items():
        given = environ.get(name, "")
        if given:
            urls[name] = redis_client_url(given)
            continue
        if not base:
            raise RedisConfigurationError(f"{name} is not set, and neither is REDIS_URL")
        db = redis_db_of(base) + offset
        if db >= databases:
            raise RedisConfigurationError(
                f"{name} would be database {db} of REDIS_URL ({redis_url_shown(base)}), past "
                f"the server's {databases} (REDIS_DATABASES): give REDIS_URL a database number "
                f"of at most {databases - len(REDIS_PURPOSES)}, or set {name}"
            )
        urls[name] = redis_url_for(base, db=db)
    clashes = redis_clashes(urls)
    if clashes:
        raise RedisConfigurationError("; ".join(clashes))
    return urls


def redis_clashes(urls: Mapping[str, str]) -> list[str]:
    """Pairs of purposes whose URLs name the same database of the same server."""
    seen: dict[tuple[str, str, int], str] = {}
    clashes = []
    for name, url in urls.items():
        place = _redis_place(url)
        if place in seen:
            clashes.append(
                f"{seen[place]} and {name} both use database {place[2]} of one Redis server "
                f"({redis_url_shown(url)}): each purpose needs its own database"
            )
        else:
            seen[place] = name
    return clashes


def _redis_place(url: str) -> tuple[str, str, int]:
    """(server, socket path or '', database) of a Redis URL, whatever its spelling."""
    parts = urlsplit(url)
    if parts.scheme in ("unix", "redis+socket"):
        return ("unix", parts.path, redis_db_of(url))
    host = (parts.hostname or "localhost").lower()
    return (f"{host}:{parts.port or 6379}", "", redis_db_of(url))


def local_secret_key(data_dir: Path) -> str:
    """A secret key made once for this data directory, for runs that were given none."""
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


def local_storage_key(data_dir: Path) -> str:
    """A storage master key (base64 of 32 bytes) made once for this data directory.

    Used when `KONNAXION_STORAGE_KEY` is not given; concurrent first runs agree on one key.
    """
    path = data_dir / "storage_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(base64.b64encode(secrets.token_bytes(32)).decode())
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)  # another process created the file and is still writing it
    return path.read_text().strip()
