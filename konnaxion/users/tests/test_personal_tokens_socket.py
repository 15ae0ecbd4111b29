"""Personal tokens on WebSockets (real ASGI application, Redis channel layer): the sockets
accept the tokens the API accepts, and a read-only token may only listen."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from konnaxion.core.consumers import CLOSE_UNAUTHENTICATED
from konnaxion.core.tests.sockets import refused, socket_open
from konnaxion.kreative.realtime import slots
from konnaxion.kreative.tests.rooms import YClient, declare_roots, room_with
from konnaxion.users.tests.factories import UserFactory, token_for
from konnaxion.users.tokens import personal_token_revoke

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _headers(token: str) -> list:
    return [
        (b"origin", b"http://localhost"),
        (b"host", b"localhost"),
        (b"authorization", f"Token {token}".encode()),
    ]


async def test_a_revoked_token_opens_no_socket():
    # given
    @database_sync_to_async
    def revoked_key() -> str:
        user = UserFactory()
        key = token_for(user)
        personal_token_revoke(owner=user, token_id=user.personal_tokens.get().pk)
        return key

    key = await revoked_key()
    # when
    opening = await socket_open(WebsocketCommunicator(application, "/ws/ping/", _headers(key)))
    # then
    assert opening == refused(CLOSE_UNAUTHENTICATED)


async def test_a_read_only_token_listens_to_a_room_as_a_viewer():
    # given: a guest whose token is read-only, in a room with a free editor slot
    @database_sync_to_async
    def room_and_key():
        host, guest = UserFactory(), UserFactory()
        return room_with([host, guest]), token_for(guest, read_only=True)

    session, key = await room_and_key()
    client = YClient(session.pk, key)
    declare_roots(client.doc)
    # when
    welcome = await client.join()
    await client.send_json({"type": "chat", "body": "hello"})
    await client.settle()
    # then
    assert welcome["role"] == "viewer"
    assert [error["code"] for error in client.of_type("error")] == ["read_only"]
    assert await database_sync_to_async(slots.slot_holders)(room_id=session.pk) == []
    await client.communicator.disconnect()
