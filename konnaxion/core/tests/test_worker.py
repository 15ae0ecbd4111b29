"""A real worker process consumes the Redis broker and writes through the test database."""

import time

from django.core.cache import cache

from konnaxion.core.health import HEARTBEAT_KEY
from konnaxion.core.tasks import worker_heartbeat


def test_worker_round_trip(celery_worker):
    # given
    assert cache.get(HEARTBEAT_KEY) is None
    # when
    result = worker_heartbeat.delay()
    # then the worker ran it and its effect is visible here
    deadline = time.monotonic() + 30
    while cache.get(HEARTBEAT_KEY) is None:
        assert time.monotonic() < deadline, "the worker never ran the task"
        time.sleep(0.1)
    assert cache.get(HEARTBEAT_KEY)["at"] <= time.time()
    assert result.id


def test_celery_is_configured_for_reliable_delivery(settings):
    from config.celery_app import app

    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    timeout = settings.CELERY_VISIBILITY_TIMEOUT
    assert app.conf.broker_transport_options["visibility_timeout"] == timeout
    assert app.conf.result_backend_transport_options["visibility_timeout"] == timeout
    # the timeout no longer has to outlast the longest task: workers keep what they hold
    assert timeout < app.conf.task_time_limit
    assert "konnaxion.runtime.held_messages:HeldMessagesHeartbeat" in app.steps["consumer"]
