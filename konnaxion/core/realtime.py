"""Publishing real-time events: after the transaction commits, never failing the caller.

Services call `publish_on_commit(group, event)`: nobody hears about a row that was rolled back,
and a channel layer that is down (Redis stopped) costs the event, not the request. Clients that
missed events catch up through the REST API (`since`), so a lost event is never lost data.
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def publish(group: str, event: dict[str, Any]) -> bool:
    """Send `event` to `group` now. Returns False (and logs) when the channel layer failed."""
    layer = get_channel_layer()
    if layer is None:
        return False
    timeout = settings.REALTIME_PUBLISH_TIMEOUT

    async def send() -> None:
        await asyncio.wait_for(layer.group_send(group, event), timeout=timeout)

    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            async_to_sync(send)()
        else:
            # Synchronous code running inside an event loop's thread (a commit in a sync helper
            # called from async code): send from a thread of its own.
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(async_to_sync(send)).result()
    except (RedisError, OSError, TimeoutError) as exc:
        logger.warning("real-time event to %s lost, the channel layer failed: %r", group, exc)
        return False
    return True


def publish_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send `event` (a dict with a `type`) to `group` once the current transaction commits.

    Never raises for the channel layer: a failure is logged and the event dropped.
    """
    transaction.on_commit(lambda: publish(group, event))
