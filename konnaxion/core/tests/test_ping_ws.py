"""The /ws/ping/ echo over the real ASGI application and the Redis channel layer."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from konnaxion.core.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from konnaxion.core.tests.sockets import ADMITTED, HANDSHAKE_REFUSED, refused, socket_open
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


async def test_anonymous_clients_are_refused_with_a_close_code_and_nothing_else():
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=_headers())
    assert await socket_open(communicator) == refused(CLOSE_UNAUTHENTICATED)


async def test_a_refused_socket_ignores_what_it_is_sent_before_its_client_leaves():
    # given
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=_headers())
    await socket_open(communicator)
    # when the client talks anyway
    await communicator.send_json_to({"hello": "world"})
    # then no pong, no error: the socket said its last word
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_a_bad_token_is_anonymous():
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=_headers("wrong"))
    assert await socket_open(communicator) == refused(CLOSE_UNAUTHENTICATED)


async def test_an_unknown_address_is_refused_as_not_found():
    communicator = WebsocketCommunicator(
        application, "/ws/no-such-thing/", headers=_headers(await _token())
    )
    assert await socket_open(communicator) == refused(CLOSE_NOT_FOUND)


async def test_a_foreign_origin_is_refused_at_the_handshake():
    communicator = WebsocketCommunicator(
        application, "/ws/ping/", headers=_headers(await _token(), origin=b"https://evil.example")
    )
    assert await socket_open(communicator) == HANDSHAKE_REFUSED


async def _session_cookie(*, active: bool = True) -> bytes:
    """The cookie header of a signed-in browser (a session in the database)."""
    from channels.db import database_sync_to_async
    from django.conf import settings
    from django.test import Client

    def sign_in() -> str:
        client = Client()
        user = UserFactory()
        client.force_login(user)
        if not active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    key = await database_sync_to_async(sign_in)()
    return f"{settings.SESSION_COOKIE_NAME}={key}".encode()


@pytest.mark.parametrize(("active", "connects"), [(True, True), (False, False)])
async def test_a_browsers_session_cookie_authenticates_its_socket(active, connects):
    headers = [*_headers(), (b"cookie", await _session_cookie(active=active))]
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
    opening = await socket_open(communicator)
    if connects:
        assert opening == ADMITTED
        await communicator.send_json_to({"hello": "cookie"})
        assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
        await communicator.disconnect()
    else:
        assert opening == refused(CLOSE_UNAUTHENTICATED)
