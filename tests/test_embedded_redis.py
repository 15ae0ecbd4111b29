"""The embedded Redis server stops when the last process using it exits, whatever connections
those processes left open, and not before."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import redis

# Joins the data directory's server, opens a second connection it never closes (as cache and
# channel-layer pools do), prints the URL and waits for its standard input to close.
USER = """
import sys
from pathlib import Path
import redis
from konnaxion.runtime.embedded import redis_url
url = redis_url(Path(sys.argv[1]))
kept_open = redis.Redis.from_url(url)
kept_open.ping()
print(url, flush=True)
sys.stdin.read()
"""


def _user(data_dir: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-c", USER, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={name: value for name, value in os.environ.items() if name != "REDIS_URL"},
    )
    return process, process.stdout.readline().strip()


def _leave(process: subprocess.Popen) -> None:
    process.stdin.close()
    assert process.wait(timeout=60) == 0


def _server_pid(data_dir: Path) -> int:
    settings = json.loads((data_dir / "redis" / "redis.rdb.settings").read_text())
    return int(Path(settings["pidfile"]).read_text())


def _gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def data_dir(tmp_path):
    yield tmp_path
    with contextlib.suppress(OSError, ValueError, KeyError):  # leave no server behind
        os.kill(_server_pid(tmp_path), signal.SIGKILL)


def test_the_server_outlives_its_first_user_and_stops_with_the_last(data_dir):
    # given two processes using the same data directory's server
    first, url = _user(data_dir)
    second, joined = _user(data_dir)
    pid = _server_pid(data_dir)
    assert joined == url
    # when the one that started it exits
    _leave(first)
    # then the other still has it, with its data
    client = redis.Redis.from_url(url)
    client.set("kept", "yes")
    assert client.get("kept") == b"yes"
    client.close()
    # when the last one exits, its connections still open
    _leave(second)
    # then the server is gone
    assert _gone(pid)


def test_a_user_killed_is_not_counted_by_the_next_one(data_dir):
    # given a user killed without running its exit handlers, then a new user
    killed, url = _user(data_dir)
    pid = _server_pid(data_dir)
    killed.kill()
    killed.wait()
    survivor, joined = _user(data_dir)
    assert joined == url and _server_pid(data_dir) == pid
    # when the new one exits
    _leave(survivor)
    # then the dead one did not keep the server running
    assert _gone(pid)
