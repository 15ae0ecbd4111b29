"""One beat per deployment: `konnaxion beat` runs only while it holds a lock in Redis.

The lock is a key with an expiry that the holder renews while it runs. A second beat waits
until the key is gone (the first stopped and deleted it, or died and it expired), then takes
it. A holder that fails to renew (Redis unreachable past the expiry, or the key taken over)
stops at once rather than run beside another beat.
"""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis

logger = logging.getLogger(__name__)

BEAT_LOCK_KEY = "konnaxion:beat:lock"
# Renewed every third of it; a beat that died is replaced after at most this long.
BEAT_LOCK_SECONDS = 30.0

# Deletes the key only if this holder still holds it; renews it likewise.
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"
_RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then "
    "return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
)


def beat_lock_holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def beat_lock_held(
    *,
    url: str,
    seconds: float = BEAT_LOCK_SECONDS,
    on_wait: Callable[[str], None] = lambda holder: None,
    on_lost: Callable[[], None] = lambda: os._exit(3),
) -> Iterator[str]:
    """Wait for the beat lock, hold it (renewed) for the block, release it after."""
    client = redis.Redis.from_url(url, socket_timeout=seconds / 3, socket_connect_timeout=5)
    me = beat_lock_holder_name()
    milliseconds = int(seconds * 1000)
    told = None
    while not client.set(BEAT_LOCK_KEY, me, nx=True, px=milliseconds):
        holder = client.get(BEAT_LOCK_KEY)
        shown = holder.decode() if isinstance(holder, bytes) else str(holder or "?")
        if shown != told:
            on_wait(shown)
            told = shown
        threading.Event().wait(seconds / 10)
    stop = threading.Event()

    def renew() -> None:
        renewed_at = time.monotonic()
        while not stop.wait(seconds / 3):
            try:
                renewed = client.eval(_RENEW, 1, BEAT_LOCK_KEY, me, milliseconds)
            except redis.RedisError:
                logger.warning("the beat lock could not be renewed", exc_info=True)
                # Another try before the key expires; past it, another beat may hold it.
                renewed = time.monotonic() - renewed_at < seconds * 2 / 3
            else:
                renewed_at = time.monotonic() if renewed else renewed_at
            if not renewed:
                logger.error("the beat lock was lost: this beat stops")
                sys.stderr.flush()
                on_lost()
                return

    renewer = threading.Thread(target=renew, name="beat-lock", daemon=True)
    renewer.start()
    try:
        yield me
    finally:
        stop.set()
        renewer.join()
        try:
            client.eval(_RELEASE, 1, BEAT_LOCK_KEY, me)
        except redis.RedisError:
            logger.warning("the beat lock could not be released; it expires", exc_info=True)
