"""Room chat published by the chat service, after commit, to the room's one group (real ASGI
application and Redis channel layer)."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from konnaxion.kreative.models import CollabChatMessage
from konnaxion.kreative.services.collab_sessions import room_group
from konnaxion.kreative.services.collaboration_workspace import collab_chat_message_post
from konnaxion.kreative.tests.rooms import YClient, close_all, declare_roots, room_with, stroke
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def _room(people: int):
    users = [UserFactory() for _ in range(people)]
    return room_with(users), users, [token_for(user) for user in users]


@database_sync_to_async
def _post_and_roll_back(*, session_id: int, author) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        collab_chat_message_post(session_id=session_id, author=author, body="rolled back")
        raise RuntimeError("the transaction fails after the post")


@database_sync_to_async
def _post_and_commit(*, session_id: int, author) -> CollabChatMessage:
    with transaction.atomic():
        return collab_chat_message_post(session_id=session_id, author=author, body="committed")


async def test_only_a_committed_chat_line_reaches_the_room_group():
    # given a listener in the room's group
    session, (_host, guest), _ = await _room(2)
    layer = get_channel_layer()
    listener = await layer.new_channel()
    await layer.group_add(room_group(session.pk), listener)
    # when a post is rolled back, then another commits
    await _post_and_roll_back(session_id=session.pk, author=guest)
    message = await _post_and_commit(session_id=session.pk, author=guest)
    # then the first event the room hears is the committed line
    event = await asyncio.wait_for(layer.receive(listener), timeout=10)
    assert event == {
        "type": "room.chat",
        "sender": None,
        "message": {
            "id": message.pk,
            "author": guest.username,
            "body": "committed",
            "created_at": message.created_at.isoformat(),
        },
    }
    assert await database_sync_to_async(CollabChatMessage.objects.count)() == 1
    await layer.group_discard(room_group(session.pk), listener)


async def test_chat_and_edits_reach_the_room_in_the_order_they_were_sent():
    # given two editors in a room
    session, _, tokens = await _room(2)
    alice, bob = YClient(session.pk, tokens[0]), YClient(session.pk, tokens[1])
    for client in (alice, bob):
        declare_roots(client.doc)
        await client.join()
    # when alice chats, edits, chats
    await alice.send_json({"type": "chat", "body": "first"})
    await alice.edit(stroke("between", "alice"))
    await alice.send_json({"type": "chat", "body": "second"})
    seen_by_bob: list[str] = []

    def bob_saw(event) -> bool:
        if event == "update":
            seen_by_bob.append("update")
        elif isinstance(event, dict) and event["type"] == "chat":
            seen_by_bob.append(event["message"]["body"])
        return seen_by_bob[-1:] == ["second"]

    await bob.pump_until(bob_saw)
    await alice.pump_until(
        lambda event: (
            isinstance(event, dict)
            and event["type"] == "chat"
            and event["message"]["body"] == "second"
        )
    )
    # then bob got them in order, and alice her own two lines back in order
    assert seen_by_bob == ["first", "update", "second"]
    assert [event["message"]["body"] for event in alice.of_type("chat")] == ["first", "second"]
    await close_all([alice, bob])
