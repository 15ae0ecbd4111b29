"""Addresses of the external services, derived from the configured URLs."""

import os
import secrets
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
