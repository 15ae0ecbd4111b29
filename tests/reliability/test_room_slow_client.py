"""A room client whose consumer falls behind while the room goes on: the channel layer keeps at
most 100 messages for one consumer and drops the oldest, so the room must notice the gap and
send the client the whole document rather than leave it silently behind."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from channels.db import database_sync_to_async
from django.db import connection

from conftest import process_env
from konnaxion.kreative.tests.rooms import (
    declare_roots,
    doc_content,
    room_with,
    server_doc,
    stroke,
)
from konnaxion.kreative.tests.rooms_live import LiveYClient, free_port, room_servers
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

# More updates than the channel layer's capacity (100) keeps for one consumer.
UPDATES = 150


@pytest.fixture
def two_servers(transactional_db) -> Iterator[list[str]]:
    env = process_env()
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with room_servers([free_port(), free_port()], env) as urls:
        yield urls


@database_sync_to_async
def _room():
    users = [UserFactory(), UserFactory()]
    return room_with(users), [token_for(user) for user in users]


def _session_locked(session_id: int) -> psycopg.Connection:
    """Another connection holding the session's row lock: a chat message (whose foreign key
    needs a share lock on that row) waits until it is released; document updates do not."""
    settings = connection.settings_dict
    locker = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or None,
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
    )
    locker.execute("SELECT id FROM kreative_collabsession WHERE id = %s FOR UPDATE", [session_id])
    return locker


async def test_a_client_whose_consumer_fell_behind_is_resynchronised(two_servers):
    # given two editors on two server processes; ben's consumer (and every database call of
    # its process, which share one thread) is stuck on a slow database write
    session, tokens = await _room()
    ana, ben = (
        LiveYClient(url, session.pk, token) for url, token in zip(two_servers, tokens, strict=True)
    )
    for client in (ana, ben):
        declare_roots(client.doc)
        await client.join()
    await ana.edit(stroke("first", "ana"))  # the document row exists from now on
    await ana.settle()
    locker = await database_sync_to_async(_session_locked)(session.pk)
    try:
        await ben.send_json({"type": "chat", "body": "a slow write"})
        # when ana draws more strokes than the channel layer keeps for ben's consumer
        for number in range(UPDATES):
            await ana.edit(stroke(f"s{number}", "ana"))
        await ana.edit(stroke("last", "ana"))
        await ana.settle()
    finally:
        # and ben's consumer goes on
        locker.close()
    await ben.settle()
    # then ben has every stroke, as the server does
    stored = doc_content(await database_sync_to_async(server_doc)(session.pk))
    assert len(stored["canvas"]) == UPDATES + 2
    assert doc_content(ben.doc) == stored
    await ana.close()
    await ben.close()
