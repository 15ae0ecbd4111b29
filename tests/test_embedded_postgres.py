"""The embedded PostgreSQL server: one per data directory, shared by every process using it,
stopped with the last of them (even when others were killed), refusing the data of another
major version, and able to create the contrib extensions search needs."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg
import pytest
from django.db import connection

from konnaxion.runtime.embedded import (
    IncompatiblePostgresData,
    bundled_postgres_major,
    discard_other_major_version,
    refuse_other_major_version,
)

UPGRADE = Path(__file__).resolve().parent.parent / "scripts" / "upgrade_embedded_postgres.py"
# Makes a database with PostgreSQL 16 (pgserver), as the data directories made before hold.
OLD_DATA = """
import sys
import pgserver
old = pgserver.get_server(sys.argv[1] + "/postgres", cleanup_mode="stop")
old.psql("CREATE DATABASE konnaxion")
old.psql("\\\\c konnaxion\\nCREATE TABLE kept (word text); INSERT INTO kept VALUES ('Genève');")
"""
# Joins the data directory's server, keeps a connection open, prints the server's address (as
# libpq reads it) and pid, and waits for its standard input to close.
USER = """
import sys
from pathlib import Path
import psycopg
from konnaxion.runtime.embedded import _handles, postgres_url
postgres_url(Path(sys.argv[1]))
server = _handles["postgres"]
kept_open = psycopg.connect(server.get_uri())
print(server.get_uri(), server.get_pid(), flush=True)
sys.stdin.read()
"""


def _user(data_dir: Path) -> tuple[subprocess.Popen, str, int]:
    process = subprocess.Popen(
        [sys.executable, "-c", USER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={name: value for name, value in os.environ.items() if name != "DATABASE_URL"},
    )
    assert process.stdout is not None
    url, pid = process.stdout.readline().split()
    return process, url, int(pid)


def _leave(process: subprocess.Popen) -> None:
    assert process.stdin is not None
    process.stdin.close()
    assert process.wait(timeout=60) == 0


def _gone(pid: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.1)
    return False


def _answers(url: str) -> tuple | None:
    with psycopg.connect(url) as database:
        return database.execute("SELECT 1").fetchone()


@pytest.fixture
def data_dir(tmp_path):
    yield tmp_path
    for process in psutil.process_iter(["name", "cmdline"]):  # leave no server behind
        if process.info["name"] == "postgres" and str(tmp_path) in " ".join(
            process.info["cmdline"] or []
        ):
            with contextlib.suppress(psutil.Error):
                process.kill()


def test_the_server_outlives_its_first_user_and_stops_with_the_last(data_dir):
    # given two processes using the same data directory's server
    first, url, pid = _user(data_dir)
    second, joined, joined_pid = _user(data_dir)
    assert (joined, joined_pid) == (url, pid)
    # when the one that started it exits
    _leave(first)
    # then the other still has it
    assert _answers(url) == (1,)
    # when the last one exits, its connection still open
    _leave(second)
    # then the server is gone
    assert _gone(pid)


def test_a_user_killed_does_not_keep_the_server_running(data_dir):
    # given two users, the one that started the server killed without running its exit handlers
    killed, url, pid = _user(data_dir)
    survivor, _, _ = _user(data_dir)
    killed.kill()
    killed.wait()
    assert _answers(url) == (1,)
    # when the other one exits
    _leave(survivor)
    # then the dead one did not keep the server running
    assert _gone(pid)


def test_a_user_killed_is_not_counted_by_the_next_one(data_dir):
    # given a user killed without running its exit handlers, then a new user
    killed, url, pid = _user(data_dir)
    killed.kill()
    killed.wait()
    newcomer, joined, joined_pid = _user(data_dir)
    assert (joined, joined_pid) == (url, pid)
    # when the new one exits
    _leave(newcomer)
    # then the server is gone
    assert _gone(pid)


def test_the_data_of_another_major_version_is_refused_untouched(tmp_path):
    # given a data directory made by an older PostgreSQL
    pgdata = tmp_path / "postgres"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("16\n")
    (pgdata / "base").mkdir()
    # when a command is run over it
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    run = subprocess.run(
        [sys.executable, "-m", "konnaxion.cli", "manage", "check"],
        env={**env, "KONNAXION_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    # then it stops, saying what was found and what to do, and nothing was changed
    assert run.returncode == 2
    assert "PostgreSQL 16" in run.stderr
    assert f"PostgreSQL {bundled_postgres_major()}" in run.stderr
    assert f"scripts/upgrade_embedded_postgres.py {tmp_path}" in run.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["postgres"]
    assert sorted(path.name for path in pgdata.iterdir()) == ["PG_VERSION", "base"]


def test_the_refusal_is_an_error_of_its_own(tmp_path):
    # given a data directory made by an older PostgreSQL
    (tmp_path / "postgres").mkdir()
    (tmp_path / "postgres" / "PG_VERSION").write_text("16\n")
    # when its data is checked
    # then it is refused
    with pytest.raises(IncompatiblePostgresData):
        refuse_other_major_version(tmp_path / "postgres")


def test_disposable_data_of_another_major_version_is_discarded(tmp_path):
    # given disposable data made by an older PostgreSQL, and data of the bundled one
    old, current = tmp_path / "old", tmp_path / "current"
    for pgdata, major in ((old, "16"), (current, bundled_postgres_major())):
        pgdata.mkdir()
        (pgdata / "PG_VERSION").write_text(f"{major}\n")
    # when each is offered for discarding
    discarded = [discard_other_major_version(old), discard_other_major_version(current)]
    # then only the old one is gone
    assert discarded == [True, False]
    assert not old.exists() and (current / "PG_VERSION").exists()


@pytest.mark.django_db
def test_the_search_extensions_can_be_created():
    # given the database the platform runs on (the test transaction is rolled back after)
    with connection.cursor() as cursor:
        # when the extensions of accent-insensitive and fuzzy search are created
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        # then they work
        cursor.execute("SELECT unaccent('Élève à Genève'), similarity('konnaxion', 'konaxion')")
        unaccented, similarity = cursor.fetchone()
    assert unaccented == "Eleve a Geneve"
    assert similarity == pytest.approx(0.7272727, abs=1e-6)


def test_the_data_of_postgresql_16_is_carried_over_and_the_old_kept(data_dir):
    # given a data directory made by PostgreSQL 16 (the former pgserver wheel), with a row
    pytest.importorskip("pgserver", reason="the PostgreSQL 16 binaries are needed")
    made = subprocess.run([sys.executable, "-c", OLD_DATA, str(data_dir)], timeout=120)
    assert made.returncode == 0
    # when it is upgraded
    run = subprocess.run(
        [sys.executable, str(UPGRADE), str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    # then the new server has the row, and the old folder and its dump are kept
    assert run.returncode == 0, run.stdout + run.stderr
    assert (data_dir / "postgres" / "PG_VERSION").read_text().strip() == bundled_postgres_major()
    assert (data_dir / "postgres-16" / "PG_VERSION").read_text().strip() == "16"
    assert (data_dir / "postgres-16.sql").exists()
    user, url, pid = _user(data_dir)
    with psycopg.connect(url, dbname="konnaxion") as database:
        assert database.execute("SELECT word FROM kept").fetchall() == [("Genève",)]
    _leave(user)
    assert _gone(pid)
