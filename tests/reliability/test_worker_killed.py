"""`kill -9` of a Celery worker mid-task: delivered again, its effect happens once."""

from __future__ import annotations

import os
import signal
import time

import pytest
from django.contrib.auth.models import Group

from konnaxion.core.tests.fault_tasks import effect_name, effect_record
from tests.reliability.workers import (
    RESTORE_INTERVAL,
    VISIBILITY_TIMEOUT,
    journal_lines,
    wait_for,
)

# Room for the sweeping worker's poll and a loaded machine: a functional bound, not a timing.
MARGIN_SECONDS = 5

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_killed_pool_process_task_is_delivered_again_with_one_effect(workers, tmp_path):
    # given a worker running the task's first delivery
    workers.start()
    journal = tmp_path / "journal"
    effect_record.delay("pool", str(journal))
    wait_for(lambda: len(journal_lines(journal)) == 1, "the first delivery")
    first_pid = int(journal_lines(journal)[0].split()[1])
    # when the process running it is killed
    os.kill(first_pid, signal.SIGKILL)
    # then the worker delivers the task again (acks_late + reject_on_worker_lost)
    wait_for(lambda: any(line.startswith("done") for line in journal_lines(journal)), "redelivery")
    entries = journal_lines(journal)
    assert [line.split()[0] for line in entries] == ["started", "started", "done"]
    assert int(entries[1].split()[1]) != first_pid
    # and its effect exists exactly once
    assert Group.objects.filter(name=effect_name("pool")).count() == 1


def test_task_of_a_killed_worker_is_taken_back_by_another_with_one_effect(workers, tmp_path):
    # given a worker running the task's first delivery
    first = workers.start()
    journal = tmp_path / "journal"
    effect_record.delay("whole", str(journal))
    wait_for(lambda: len(journal_lines(journal)) == 1, "the first delivery")
    # when the whole worker (main process and pool) is killed, and another worker starts
    workers.kill(first)
    workers.start()
    # then the unacknowledged message returns after the visibility timeout and runs again
    wait_for(lambda: any(line.startswith("done") for line in journal_lines(journal)), "redelivery")
    assert [line.split()[0] for line in journal_lines(journal)] == ["started", "started", "done"]
    assert Group.objects.filter(name=effect_name("whole")).count() == 1


def test_task_of_a_killed_worker_runs_again_within_the_visibility_timeout_and_a_sweep(
    workers, tmp_path
):
    # given a worker running the task's first delivery, and another worker idle beside it
    first = workers.start()
    journal = tmp_path / "journal"
    effect_record.delay("bound", str(journal))
    wait_for(lambda: len(journal_lines(journal)) == 1, "the first delivery")
    workers.start()
    # when the first worker (main process and pool) is killed
    workers.kill(first)
    killed_at = time.monotonic()
    # then the other runs the task again no later than the visibility timeout and one sweep
    # after the kill (the first worker refreshed its message until then)
    wait_for(lambda: len(journal_lines(journal)) >= 2, "redelivery")
    waited = time.monotonic() - killed_at
    assert waited <= VISIBILITY_TIMEOUT + RESTORE_INTERVAL + MARGIN_SECONDS, waited
    wait_for(lambda: any(line.startswith("done") for line in journal_lines(journal)), "the end")
    assert [line.split()[0] for line in journal_lines(journal)] == ["started", "started", "done"]
    assert Group.objects.filter(name=effect_name("bound")).count() == 1
