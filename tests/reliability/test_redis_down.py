"""Redis stopped: the REST API keeps answering, and everything comes back when Redis does."""

from __future__ import annotations

import asyncio
import logging

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from konnaxion.core.realtime import publish_on_commit
from konnaxion.users.tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

AUTH_RATE = 10  # THROTTLE_AUTH, sign-in attempts a minute


def _receive(channel: str) -> dict:
    """The next message of `channel` (the timeout only keeps a broken test from hanging)."""
    layer = get_channel_layer()

    async def receive() -> dict:
        return await asyncio.wait_for(layer.receive(channel), timeout=10)

    return async_to_sync(receive)()


def _subscribe(group: str) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


def _sign_in(api_client, user, password: str = DEFAULT_PASSWORD):
    return api_client.post(
        "/api/auth/token/", {"username": user.username, "password": password}, format="json"
    )


def test_rest_keeps_answering_while_redis_is_down(fault_redis, user, user_client, api_client):
    # given Redis has crashed
    fault_redis.kill()
    # when
    me = user_client.get("/api/users/me/")
    token = _sign_in(api_client, user)
    # then the throttled endpoints answered as usual
    assert me.status_code == 200
    assert me.json()["username"] == user.username
    assert token.status_code == 200
    assert token.json()["token"]


def test_throttling_fails_open_then_comes_back_after_redis_restarts(fault_redis, user, api_client):
    # given Redis is down: throttle counters can neither be read nor kept
    fault_redis.kill()
    down = [_sign_in(api_client, user, "wrong").status_code for _ in range(AUTH_RATE + 2)]
    # when Redis is back
    fault_redis.start()
    up = [_sign_in(api_client, user, "wrong").status_code for _ in range(AUTH_RATE + 1)]
    # then nobody was throttled while it was down, and the rate applies again once it is up
    assert set(down) == {400}
    assert up[:AUTH_RATE] == [400] * AUTH_RATE
    assert up[AUTH_RATE] == 429


def test_healthz_names_redis_while_the_api_answers(fault_redis, client, user_client):
    # given
    fault_redis.kill()
    # when
    health = client.get("/healthz")
    api = user_client.get("/api/users/me/")
    # then
    assert health.status_code == 503
    checks = health.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["redis"].startswith("ConnectionError")
    assert api.status_code == 200


def test_healthz_redis_check_recovers_after_restart(fault_redis, client):
    # given Redis crashed and came back
    fault_redis.kill()
    assert client.get("/healthz").json()["checks"]["redis"] != "ok"
    # when
    fault_redis.start()
    # then
    assert client.get("/healthz").json()["checks"]["redis"] == "ok"


def test_an_event_is_published_only_when_its_transaction_commits(
    fault_redis, django_capture_on_commit_callbacks
):
    # given a client of the group
    channel = _subscribe("project-1")
    # when one event is rolled back and another committed
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            publish_on_commit("project-1", {"type": "resource.changed", "id": 1})
            raise RuntimeError("the service failed")
        with transaction.atomic():
            publish_on_commit("project-1", {"type": "resource.changed", "id": 2})
    # then only the committed one was sent
    assert len(callbacks) == 1
    assert _receive(channel) == {"type": "resource.changed", "id": 2}


def test_publishing_never_fails_the_caller_and_recovers_with_redis(
    fault_redis, django_capture_on_commit_callbacks, caplog
):
    # given Redis has crashed
    fault_redis.kill()
    # when a service publishes
    with (
        caplog.at_level(logging.WARNING, logger="konnaxion.core.realtime"),
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        publish_on_commit("project-1", {"type": "resource.changed", "id": 1})
    # then the event was dropped and said so, without an exception
    assert "real-time event to project-1 lost" in caplog.text
    # and once Redis is back, events flow again
    fault_redis.start()
    channel = _subscribe("project-1")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        publish_on_commit("project-1", {"type": "resource.changed", "id": 2})
    assert _receive(channel) == {"type": "resource.changed", "id": 2}
