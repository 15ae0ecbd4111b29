"""The room socket against the real ASGI application and the Redis channel layer."""

from __future__ import annotations

import asyncio
import threading

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils import timezone

from konnaxion.core.consumers import (
    CLOSE_CONFLICT,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    account_group,
)
from konnaxion.core.tests.sockets import refused
from konnaxion.kreative.models import CollabChatMessage, CollabDocument
from konnaxion.kreative.realtime import documents, slots
from konnaxion.kreative.tests.rooms import (
    YClient,
    add_paragraph,
    close_all,
    converge,
    declare_roots,
    doc_content,
    erase_stroke,
    room_with,
    server_doc,
    stroke,
    type_text,
)
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

EDITS_PER_CLIENT = 8


@database_sync_to_async
def make_room(people: int, *, ended: bool = False):
    """A workspace of `people` users: the first hosts, the others are invited."""
    users = [UserFactory() for _ in range(people)]
    session = room_with(users)
    if ended:
        session.ended_at = timezone.now()
        session.save(update_fields=["ended_at"])
    return session, users, [token_for(user) for user in users]


async def joined(session, tokens, **options) -> list[YClient]:
    clients = [YClient(session.pk, token, **options) for token in tokens]
    for client in clients:
        declare_roots(client.doc)
        await client.join()
    return clients


async def edit_concurrently(clients, name: str) -> None:
    async def one(index: int, client: YClient) -> None:
        for step in range(EDITS_PER_CLIENT):
            await client.edit(stroke(f"{name}{index}-{step}", f"u{index}"))
            await client.edit(type_text(f"[{name}{index}.{step}]"))
            await asyncio.sleep(0)
        await client.edit(erase_stroke(f"{name}{index}-0"))

    await asyncio.gather(*(one(index, client) for index, client in enumerate(clients)))


async def test_six_clients_editing_at_once_converge_with_the_server():
    # given
    session, _, tokens = await make_room(6)
    clients = await joined(session, tokens)
    await clients[0].edit(add_paragraph)
    await converge(clients)
    # when
    await edit_concurrently(clients, "s")
    await converge(clients)
    # then
    stored = doc_content(await database_sync_to_async(server_doc)(session.pk))
    assert all(doc_content(client.doc) == stored for client in clients)
    ids = [item["id"] for item in stored["canvas"]]
    expected = {f"s{i}-{step}" for i in range(6) for step in range(1, EDITS_PER_CLIENT)}
    assert sorted(ids) == sorted(expected)
    for i in range(6):
        for step in range(EDITS_PER_CLIENT):
            assert stored["notes"].count(f"[s{i}.{step}]") == 1
    await close_all(clients)


async def test_a_client_that_missed_edits_converges_on_reconnection_without_duplicates():
    # given
    session, _, tokens = await make_room(3)
    clients = await joined(session, tokens)
    await clients[0].edit(add_paragraph)
    await clients[2].edit(stroke("before", "u2"))
    await converge(clients)
    leaving = clients[2]
    await leaving.close()
    # when: the others edit while it is away, and it edits offline
    await edit_concurrently(clients[:2], "away")
    stroke("offline", "u2")(leaving.doc)
    type_text("[offline]")(leaving.doc)
    await leaving.join()
    await converge(clients)
    # then
    stored = doc_content(await database_sync_to_async(server_doc)(session.pk))
    assert all(doc_content(client.doc) == stored for client in clients)
    ids = [item["id"] for item in stored["canvas"]]
    assert len(ids) == len(set(ids)) == 2 + 2 * (EDITS_PER_CLIENT - 1)
    assert {"before", "offline"} <= set(ids)
    assert stored["notes"].count("[offline]") == 1
    await close_all(clients)


async def test_the_seventh_editor_is_refused_and_viewers_are_not_counted():
    # given
    session, users, tokens = await make_room(8)
    editors = await joined(session, tokens[:6])
    # when
    seventh = YClient(session.pk, tokens[6])
    opening = await seventh.open()
    viewer = YClient(session.pk, tokens[7], viewer=True)
    welcome = await viewer.join()
    # then the seventh is told why, then closed; nothing else reaches it
    assert opening == refused(
        CLOSE_CONFLICT,
        {
            "type": "error",
            "code": "room_full",
            "message": "The room already has its maximum of editors.",
        },
    )
    # and the refused socket is in no group: an event for its account does not reach it
    await get_channel_layer().group_send(account_group(users[6].pk), {"type": "account.closed"})
    assert await seventh.communicator.receive_nothing(timeout=1)
    await seventh.communicator.wait()
    assert welcome["role"] == "viewer"
    holders = await database_sync_to_async(slots.slot_holders)(room_id=session.pk)
    assert len(holders) == 6
    # when an editor leaves, its slot is free at once
    await editors[0].close()
    replacement = YClient(session.pk, tokens[6])
    assert (await replacement.join())["role"] == "editor"
    await close_all([*editors[1:], viewer, replacement])


async def test_a_viewer_reads_the_document_but_its_updates_are_refused():
    # given
    session, _, tokens = await make_room(2)
    (editor,) = await joined(session, tokens[:1])
    await editor.edit(stroke("mine", "u0"))
    await editor.settle()
    viewer = YClient(session.pk, tokens[1], viewer=True)
    declare_roots(viewer.doc)
    await viewer.join()
    version = await database_sync_to_async(
        lambda: CollabDocument.objects.get(session=session).version
    )()
    # when
    await viewer.edit(stroke("intruder", "u1"))
    await viewer.send_json({"type": "chat", "body": "hello"})
    await viewer.settle()
    # then
    assert [item["id"] for item in doc_content(viewer.doc)["canvas"]] == ["mine", "intruder"]
    assert [error["code"] for error in viewer.of_type("error")] == ["read_only", "read_only"]
    stored = doc_content(await database_sync_to_async(server_doc)(session.pk))
    assert [item["id"] for item in stored["canvas"]] == ["mine"]
    assert (
        await database_sync_to_async(lambda: CollabDocument.objects.get(session=session).version)()
        == version
    )
    assert await database_sync_to_async(CollabChatMessage.objects.count)() == 0
    await close_all([editor, viewer])


async def test_chat_is_persisted_fanned_out_and_paginated():
    # given
    session, users, tokens = await make_room(2)
    alice, bob = await joined(session, tokens)
    # when
    for number in range(52):
        await alice.send_json({"type": "chat", "body": f"  line {number} "})
    await alice.settle()
    await bob.settle()
    await bob.send_json({"type": "chat_history"})
    await bob.pump_until(lambda event: isinstance(event, dict) and event["type"] == "chat_history")
    first_page = bob.of_type("chat_history")[-1]
    await bob.send_json({"type": "chat_history", "before": first_page["messages"][0]["id"]})
    await bob.pump_until(lambda event: isinstance(event, dict) and event["type"] == "chat_history")
    older = bob.of_type("chat_history")[-1]
    # then
    received = [event["message"]["body"] for event in bob.of_type("chat")]
    assert received == [f"line {number}" for number in range(52)]
    assert {event["message"]["author"] for event in bob.of_type("chat")} == {users[0].username}
    assert [m["body"] for m in first_page["messages"]] == [f"line {n}" for n in range(2, 52)]
    assert first_page["has_more"] is True
    assert [m["body"] for m in older["messages"]] == ["line 0", "line 1"]
    assert older["has_more"] is False
    assert await database_sync_to_async(CollabChatMessage.objects.count)() == 52
    await close_all([alice, bob])


async def test_bad_chat_and_bad_frames_get_errors_and_store_nothing():
    # given
    session, _, tokens = await make_room(1)
    (client,) = await joined(session, tokens)
    # when
    await client.send_json({"type": "chat", "body": "   "})
    await client.send_json({"type": "chat", "body": "x" * 4001})
    await client.send_json({"type": "chat", "body": 12})
    await client.send_json({"type": "chat_history", "before": "yesterday"})
    await client.send_json({"type": "dance"})
    await client.communicator.send_to(text_data="not json")
    await client.send_frame(b"\x00\x02\x05ab")  # an update shorter than it says
    await client.send_frame(documents.update_message(b"\x01\x02garbage"))
    await client.send_frame(b"\x07")
    await client.settle()
    # then
    assert [error["code"] for error in client.of_type("error")] == [
        "invalid",
        "message_too_long",
        "invalid",
        "invalid",
        "invalid",
        "invalid",
        "invalid_frame",
        "invalid_update",
        "invalid_frame",
    ]
    assert await database_sync_to_async(CollabChatMessage.objects.count)() == 0
    assert not await database_sync_to_async(
        CollabDocument.objects.filter(session=session, version__gt=0).exists
    )()
    await client.close()


def presence(kind: str):
    return lambda event: isinstance(event, dict) and event.get("event") == kind


async def test_presence_tells_who_is_here_joins_and_leaves_and_relays_cursors():
    # given
    session, users, tokens = await make_room(2)
    (first,) = await joined(session, tokens[:1])
    cursor = documents.awareness_frame(
        (documents.AwarenessEntry(client_id=7, clock=1, state={"cursor": {"x": 3, "y": 4}}),)
    )
    await first.send_frame(cursor)
    await first.settle()
    # when
    (second,) = await joined(session, tokens[1:])
    await second.pump_until(lambda event: event == "awareness")
    await first.pump_until(presence("joined"))
    await second.close()
    await first.pump_until(presence("left"))
    # then
    here = second.of_type("presence")
    assert here == [
        {"type": "presence", "event": "here", "user": users[0].username, "role": "editor"}
    ]
    assert second.awareness[0].entries[0].state == {"cursor": {"x": 3, "y": 4}}
    assert [(event["event"], event["user"]) for event in first.of_type("presence")] == [
        ("joined", users[1].username),
        ("left", users[1].username),
    ]
    await first.close()


async def test_anonymous_and_unknown_rooms_are_refused_and_an_ended_session_is_read_only():
    # given
    session, _, tokens = await make_room(1)
    ended, _, ended_tokens = await make_room(1, ended=True)
    # when
    anonymous = await YClient(session.pk, None).open()
    missing = await YClient(session.pk + 1000, tokens[0]).open()
    host = YClient(session.pk, tokens[0])
    host_welcome = await host.join()
    late_host = YClient(ended.pk, ended_tokens[0])
    late_welcome = await late_host.join()
    await late_host.edit(stroke("late", "host"))
    await late_host.settle()
    # then
    assert anonymous == refused(CLOSE_UNAUTHENTICATED)
    assert missing == refused(CLOSE_NOT_FOUND)
    assert host_welcome["role"] == "editor"
    assert late_welcome["role"] == "viewer"
    assert [error["code"] for error in late_host.of_type("error")] == ["read_only"]
    assert await database_sync_to_async(slots.slot_holders)(room_id=ended.pk) == []
    await close_all([host, late_host])


async def test_a_slow_database_call_in_one_room_does_not_hold_up_another(monkeypatch):
    # given two rooms of the same server process, the first one's chat post stuck in the database
    from konnaxion.kreative import consumers

    stuck_session, _, stuck_tokens = await make_room(1)
    other_session, _, other_tokens = await make_room(1)
    started, release = threading.Event(), threading.Event()
    finished = []
    post = consumers.collab_chat_message_post

    def slow_post(*, session_id, **fields):
        if session_id == stuck_session.pk:
            started.set()
            release.wait(timeout=15)
            finished.append(session_id)
        return post(session_id=session_id, **fields)

    monkeypatch.setattr(consumers, "collab_chat_message_post", slow_post)
    [stuck] = await joined(stuck_session, stuck_tokens)
    [other] = await joined(other_session, other_tokens)
    await stuck.send_json({"type": "chat", "body": "slow"})
    assert await asyncio.to_thread(started.wait, 15)
    # when the other room chats meanwhile
    await other.send_json({"type": "chat", "body": "quick"})
    await other.pump_until(lambda event: isinstance(event, dict) and event["type"] == "chat")
    # then it got its answer while the first call was still stuck, and the first one completes
    assert finished == []
    release.set()
    await stuck.pump_until(lambda event: isinstance(event, dict) and event["type"] == "chat")
    assert [event["message"]["body"] for event in stuck.of_type("chat")] == ["slow"]
    await close_all([stuck, other])
