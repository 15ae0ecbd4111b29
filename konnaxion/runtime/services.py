"""Addresses of the external services, derived from the configured URLs."""

import base64
import os
import secrets
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit


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
