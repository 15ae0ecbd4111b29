"""Celery worker processes for the fault tests: started on the test run's broker and database,
killed with SIGKILL as a lost machine would be."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import process_env

# Seconds after which an unacknowledged message of a dead worker is delivered again; each live
# worker refreshes the messages it holds every quarter of it, and sweeps every RESTORE_INTERVAL
# (config/settings/test.py).
VISIBILITY_TIMEOUT = 3
RESTORE_INTERVAL = 1
FAULT_TASKS = "konnaxion.core.tests.fault_tasks"


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll `condition`; the timeout only keeps a broken test from hanging."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def journal_lines(path: Path) -> list[str]:
    """The lines a task appended to its journal file so far."""
    return path.read_text().splitlines() if path.exists() else []


class Workers:
    """Starts worker processes (each in its own process group) and kills them with SIGKILL."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []

    def start(self, *, task_modules: str = FAULT_TASKS, **environment: str) -> subprocess.Popen:
        """A worker that loads `task_modules`, with `environment` on top of the test run's;
        returns once this worker answers a ping (others may run already)."""
        from config.celery_app import app

        name = f"fault-{len(self.processes)}-{os.getpid()}@localhost"
        process = subprocess.Popen(
            [sys.executable, "-m", "konnaxion.cli", "worker", "--concurrency", "1", "--name", name],
            env=process_env(
                KONNAXION_TEST_TASK_MODULES=task_modules,
                KONNAXION_TEST_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
                **environment,
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        wait_for(
            lambda: (
                process.poll() is not None
                or bool(app.control.ping(destination=[name], timeout=0.5))
            ),
            "a worker",
        )
        if process.poll() is not None:
            pytest.fail("the Celery worker did not start")
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool processes at once, as a lost machine would."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
