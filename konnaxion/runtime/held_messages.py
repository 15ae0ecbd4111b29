"""A worker keeps the task messages it holds from being delivered to another worker.

Kombu's Redis transport emulates acknowledgements: a message handed to a worker is kept in the
`unacked` hash, and its delivery tag in the `unacked_index` sorted set, scored by the time of
delivery. Every consuming worker sweeps that index every `unacked_restore_interval` seconds and
puts back in its queue each message delivered more than `visibility_timeout` seconds ago.
Alone, that would deliver a task running longer than the visibility timeout a second time, or
force a visibility timeout longer than the longest task, as long to wait after a lost machine.

So a worker bootstep refreshes, every quarter of the visibility timeout, the score of every
message the worker still holds unacknowledged: tasks waiting for a pool process, running, or
waiting for their ETA/countdown. A live worker's messages are never swept; a dead worker's
stop being refreshed and are swept by any other worker once the visibility timeout has passed
(docs/deploy.md, "When a worker dies").
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from typing import Any

from celery import bootsteps
from celery.worker import state

logger = logging.getLogger(__name__)

# Seconds between two sweeps of a worker for messages to deliver again (kombu's default is a
# sweep every 10 s x 10 = 100 s).
RESTORE_INTERVAL = 10
# Refreshes per visibility timeout: three can be missed (a loaded machine, a slow Redis)
# before a live worker's message is swept.
REFRESHES_PER_TIMEOUT = 4
# Kombu's default visibility timeout, used by a worker given none.
KOMBU_VISIBILITY_TIMEOUT = 3600


def broker_transport_options(
    *, visibility_timeout: float, restore_interval: float = RESTORE_INTERVAL
) -> dict[str, Any]:
    """Kombu's Redis transport options for a sweep every `restore_interval` seconds of the
    messages delivered more than `visibility_timeout` seconds ago and not refreshed since."""
    return {
        "visibility_timeout": visibility_timeout,
        "unacked_restore_interval": restore_interval,
        # Sweep at every interval, not at every tenth.
        "unacked_restore_throttle": 1,
        # A worker killed during its sweep holds the sweep's lock: it lapses after one interval,
        # not kombu's 5 minutes. Two sweeps at once restore a message once (kombu restores each
        # message in a transaction on the `unacked` hash).
        "unacked_mutex_expire": max(1, round(restore_interval)),
    }


def held_delivery_tags() -> list[str]:
    """Delivery tags of the messages this worker process holds unacknowledged: its tasks waiting
    for a pool process, running, or waiting for their ETA/countdown (Celery's `state.requests`;
    a copy of a dict is taken at once, safe beside the event loop that changes it)."""
    held = state.requests.copy().values()
    return sorted({request.message.delivery_tag for request in held})


def held_messages_refresh(*, qos: Any, delivery_tags: Iterable[str]) -> int:
    """Score each of `delivery_tags` still in `qos`'s unacknowledged index with the time now;
    never adds one that is no longer there (acknowledged, or already delivered again). Returns
    how many were refreshed."""
    tags = list(delivery_tags)
    if not tags:
        return 0
    now = time.time()
    with qos.pipe_or_acquire() as pipe:
        pipe.zadd(qos.unacked_index_key, dict.fromkeys(tags, now), xx=True, ch=True)
        (refreshed,) = pipe.execute()
    return int(refreshed)


class HeldMessagesHeartbeat(bootsteps.StartStopStep):
    """Refreshes the held messages every visibility_timeout / REFRESHES_PER_TIMEOUT seconds.

    It runs in a thread of the worker's main process, on a broker connection of its own: the
    event loop stops turning during a warm shutdown, while the tasks still running finish and
    must stay held. It starts with the consumer, lives through its reconnections, and stops
    when the consumer shuts down (its channel is closed then, and kombu puts back what it held).
    """

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, consumer: Any, **kwargs: Any) -> None:
        super().__init__(consumer, **kwargs)
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()

    def start(self, consumer: Any) -> None:
        if self.thread is not None and self.thread.is_alive():
            return
        options = consumer.app.conf.broker_transport_options or {}
        interval = (
            float(options.get("visibility_timeout", KOMBU_VISIBILITY_TIMEOUT))
            / REFRESHES_PER_TIMEOUT
        )
        self.stopping.clear()
        self.thread = threading.Thread(
            target=self.run,
            args=(consumer.app, interval),
            name="held-messages-heartbeat",
            daemon=True,
        )
        self.thread.start()

    def shutdown(self, consumer: Any) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=10)
            self.thread = None

    def run(self, app: Any, interval: float) -> None:
        with app.connection_for_write() as connection:
            while not self.stopping.wait(interval):
                try:
                    qos = connection.default_channel.qos
                    if not hasattr(qos, "unacked_index_key"):
                        return  # not kombu's Redis transport: nothing is swept
                    held_messages_refresh(qos=qos, delivery_tags=held_delivery_tags())
                except Exception:
                    # Whatever failed (Redis away, the connection lost), the heartbeat carries on:
                    # a visibility timeout holds several rounds, and the next may succeed.
                    logger.warning(
                        "Could not refresh the task messages this worker holds", exc_info=True
                    )
