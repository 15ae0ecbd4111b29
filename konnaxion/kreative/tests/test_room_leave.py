"""Leaving a room while connected: the socket is told and closed, and fed nothing more; the end
of a room reaches everyone connected (real ASGI application, Redis channel layer)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from konnaxion.core.consumers import CLOSE_FORBIDDEN
from konnaxion.kreative.services.collaboration_workspace import workspace_end, workspace_leave
from konnaxion.kreative.tests.test_room_revocation import in_room, until_closed


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_a_person_who_leaves_is_closed_and_receives_nothing_after():
    # given
    session, (_host, guest, _other), (host_client, guest_client, other_client) = await in_room(3)
    # when the guest leaves (from another tab, say) and the host then writes
    await database_sync_to_async(workspace_leave)(session=session, actor=guest)
    await host_client.send_json({"type": "chat", "body": "after leaving"})
    received, code = await until_closed(guest_client)
    await other_client.pump_until(lambda e: isinstance(e, dict) and e.get("type") == "chat")
    # the presence of the one who left may reach the others after the chat (another group send)
    if not [e for e in other_client.of_type("presence") if e["event"] == "left"]:
        await other_client.pump_until(
            lambda e: isinstance(e, dict) and e.get("type") == "presence" and e["event"] == "left"
        )
    # then
    assert code == CLOSE_FORBIDDEN
    assert received[-1] == {**received[-1], "type": "error", "code": "access_revoked"}
    assert not [e for e in received if isinstance(e, dict) and e["type"] == "chat"]
    left = [e for e in other_client.of_type("presence") if e["event"] == "left"]
    assert [e["user"] for e in left] == [guest.username]
    for client in (host_client, other_client):
        await client.close()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_end_reaches_everyone_connected_and_their_writes_are_refused():
    # given
    session, (host, _guest), (host_client, guest_client) = await in_room(2)
    # when
    await database_sync_to_async(workspace_end)(session=session, actor=host)
    await guest_client.pump_until(lambda e: isinstance(e, dict) and e["type"] == "session_ended")
    await guest_client.send_json({"type": "chat", "body": "too late"})
    await guest_client.pump_until(lambda e: isinstance(e, dict) and e["type"] == "error")
    # then
    (ended,) = guest_client.of_type("session_ended")
    assert ended["role"] == "viewer"
    assert guest_client.of_type("error")[-1]["code"] in ("read_only", "session_ended")
    for client in (host_client, guest_client):
        await client.close()
