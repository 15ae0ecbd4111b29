"""`konnaxion up` end to end: a fresh data directory, the health check, and a `kill -9`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from konnaxion.runtime.supervisor import fetch_health, port_is_free

pytestmark = pytest.mark.live

KONNAXION = [sys.executable, "-m", "konnaxion.cli"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def fresh_env(tmp_path_factory):
    """An environment with nothing configured: `up` must start its own servers."""
    data_dir = Path(tmp_path_factory.mktemp("kx", numbered=True))
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["KONNAXION_DATA_DIR"] = str(data_dir)
    yield env
    _stop_embedded_servers(data_dir)


def _stop_embedded_servers(data_dir: Path) -> None:
    """Leave no server behind, whatever the test did to the processes that owned them."""
    for registry in data_dir.glob("redis/*.settings"):
        try:
            pid = int(Path(json.loads(registry.read_text())["pidfile"]).read_text())
            os.kill(pid, signal.SIGKILL)
        except (OSError, ValueError, KeyError):
            pass
    for process in psutil.process_iter(["name", "cmdline"]):
        if process.info["name"] == "postgres" and str(data_dir) in " ".join(
            process.info["cmdline"] or []
        ):
            process.kill()


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [*KONNAXION, "manage", *args], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _up_check(env: dict, port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*KONNAXION, "up", "--check", "--port", str(port)],
        env=env,
        capture_output=True,
        text=True,
        timeout=150,
    )


def _wait_for_port(port: int, *, free: bool, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while port_is_free("127.0.0.1", port) != free:
        assert time.monotonic() < deadline, f"port {port} never became {'free' if free else 'used'}"
        time.sleep(0.2)


def test_up_check_starts_everything_healthy_and_stops(fresh_env):
    # given a data directory nobody used
    port = _free_port()
    # when
    result = _up_check(fresh_env, port)
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "healthy" in result.stdout.splitlines()
    _wait_for_port(port, free=True)


def test_kill_9_then_up_again_keeps_the_data(fresh_env):
    # given a running platform with a user in it
    port = _free_port()
    up = subprocess.Popen(
        [*KONNAXION, "up", "--port", str(port)],
        env=fresh_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while fetch_health(f"http://127.0.0.1:{port}/healthz")[0] != 200:
        assert up.poll() is None and time.monotonic() < deadline, "konnaxion up never got healthy"
        time.sleep(0.5)
    _manage(
        fresh_env,
        "shell",
        "-c",
        "from konnaxion.users.models import User; User.objects.create_user('survivor')",
    )
    # when it is killed without a chance to clean up
    os.kill(up.pid, signal.SIGKILL)
    up.wait()
    _wait_for_port(port, free=True)  # its children followed it
    # then a new start recovers the leftovers and finds the data
    result = _up_check(fresh_env, port)
    assert result.returncode == 0, result.stdout + result.stderr
    survivors = _manage(
        fresh_env,
        "shell",
        "-c",
        "from konnaxion.users.models import User; "
        "print(User.objects.filter(username='survivor').count())",
    )
    assert survivors.strip().splitlines()[-1] == "1"
