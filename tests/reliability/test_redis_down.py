"""Redis stopped: the REST API keeps answering, and everything comes back when Redis does."""

from __future__ import annotations

import asyncio
import logging

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from konnaxion.core.consumers import CLOSE_TRY_AGAIN_LATER
from konnaxion.core.realtime import publish_on_commit
from konnaxion.keenkonnect.models import ProjectEvent
from konnaxion.keenkonnect.tests.files import pdf_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.keenkonnect.tests.test_real_time_sync import _document, _rename
from konnaxion.keenkonnect.tests.test_real_time_sync import _socket as project_socket
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, token_for

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


def test_throttling_fails_open_then_comes_back_after_redis_restarts(
    fault_redis, user, api_client, settings
):
    # given Redis is down: throttle counters can neither be read nor kept (the sign-in lockout,
    # kept in PostgreSQL, is set out of the way: this is about the cache's throttle)
    settings.AXES_FAILURE_LIMIT = 100
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


def test_readyz_names_redis_and_livez_still_answers(fault_redis, client):
    # given
    fault_redis.kill()
    # when
    ready, live = client.get("/readyz"), client.get("/livez")
    # then the load balancer stops sending traffic here, and the process is not restarted
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"].startswith("ConnectionError")
    assert ready.json()["checks"]["database"] == "ok"
    assert live.status_code == 200


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


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_project_stream_resumes_from_the_event_log_after_redis_restarts(fault_redis):
    # given a member following the project, who has seen event 1
    project, users = await database_sync_to_async(team_project)()
    owner, mentor = users["owner"], users["mentor"]
    following, connected, _ = await project_socket(project, mentor)
    assert connected
    resource = await _document(project, owner, "A")
    last_seen = (await following.receive_json_from(timeout=10))["seq"]
    owner_api = APIClient()
    owner_api.credentials(
        HTTP_AUTHORIZATION=f"Token {await database_sync_to_async(token_for)(owner)}"
    )
    resource_url = f"/api/projects/{project.slug}/resources/{resource.pk}/"
    # when Redis crashes and the owner goes on through the REST API
    fault_redis.kill()
    closed = await following.receive_output(timeout=30)
    renamed = await database_sync_to_async(owner_api.patch)(
        resource_url, {"title": "B"}, format="json"
    )
    uploaded = await database_sync_to_async(owner_api.post)(
        f"{resource_url}versions/",
        {"file": SimpleUploadedFile("plan.pdf", pdf_bytes("B2"), "application/pdf")},
        format="multipart",
    )
    # then the socket was closed with "try again later", the requests succeeded, and the
    # events they caused are in the log
    assert closed == {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER}
    assert (renamed.status_code, uploaded.status_code) == (200, 201)
    logged = await database_sync_to_async(
        lambda: list(
            ProjectEvent.objects.filter(project=project, seq__gt=last_seen)
            .order_by("seq")
            .values_list("seq", "type")
        )
    )()
    assert logged == [
        (last_seen + 1, "resource.updated"),
        (last_seen + 2, "resource.version_added"),
    ]
    # when Redis is back and the client resumes from the last event it saw
    fault_redis.start()
    resumed, connected, _ = await project_socket(project, mentor, since=last_seen)
    assert connected
    replayed = [await resumed.receive_json_from(timeout=10) for _ in logged]
    await _rename(resource, "C", owner)
    live = await resumed.receive_json_from(timeout=10)
    # then it received exactly the missed events, in order, then the live one
    assert [(message["seq"], message["type"]) for message in replayed] == logged
    assert (live["seq"], live["type"]) == (last_seen + 3, "resource.updated")
    assert await resumed.receive_nothing(timeout=0.5)
    await resumed.disconnect()
