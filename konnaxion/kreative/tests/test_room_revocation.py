"""An open room socket whose person lost access is told and closed, and is fed nothing more
(real ASGI application, Redis channel layer, on_commit events)."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async

from konnaxion.core.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND
from konnaxion.core.errors import NotFound
from konnaxion.core.tests.sockets import refused
from konnaxion.kreative.models import CollabChatMessage
from konnaxion.kreative.realtime import slots
from konnaxion.kreative.services.collaboration_workspace import collab_chat_message_post
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tests.rooms import (
    YClient,
    declare_roots,
    doc_content,
    room_with,
    stroke,
)
from konnaxion.users.tests.factories import UserFactory, token_for


@database_sync_to_async
def people(count: int):
    users = [UserFactory() for _ in range(count)]
    return users, [token_for(user) for user in users]


async def until_closed(client: YClient) -> tuple[list, int]:
    """Everything the server sends until it closes the socket, and the close code."""
    received = []
    while True:
        output = await client.communicator.receive_output(timeout=30)
        if output["type"] == "websocket.close":
            return received, output.get("code")
        received.append(json.loads(output["text"]) if output.get("text") else output["bytes"])


async def in_room(count: int):
    """A room of `count` people, all connected and synced; the host first."""
    users, tokens = await people(count)
    session = await database_sync_to_async(room_with)(users)
    clients = [YClient(session.pk, token) for token in tokens]
    for client in clients:
        declare_roots(client.doc)
        await client.join()
    return session, users, clients


def deactivate(user) -> None:
    user.is_active = False
    user.save(update_fields=["is_active"])


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("direction", ["host_blocks", "guest_blocks"])
async def test_a_block_with_the_host_closes_the_guests_open_socket(direction):
    # given
    session, (host, guest, _other), (host_client, guest_client, other_client) = await in_room(3)
    blocker, blocked = (host, guest) if direction == "host_blocks" else (guest, host)
    # when
    await database_sync_to_async(block_create)(blocker=blocker, blocked=blocked)
    await host_client.send_json({"type": "chat", "body": "after the block"})
    received, code = await until_closed(guest_client)
    await other_client.pump_until(lambda e: isinstance(e, dict) and e.get("event") == "left")
    # then: told and closed, never fed what came after; the others see them leave
    assert code == CLOSE_FORBIDDEN
    assert received[-1]["type"] == "error" and received[-1]["code"] == "access_revoked"
    assert not [event for event in received if isinstance(event, dict) and event["type"] == "chat"]
    assert guest.pk not in await database_sync_to_async(slots.slot_holders)(room_id=session.pk)
    left = [e for e in other_client.of_type("presence") if e["event"] == "left"]
    assert [e["user"] for e in left] == [guest.username]
    for client in (host_client, other_client):
        await client.close()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_deactivated_participant_is_closed_before_the_next_chat_line_reaches_them():
    # given
    _session, (_host, guest), (host_client, guest_client) = await in_room(2)
    # when: no event announces it (an administrator's change)
    await database_sync_to_async(deactivate)(guest)
    await host_client.send_json({"type": "chat", "body": "secret plans"})
    received, code = await until_closed(guest_client)
    # then
    assert code == CLOSE_FORBIDDEN
    assert received[-1]["type"] == "error" and received[-1]["code"] == "access_revoked"
    assert not [event for event in received if isinstance(event, dict) and event["type"] == "chat"]
    await host_client.close()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_document_and_presence_frames_stop_within_a_heartbeat_interval(settings):
    # given: a re-check before every delivery
    settings.COLLAB_ROOM_HEARTBEAT_SECONDS = 0
    _session, (host, guest), (host_client, guest_client) = await in_room(2)
    # when
    await database_sync_to_async(deactivate)(guest)
    await host_client.edit(stroke("unseen", host.username))
    received, code = await until_closed(guest_client)
    # then: the stroke never reached the guest
    assert code == CLOSE_FORBIDDEN
    assert [event for event in received if isinstance(event, bytes)] == []
    assert doc_content(guest_client.doc)["canvas"] == []
    await host_client.close()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_socket_that_lost_access_cannot_write_either(settings):
    # given
    settings.COLLAB_ROOM_HEARTBEAT_SECONDS = 0
    session, (_host, guest), (host_client, guest_client) = await in_room(2)
    await database_sync_to_async(deactivate)(guest)
    # when
    await guest_client.send_json({"type": "chat", "body": "still here?"})
    _received, code = await until_closed(guest_client)
    # then
    assert code == CLOSE_FORBIDDEN
    count = await database_sync_to_async(CollabChatMessage.objects.filter(session=session).count)()
    assert count == 0
    await host_client.close()


@pytest.mark.django_db
@pytest.mark.parametrize("direction", ["host_blocks", "guest_blocks"])
def test_the_chat_service_refuses_someone_across_a_block_from_the_host(direction):
    # given
    host, guest = UserFactory(), UserFactory()
    session = room_with([host, guest])
    blocker, blocked = (host, guest) if direction == "host_blocks" else (guest, host)
    block_create(blocker=blocker, blocked=blocked)
    # when / then
    with pytest.raises(NotFound):
        collab_chat_message_post(session_id=session.pk, author=guest, body="hello?")
    assert not CollabChatMessage.objects.exists()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_block_committed_while_the_socket_joins_is_not_missed(monkeypatch):
    # given: the block commits (and its event is published) right after the first access
    # check, before the joining socket listens to the room's events
    from konnaxion.kreative import consumers

    (host, guest), (_, guest_token) = await people(2)
    session = await database_sync_to_async(room_with)([host, guest])
    checks = []
    room_access = consumers.RoomConsumer.room_access

    def racing_access(self, user, session_id):
        access = room_access(self, user, session_id)
        checks.append(access)
        if len(checks) == 1:
            block_create(blocker=host, blocked=guest)
        return access

    monkeypatch.setattr(consumers.RoomConsumer, "room_access", racing_access)
    client = YClient(session.pk, guest_token)
    # when
    outcome = await client.open()
    # then refused with nothing but the close, and no slot kept
    assert outcome == refused(CLOSE_NOT_FOUND)
    assert guest.pk not in await database_sync_to_async(slots.slot_holders)(room_id=session.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("way", ["blocked", "hidden", "deactivated"])
def test_the_low_level_participant_service_applies_the_same_rule(way):
    # given
    from konnaxion.kreative.models import CollabSessionParticipant
    from konnaxion.kreative.services.collab_sessions import collab_session_participant_add
    from konnaxion.kreative.services.professional_profile import profile_update

    host, guest = UserFactory(), UserFactory()
    session = room_with([host])
    if way == "blocked":
        block_create(blocker=guest, blocked=host)
    elif way == "hidden":
        profile_update(user=guest, visibility="hidden")
    else:
        deactivate(guest)
    # when / then
    with pytest.raises(NotFound):
        collab_session_participant_add(session=session, actor=host, user=guest)
    assert not CollabSessionParticipant.objects.filter(user=guest).exists()
