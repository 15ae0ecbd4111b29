"""The editor cap across two live ASGI server processes sharing Redis and PostgreSQL."""

from __future__ import annotations

import asyncio
import random

import pytest
from django.conf import settings

from conftest import process_env
from konnaxion.core.consumers import CLOSE_CONFLICT
from konnaxion.kreative.services.collab_sessions import collab_session_end
from konnaxion.kreative.tests.room_race import editors_race
from konnaxion.kreative.tests.rooms import room_with
from konnaxion.kreative.tests.rooms_live import free_port, room_servers
from konnaxion.users.tests.factories import UserFactory, token_for

TRIALS = 25


@pytest.fixture
def two_servers(transactional_db):
    env = process_env()
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with room_servers([free_port(), free_port()], env) as urls:
        yield urls


def test_seven_to_ten_editors_on_two_servers_always_admit_exactly_the_cap(two_servers):
    # given
    users = [UserFactory() for _ in range(10)]
    tokens = [token_for(user) for user in users]
    rng = random.Random(6)
    outcomes = []
    # when
    for _ in range(TRIALS):
        session = room_with(users)
        contenders = rng.randint(7, 10)
        outcome = asyncio.run(editors_race(two_servers, session.pk, tokens[:contenders]))
        outcomes.append((contenders, outcome.admitted, outcome.refused_codes))
        # One host opens at most COLLAB_MAX_OPEN_ROOMS_PER_USER rooms at once.
        collab_session_end(session=session, actor=users[0])
    # then
    cap = settings.COLLAB_CANVAS_MAX_USERS
    assert outcomes == [
        (contenders, cap, (CLOSE_CONFLICT,) * (contenders - cap)) for contenders, _, _ in outcomes
    ]
