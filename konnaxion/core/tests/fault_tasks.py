"""A task for the worker fault tests, loaded into test workers by KONNAXION_TEST_TASK_MODULES.

`effect_record` records its effect in a table with a unique constraint (a `Group` named after
the key), so running it twice leaves one effect. Its first delivery then blocks until the test
kills the worker; later deliveries complete.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery import shared_task
from django.contrib.auth.models import Group

BLOCK_AT_MOST_SECONDS = 120


def effect_name(key: str) -> str:
    return f"task-effect-{key}"


# Delivery guarantees come from the project settings (acks_late, reject_on_worker_lost).
@shared_task(ignore_result=True)
def effect_record(key: str, journal: str) -> None:
    """Record the effect of `key` once; append `started <pid>` then `done <pid>` to `journal`."""
    journal_path = Path(journal)
    earlier = journal_path.read_text().splitlines() if journal_path.exists() else []
    with journal_path.open("a") as handle:
        handle.write(f"started {os.getpid()}\n")
    Group.objects.get_or_create(name=effect_name(key))
    if not earlier:
        # The first delivery dies here: the test kills the worker while the task runs.
        deadline = time.monotonic() + BLOCK_AT_MOST_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
        raise RuntimeError("the worker running the first delivery was not killed")
    with journal_path.open("a") as handle:
        handle.write(f"done {os.getpid()}\n")
