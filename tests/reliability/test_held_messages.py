"""A worker that lives keeps the task messages it holds: a task running, or waiting for its
countdown, longer than the broker's visibility timeout is delivered once, even with another
worker sweeping for messages to deliver again (konnaxion/runtime/held_messages.py)."""

from __future__ import annotations

import os
import signal
import time
import uuid

import pytest

from konnaxion.runtime.held_messages import held_messages_refresh
from tests.reliability.held_tasks import journal_run
from tests.reliability.workers import RESTORE_INTERVAL, VISIBILITY_TIMEOUT, journal_lines, wait_for

pytestmark = [pytest.mark.worker]

HELD_TASKS = "tests.reliability.held_tasks"
# Longer than the visibility timeout and a sweep after it, with room to spare.
HELD_SECONDS = 2 * (VISIBILITY_TIMEOUT + RESTORE_INTERVAL)


def journal_events(journal) -> list[str]:
    return [line.split()[0] for line in journal_lines(journal)]


def test_a_task_running_past_the_visibility_timeout_on_a_live_worker_runs_once(workers, tmp_path):
    # given two workers, each sweeping every second for messages held past the timeout
    workers.start(task_modules=HELD_TASKS)
    workers.start(task_modules=HELD_TASKS)
    journal = tmp_path / "journal"
    # when one of them runs a task for twice the visibility timeout and a sweep
    journal_run.delay(str(journal), HELD_SECONDS)
    wait_for(lambda: "done" in journal_events(journal), "the task to end", timeout=120)
    # then the other never got it: the message was refreshed while it was held
    time.sleep(RESTORE_INTERVAL + 1)
    assert journal_events(journal) == ["started", "done"]


def test_a_task_waiting_for_its_countdown_past_the_visibility_timeout_runs_once(workers, tmp_path):
    # given two workers
    workers.start(task_modules=HELD_TASKS)
    workers.start(task_modules=HELD_TASKS)
    journal = tmp_path / "journal"
    # when a task is sent with a countdown of twice the visibility timeout and a sweep (a worker
    # holds its message, unacknowledged, until then)
    sent_at = time.time()
    journal_run.apply_async((str(journal), 0), countdown=HELD_SECONDS)
    wait_for(lambda: "done" in journal_events(journal), "the task to run", timeout=120)
    time.sleep(RESTORE_INTERVAL + 1)
    # then it ran once, when its countdown was over
    assert journal_events(journal) == ["started", "done"]
    started_at = float(journal_lines(journal)[0].split()[2])
    assert started_at >= sent_at + HELD_SECONDS - 1


def test_a_task_finishing_during_its_workers_warm_shutdown_runs_once(workers, tmp_path):
    # given a worker running a long task, and another worker beside it
    first = workers.start(task_modules=HELD_TASKS)
    journal = tmp_path / "journal"
    journal_run.delay(str(journal), HELD_SECONDS)
    wait_for(lambda: journal_events(journal) == ["started"], "the task to start")
    workers.start(task_modules=HELD_TASKS)
    # when the first worker is asked to stop (SIGTERM to its main process: a warm shutdown, which
    # stops consuming and lets the running task end)
    os.kill(first.pid, signal.SIGTERM)
    # then the task ends there, past the visibility timeout, and was never delivered again
    wait_for(lambda: "done" in journal_events(journal), "the task to end", timeout=120)
    assert first.wait(timeout=30) == 0
    time.sleep(RESTORE_INTERVAL + 1)
    assert journal_events(journal) == ["started", "done"]


def test_a_refresh_never_brings_back_a_message_no_longer_held():
    from config.celery_app import app

    held, gone = f"held-{uuid.uuid4()}", f"gone-{uuid.uuid4()}"
    with app.connection_for_write() as connection:
        qos = connection.default_channel.qos
        client = connection.default_channel.client
        # given a message held since long ago, and one acknowledged (out of the index)
        client.zadd(qos.unacked_index_key, {held: 1.0})
        try:
            # when both are refreshed
            before = time.time()
            refreshed = held_messages_refresh(qos=qos, delivery_tags=[held, gone])
            # then the held one is scored now, and the other was not added back
            assert refreshed == 1
            assert client.zscore(qos.unacked_index_key, held) >= before
            assert client.zscore(qos.unacked_index_key, gone) is None
        finally:
            client.zrem(qos.unacked_index_key, held, gone)
