"""Room edits published by the document service, after commit, to the room's one group (real
ASGI application and Redis channel layer)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction
from pycrdt import Array, Doc

from konnaxion.kreative.realtime import documents
from konnaxion.kreative.services.collab_sessions import room_group
from konnaxion.kreative.services.collaboration_workspace import collab_document_apply_update
from konnaxion.kreative.tests.rooms import (
    YClient,
    close_all,
    declare_roots,
    room_with,
    server_doc,
    stroke,
)
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def _room(people: int):
    users = [UserFactory() for _ in range(people)]
    return room_with(users), [token_for(user) for user in users]


def _stroke_update(doc: Doc, stroke_id: str) -> bytes:
    before = doc.get_state()
    stroke(stroke_id, "ana")(doc)
    return doc.get_update(before)


def _canvas_ids(doc: Doc) -> list[str]:
    return [item["id"] for item in doc.get(documents.CANVAS, type=Array).to_py() or []]


@database_sync_to_async
def _apply_and_roll_back(*, session_id: int, update: bytes) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        collab_document_apply_update(session_id=session_id, update=update, sender="ana-socket")
        raise RuntimeError("the transaction fails after the edit")


@database_sync_to_async
def _apply_and_commit(*, session_id: int, update: bytes) -> None:
    with transaction.atomic():
        collab_document_apply_update(session_id=session_id, update=update, sender="ana-socket")


async def test_only_a_committed_edit_reaches_the_room_group():
    # given a listener in the room's group
    session, _ = await _room(2)
    layer = get_channel_layer()
    listener = await layer.new_channel()
    await layer.group_add(room_group(session.pk), listener)
    doc = Doc()
    declare_roots(doc)
    rolled_back = _stroke_update(doc, "rolled back")
    committed = _stroke_update(Doc(), "committed")
    # when an edit is rolled back, then another commits
    await _apply_and_roll_back(session_id=session.pk, update=rolled_back)
    await _apply_and_commit(session_id=session.pk, update=committed)
    # then the first event the room hears is the committed edit, the first stored version
    event = await asyncio.wait_for(layer.receive(listener), timeout=10)
    assert event == {
        "type": "room.update",
        "sender": "ana-socket",
        "update": committed,
        "version": 1,
    }
    stored = await database_sync_to_async(server_doc)(session.pk)
    assert _canvas_ids(stored) == ["committed"]
    await layer.group_discard(room_group(session.pk), listener)


async def test_edits_and_chat_from_one_sender_reach_the_room_in_the_order_sent():
    # given two editors in a room
    session, tokens = await _room(2)
    ana, ben = YClient(session.pk, tokens[0]), YClient(session.pk, tokens[1])
    for client in (ana, ben):
        declare_roots(client.doc)
        await client.join()
    # when ana edits and chats, one after the other
    await ana.edit(stroke("a", "ana"))
    await ana.send_json({"type": "chat", "body": "one"})
    await ana.edit(stroke("b", "ana"))
    await ana.edit(stroke("c", "ana"))
    await ana.send_json({"type": "chat", "body": "two"})
    await ana.edit(stroke("d", "ana"))
    await ana.send_json({"type": "chat", "body": "three"})

    def recorder(client: YClient, seen: list[str], until: str):
        def saw(event: Any) -> bool:
            if event in ("update", "step2"):
                seen.append(f"{event} {_canvas_ids(client.doc)[-1]}")
            elif isinstance(event, dict) and event["type"] in ("chat", "heartbeat"):
                seen.append(event.get("message", {}).get("body", event["type"]))
            return seen[-1:] == [until]

        return saw

    seen_by_ben: list[str] = []
    seen_by_ana: list[str] = []
    for client, seen in ((ben, seen_by_ben), (ana, seen_by_ana)):
        await client.pump_until(recorder(client, seen, "three"))
        await client.send_json({"type": "heartbeat"})
        await client.pump_until(recorder(client, seen, "heartbeat"))
    # then ben got every edit and line in the order sent, each edit once, with no resync (he
    # knows every version); ana got her lines back and none of her edits, and the versions her
    # edits produced are counted as hers (her heartbeat brings no resync either)
    assert seen_by_ben == [
        *("update a", "one", "update b", "update c", "two", "update d", "three"),
        "heartbeat",
    ]
    assert seen_by_ana == ["one", "two", "three", "heartbeat"]
    assert _canvas_ids(ben.doc) == ["a", "b", "c", "d"]
    await close_all([ana, ben])
