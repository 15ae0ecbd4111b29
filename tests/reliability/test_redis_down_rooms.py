"""Redis stopped during a room session on a live server: what the room acknowledged stays in
PostgreSQL, the REST API answers, and the clients converge again once Redis is back."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from channels.db import database_sync_to_async

from conftest import process_env
from konnaxion.core.consumers import CLOSE_CONFLICT, CLOSE_TRY_AGAIN_LATER
from konnaxion.kreative.models import CollabChatMessage
from konnaxion.kreative.realtime import slots
from konnaxion.kreative.tests.rooms import (
    add_paragraph,
    converge,
    declare_roots,
    doc_content,
    room_with,
    server_doc,
    stroke,
    type_text,
)
from konnaxion.kreative.tests.rooms_live import LiveYClient, free_port, room_servers
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

SLOT_TTL_SECONDS = 10


@pytest.fixture
def room_server(fault_redis, settings) -> Iterator[str]:
    """One ASGI server process whose cache, channel layer and editor slots are on `fault_redis`,
    with 10-second editor slots (30 in production) so that their lapse shows within the test."""
    settings.COLLAB_ROOMS_REDIS_URL = fault_redis.url(db=4)
    settings.COLLAB_ROOM_SLOT_TTL_SECONDS = SLOT_TTL_SECONDS
    env = process_env(COLLAB_ROOM_SLOT_TTL_SECONDS=str(SLOT_TTL_SECONDS))
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with room_servers([free_port()], env) as (url,):
        yield url


@database_sync_to_async
def _room(people: int):
    users = [UserFactory() for _ in range(people)]
    return room_with(users), [token_for(user) for user in users]


@database_sync_to_async
def _chat_stored(session_id: int) -> list[tuple[int, str]]:
    messages = CollabChatMessage.objects.filter(session_id=session_id).order_by("pk")
    return list(messages.values_list("pk", "body"))


def _is(kind: str):
    return lambda event: isinstance(event, dict) and event.get("type") == kind


async def _chat(client: LiveYClient, body: str) -> int:
    """Post a chat message and wait for the room's echo (the acknowledgement); its id."""
    await client.send_json({"type": "chat", "body": body})
    await client.pump_until(lambda event: _is("chat")(event) and event["message"]["body"] == body)
    return client.of_type("chat")[-1]["message"]["id"]


async def _chat_history(client: LiveYClient) -> list[tuple[int, str]]:
    await client.send_json({"type": "chat_history"})
    await client.pump_until(_is("chat_history"))
    page = client.of_type("chat_history")[-1]
    assert page["has_more"] is False
    return [(message["id"], message["body"]) for message in page["messages"]]


async def _close_code(client: LiveYClient) -> int:
    """Read what is left on the socket; the close code it ends with."""
    while True:
        output = await client.communicator.receive_output(timeout=30)
        if output["type"] == "websocket.close":
            return output["code"]


async def _first_message(client: LiveYClient) -> dict:
    connected, status = await client.connect()
    assert connected, status
    return await client.communicator.receive_json_from(timeout=30)


async def test_a_room_session_survives_redis_stopping(fault_redis, room_server, api_client):
    # given six editors in a room of seven; two of them edited and chatted
    session, tokens = await _room(7)
    editors = [LiveYClient(room_server, session.pk, token) for token in tokens[:6]]
    for editor in editors:
        declare_roots(editor.doc)
        await editor.join()
    ana, ben = editors[:2]
    await ana.edit(add_paragraph)
    await ana.edit(type_text("[before]"))
    await ben.edit(stroke("before", "ben"))
    await converge(editors)
    acknowledged_chat = [await _chat(ana, "hello"), await _chat(ben, "hi")]
    acknowledged_doc = doc_content(ana.doc)
    # and Redis persisted its data (as the embedded server does) just before it crashes
    fault_redis.client().save()
    fault_redis.kill()
    # when the editors go on while Redis is down
    await ana.edit(type_text("[during]"))
    await ben.send_json({"type": "chat", "body": "sent while Redis is down"})
    codes = [await _close_code(editor) for editor in editors]
    latecomer = LiveYClient(room_server, session.pk, tokens[0])
    late_connected, _ = await latecomer.connect()
    late_code = await _close_code(latecomer)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[0]}")
    export = await database_sync_to_async(api_client.get)(
        f"/api/connect/workspaces/{session.pk}/export/"
    )
    # then the sockets were closed with "try again later", and what the room acknowledged is
    # stored and readable through the REST API
    assert codes == [CLOSE_TRY_AGAIN_LATER] * 6
    assert (late_connected, late_code) == (True, CLOSE_TRY_AGAIN_LATER)
    stored = doc_content(await database_sync_to_async(server_doc)(session.pk))
    assert "[before]" in stored["notes"]
    assert stored["canvas"] == acknowledged_doc["canvas"]
    assert export.status_code == 200
    exported = [(message["id"], message["body"]) for message in export.json()["chat"]]
    assert [pk for pk, _ in exported][:2] == acknowledged_chat
    # when Redis is back (with the slots of its snapshot, whose connections are gone)
    fault_redis.start()
    await ana.join()
    seventh = LiveYClient(room_server, session.pk, tokens[6])
    first = await _first_message(seventh)
    # then ana took her own slot back at once, the seventh waits only until the others lapse
    assert first["code"] == "room_full"
    assert await _close_code(seventh) == CLOSE_CONFLICT
    holders = await database_sync_to_async(slots.slot_holders)(room_id=session.pk)
    assert len(holders) == 6
    deadline = time.monotonic() + SLOT_TTL_SECONDS * 3
    while (first := await _first_message(seventh))["type"] != "welcome":
        assert time.monotonic() < deadline, "a phantom slot outlived its lifetime"
        await _close_code(seventh)
    await seventh.close()
    # and the two editors converge with the server, nothing duplicated, the chat complete
    await ben.join()
    await converge([ana, ben])
    stored = doc_content(await database_sync_to_async(server_doc)(session.pk))
    assert doc_content(ana.doc) == doc_content(ben.doc) == stored
    assert stored["notes"].count("[before]") == stored["notes"].count("[during]") == 1
    assert [item["id"] for item in stored["canvas"]] == ["before"]
    history = await _chat_history(ben)
    assert history == await _chat_stored(session.pk)
    assert [pk for pk, _ in history][:2] == acknowledged_chat
    assert len(history) == len({pk for pk, _ in history})
    await ana.close()
    await ben.close()
