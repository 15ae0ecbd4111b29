"""The Django cache on Redis, failing open when Redis cannot be reached.

What the platform keeps in the cache is never the only copy of anything: throttle counters, the
worker heartbeat, cached values that can be computed again. Losing Redis must therefore not stop
the REST API: with the stock `RedisCache`, every throttled request would raise
`redis.ConnectionError` and answer 500. This backend treats an unreachable Redis as an empty
cache that forgets what it is told:

- reads (`get`, `get_many`, `has_key`) answer a miss;
- writes (`set`, `set_many`, `touch`, `delete`, `delete_many`) are dropped;
- each failure is logged (a warning), so the outage is visible; `/healthz` reports it too.

Throttling therefore lets requests through while Redis is down (a missing counter is an empty
history). This is chosen over a fail-closed throttle because refusing every caller is a full
outage, while a few minutes without rate limits is not. Operations whose answer decides what the
caller does next keep raising: `add` (used as a lock: "only the first one does it"), `incr`
and `clear`. The API maps a Redis connection error to 503 `service_unavailable`.

Failing open is decided per call, with no memory of past failures: the first call after Redis
comes back uses it again. Timeouts bound each attempt (`socket_connect_timeout` and
`socket_timeout` in the cache's OPTIONS).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What "Redis cannot be reached" looks like to redis-py (BusyLoadingError is a ConnectionError).
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def _degraded(operation: str, exc: Exception) -> None:
    logger.warning("cache %s skipped, Redis is unavailable: %s", operation, exc)


class FailOpenRedisCache(RedisCache):
    """`RedisCache` whose non-essential reads and writes degrade while Redis is unreachable."""

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as exc:
            _degraded("get", exc)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as exc:
            _degraded("get_many", exc)
            return {}

    def has_key(self, key: str, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as exc:
            _degraded("has_key", exc)
            return False

    def set(
        self, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except UNAVAILABLE as exc:
            _degraded("set", exc)

    def set_many(
        self, data: dict[str, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as exc:
            _degraded("set_many", exc)
            return list(data)

    def touch(self, key: str, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as exc:
            _degraded("touch", exc)
            return False

    def delete(self, key: str, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except UNAVAILABLE as exc:
            _degraded("delete", exc)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except UNAVAILABLE as exc:
            _degraded("delete_many", exc)
