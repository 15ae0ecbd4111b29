"""Fixtures of the fault-injection tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.servers import RedisServer
from tests.reliability.workers import Workers


@pytest.fixture
def fault_redis(settings) -> Iterator[RedisServer]:
    """A Redis server of its own behind the cache and the channel layer (the Celery broker stays
    on the test run's Redis), which the test may kill and start again."""
    server = RedisServer()
    server.start()
    settings.REDIS_URL = server.url()
    settings.CACHE_REDIS_URL = server.url(db=1)
    settings.CHANNELS_REDIS_URL = server.url(db=2)
    settings.REDIS_PURPOSE_URLS = {
        **settings.REDIS_PURPOSE_URLS,
        "CACHE_REDIS_URL": settings.CACHE_REDIS_URL,
        "CHANNELS_REDIS_URL": settings.CHANNELS_REDIS_URL,
    }
    settings.HEARTBEAT_REDIS_URL = settings.CACHE_REDIS_URL
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": settings.CACHE_REDIS_URL},
    }
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": settings.CHANNELS_REDIS_URL,
                        "socket_timeout": settings.CHANNEL_LAYER_SOCKET_TIMEOUT,
                    }
                ]
            },
        }
    }
    yield server
    server.remove()


@pytest.fixture
def workers() -> Iterator[Workers]:
    """Worker processes the test starts and may kill; the queue starts empty, and every worker
    still alive is stopped at the end."""
    from config.celery_app import app

    app.control.purge()
    started = Workers()
    yield started
    started.stop_all()
