"""A pause in the middle of indexing, for the `kill -9` test: loaded into a test worker by
KONNAXION_TEST_TASK_MODULES, with KONNAXION_TEST_INDEX_JOURNAL naming a journal file.

Wraps `real_time_sync.event_record` so that recording `resource.indexed`, the last step of
`resource_index` (text, keywords, tags and previews extracted, previews stored, the row and its
search vector written in the still-open transaction), appends `writing <pid>` to the journal.
The first delivery then waits there until the test kills the worker; later deliveries go on
and append `done <pid>` after the commit.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.db import transaction

from konnaxion.keenkonnect.services import real_time_sync

WAIT_AT_MOST_SECONDS = 120
JOURNAL = os.environ.get("KONNAXION_TEST_INDEX_JOURNAL", "")
_event_record = real_time_sync.event_record


def _append(line: str) -> None:
    with Path(JOURNAL).open("a") as handle:
        handle.write(f"{line} {os.getpid()}\n")


def event_record_pausing(**kwargs):
    if kwargs.get("type") != "resource.indexed":
        return _event_record(**kwargs)
    first = not Path(JOURNAL).exists()
    _append("writing")
    if first:
        # The first delivery dies here, its transaction open: the test kills the worker.
        deadline = time.monotonic() + WAIT_AT_MOST_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
        raise RuntimeError("the worker indexing the first delivery was not killed")
    event = _event_record(**kwargs)
    transaction.on_commit(lambda: _append("done"))
    return event


if JOURNAL:
    real_time_sync.event_record = event_record_pausing
