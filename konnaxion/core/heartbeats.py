"""The heartbeats workers and beat publish themselves, read by /healthz (README, "Health probes").

A worker's heartbeat comes from a bootstep's timer in the worker's main process, so it proves
the process runs and holds its broker connection, not that a task got through the queue; beat's
comes from its scheduler loop. Each is a Redis key with a TTL: a process that dies is forgotten
once WORKER_HEARTBEAT_MAX_AGE has passed.
"""

from __future__ import annotations

import logging
import socket
import time
from typing import Any

from celery import bootsteps
from celery.beat import PersistentScheduler
from django.conf import settings

from konnaxion.core.health import (
    BEAT_BEAT_KEY,
    WORKER_BEAT_PREFIX,
    heartbeat_forget,
    heartbeat_publish,
)

logger = logging.getLogger(__name__)


def _publish(*, key: str, name: str) -> None:
    try:
        heartbeat_publish(key=key, name=name)
    except Exception:
        # Redis away: the heartbeat is missed (health reports it), the process carries on.
        logger.warning("Could not publish the heartbeat of %s", name, exc_info=True)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Publishes `konnaxion:heartbeat:worker:<hostname>` every WORKER_HEARTBEAT_INTERVAL s."""

    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref: Any = None

    def start(self, worker: Any) -> None:
        key = f"{WORKER_BEAT_PREFIX}{worker.hostname}"
        _publish(key=key, name=worker.hostname)
        beat = {"key": key, "name": worker.hostname}
        self.tref = worker.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_INTERVAL, _publish, kwargs=beat
        )

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        try:  # a clean stop is known at once; a crash, once the TTL runs out
            heartbeat_forget(key=f"{WORKER_BEAT_PREFIX}{worker.hostname}")
        except Exception:
            logger.warning("Could not remove the heartbeat of %s", worker.hostname, exc_info=True)


class HeartbeatScheduler(PersistentScheduler):
    """Celery's persistent scheduler that also publishes beat's heartbeat at each tick, and
    ticks at least every WORKER_HEARTBEAT_INTERVAL seconds to do so."""

    _last_beat = 0.0

    def tick(self, *args: Any, **kwargs: Any) -> float:
        interval = float(settings.WORKER_HEARTBEAT_INTERVAL)
        now = time.monotonic()
        if now - self._last_beat >= interval:
            self._last_beat = now
            _publish(key=BEAT_BEAT_KEY, name=f"beat@{socket.gethostname()}")
        return min(float(super().tick(*args, **kwargs)), interval)
