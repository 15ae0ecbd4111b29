"""The /ws/ping/ echo over the real ASGI application and the Redis channel layer."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from konnaxion.core.consumers import CLOSE_UNAUTHENTICATED
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _headers(token: str | None = None, origin: bytes = b"http://localhost") -> list:
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if token:
        headers.append((b"authorization", f"Token {token}".encode()))
    return headers


async def _token() -> str:
    from channels.db import database_sync_to_async

    return await database_sync_to_async(lambda: token_for(UserFactory()))()


async def test_ping_echoes_through_the_redis_layer(settings):
    assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=_headers(await _token()))
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"hello": "world"})
    assert await communicator.receive_json_from(timeout=5) == {
        "type": "pong",
        "payload": {"hello": "world"},
    }
    await communicator.disconnect()


async def test_ping_answers_non_json_with_an_error():
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=_headers(await _token()))
    await communicator.connect()
    await communicator.send_to(text_data="not json")
    message = await communicator.receive_json_from(timeout=5)
    assert message["type"] == "error" and message["code"] == "invalid"
    await communicator.disconnect()


async def test_anonymous_clients_are_refused():
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=_headers())
    connected, code = await communicator.connect()
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_a_bad_token_is_anonymous():
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=_headers("wrong"))
    connected, code = await communicator.connect()
    assert (connected, code) == (False, CLOSE_UNAUTHENTICATED)


async def test_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=_headers(await _token(), origin=b"https://evil.example")
    )
    connected, _ = await communicator.connect()
    assert not connected
