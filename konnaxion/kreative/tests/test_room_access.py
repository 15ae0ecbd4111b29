"""Who joins a room, and what ending a session does to it (real ASGI app, Redis, Celery)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from konnaxion.core.consumers import CLOSE_NOT_FOUND
from konnaxion.core.tests.sockets import Opening, refused
from konnaxion.kreative.models import CollabSession, CollabSessionParticipant
from konnaxion.kreative.realtime import slots
from konnaxion.kreative.services.collaboration_workspace import workspace_end, workspaces_end_idle
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tasks import workspaces_end_idle_task
from konnaxion.kreative.tests.rooms import YClient, declare_roots, room_with, stroke
from konnaxion.users.tests.factories import UserFactory, token_for


@database_sync_to_async
def people(count: int):
    users = [UserFactory() for _ in range(count)]
    return users, [token_for(user) for user in users]


async def joining(session_id: int, token: str, **options) -> Opening:
    return await YClient(session_id, token, **options).open()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_people_not_invited_are_refused_even_as_viewers():
    # given
    (host, guest, _), (_, _, stranger_token) = await people(3)
    session = await database_sync_to_async(room_with)([host, guest])
    # when
    as_editor = await joining(session.pk, stranger_token)
    as_viewer = await joining(session.pk, stranger_token, viewer=True)
    # then
    assert as_editor == as_viewer == refused(CLOSE_NOT_FOUND)
    assert await database_sync_to_async(slots.slot_holders)(room_id=session.pk) == []


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("direction", ["host_blocks", "guest_blocks"])
async def test_a_guest_across_a_block_from_the_host_is_refused(direction):
    # given: invited first, then a block in either direction
    (host, guest), (_, guest_token) = await people(2)
    session = await database_sync_to_async(room_with)([host, guest])
    blocker, blocked = (host, guest) if direction == "host_blocks" else (guest, host)
    await database_sync_to_async(block_create)(blocker=blocker, blocked=blocked)
    # when
    outcome = await joining(session.pk, guest_token)
    # then
    assert outcome == refused(CLOSE_NOT_FOUND)
    assert await database_sync_to_async(slots.slot_holders)(room_id=session.pk) == []


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_an_invited_guest_joins_as_editor_and_is_marked_joined():
    # given
    (host, guest), (_, guest_token) = await people(2)
    session = await database_sync_to_async(room_with)([host, guest])
    client = YClient(session.pk, guest_token)
    # when
    welcome = await client.join()
    # then
    assert welcome["role"] == "editor"
    participant = await database_sync_to_async(CollabSessionParticipant.objects.get)(
        session=session, user=guest
    )
    refreshed = await database_sync_to_async(CollabSession.objects.get)(pk=session.pk)
    assert participant.joined_at is not None
    assert refreshed.last_active_at is not None
    await client.close()


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_ending_the_session_turns_connected_editors_into_viewers_and_frees_their_slots():
    # given
    (host, guest), (host_token, guest_token) = await people(2)
    session = await database_sync_to_async(room_with)([host, guest])
    clients = [YClient(session.pk, token) for token in (host_token, guest_token)]
    for client in clients:
        declare_roots(client.doc)
        await client.join()
    # when
    await database_sync_to_async(workspace_end)(session=session, actor=host)
    for client in clients:
        await client.pump_until(lambda e: isinstance(e, dict) and e["type"] == "session_ended")
    await clients[1].edit(stroke("late", "guest"))
    await clients[1].send_json({"type": "chat", "body": "too late"})
    await clients[1].settle()
    late = YClient(session.pk, guest_token)
    late_welcome = await late.join()
    # then
    ended = [client.of_type("session_ended")[0] for client in clients]
    assert all(event["role"] == "viewer" and event["final_artwork"] is None for event in ended)
    assert [error["code"] for error in clients[1].of_type("error")] == ["read_only", "read_only"]
    assert await database_sync_to_async(slots.slot_holders)(room_id=session.pk) == []
    assert late_welcome["role"] == "viewer"
    for client in [*clients, late]:
        await client.close()


def _idle_world():
    """An idle session (its last visitor left 31 minutes ago), one never visited for 40 minutes,
    and one that was active 29 minutes ago."""
    now = timezone.now()
    users = [UserFactory() for _ in range(2)]
    idle, never, busy = (room_with(users) for _ in range(3))
    CollabSession.objects.filter(pk=idle.pk).update(
        started_at=now - timedelta(hours=2), last_active_at=now - timedelta(minutes=31)
    )
    CollabSession.objects.filter(pk=never.pk).update(started_at=now - timedelta(minutes=40))
    CollabSession.objects.filter(pk=busy.pk).update(
        started_at=now - timedelta(hours=2), last_active_at=now - timedelta(minutes=29)
    )
    return idle, never, busy


@pytest.mark.django_db
def test_idle_sessions_are_ended_and_active_ones_kept():
    # given
    idle, never, busy = _idle_world()
    # when
    ended = workspaces_end_idle()
    again = workspaces_end_idle()
    # then
    assert sorted(ended) == sorted([idle.pk, never.pk])
    assert again == []
    assert CollabSession.objects.get(pk=busy.pk).ended_at is None


@pytest.mark.django_db(transaction=True)
def test_the_worker_ends_idle_sessions(celery_worker):
    # given
    idle, never, busy = _idle_world()
    # when
    workspaces_end_idle_task.delay()
    # then
    deadline = time.monotonic() + 60
    while CollabSession.objects.filter(pk__in=[idle.pk, never.pk], ended_at__isnull=True).exists():
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)
    assert CollabSession.objects.get(pk=busy.pk).ended_at is None
