"""`kill -9` of a Celery worker mid-task: delivered again, its effect happens once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from conftest import process_env
from konnaxion.core.tests.fault_tasks import effect_name, effect_record

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Seconds after which an unacknowledged message of a dead worker is delivered again.
VISIBILITY_TIMEOUT = 2


def _wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll `condition`; the timeout only keeps a broken test from hanging."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


class Workers:
    """Starts worker processes (each in its own process group) and kills them with SIGKILL."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        from config.celery_app import app

        process = subprocess.Popen(
            [sys.executable, "-m", "konnaxion.cli", "worker", "--concurrency", "1"],
            env=process_env(
                KONNAXION_TEST_TASK_MODULES="konnaxion.core.tests.fault_tasks",
                KONNAXION_TEST_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            ),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.processes.append(process)
        _wait_for(lambda: process.poll() is not None or app.control.ping(timeout=0.5), "a worker")
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


@pytest.fixture
def workers() -> Iterator[Workers]:
    from config.celery_app import app

    app.control.purge()
    started = Workers()
    yield started
    started.stop_all()


def _journal(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def test_killed_pool_process_task_is_delivered_again_with_one_effect(workers, tmp_path):
    # given a worker running the task's first delivery
    workers.start()
    journal = tmp_path / "journal"
    effect_record.delay("pool", str(journal))
    _wait_for(lambda: len(_journal(journal)) == 1, "the first delivery")
    first_pid = int(_journal(journal)[0].split()[1])
    # when the process running it is killed
    os.kill(first_pid, signal.SIGKILL)
    # then the worker delivers the task again (acks_late + reject_on_worker_lost)
    _wait_for(lambda: any(line.startswith("done") for line in _journal(journal)), "redelivery")
    entries = _journal(journal)
    assert [line.split()[0] for line in entries] == ["started", "started", "done"]
    assert int(entries[1].split()[1]) != first_pid
    # and its effect exists exactly once
    assert Group.objects.filter(name=effect_name("pool")).count() == 1


def test_task_of_a_killed_worker_is_taken_back_by_another_with_one_effect(workers, tmp_path):
    # given a worker running the task's first delivery
    first = workers.start()
    journal = tmp_path / "journal"
    effect_record.delay("whole", str(journal))
    _wait_for(lambda: len(_journal(journal)) == 1, "the first delivery")
    # when the whole worker (main process and pool) is killed, and another worker starts
    workers.kill(first)
    workers.start()
    # then the unacknowledged message returns after the visibility timeout and runs again
    _wait_for(lambda: any(line.startswith("done") for line in _journal(journal)), "redelivery")
    assert [line.split()[0] for line in _journal(journal)] == ["started", "started", "done"]
    assert Group.objects.filter(name=effect_name("whole")).count() == 1
