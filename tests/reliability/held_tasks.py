"""A task for the held-message tests, loaded into test workers by KONNAXION_TEST_TASK_MODULES.

`journal_run` appends `started <pid> <time>` to its journal, works for the seconds it is given,
then appends `done <pid> <time>`: a message delivered twice shows as two `started` lines.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from celery import shared_task


def _write(journal: str, what: str) -> None:
    with Path(journal).open("a") as handle:
        handle.write(f"{what} {os.getpid()} {time.time()}\n")


# Delivery guarantees come from the project settings (acks_late, reject_on_worker_lost).
@shared_task(ignore_result=True)
def journal_run(journal: str, seconds: float) -> None:
    """Run for `seconds`, journaling the start and the end."""
    _write(journal, "started")
    time.sleep(seconds)
    _write(journal, "done")
