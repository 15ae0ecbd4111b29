"""Collaboration rooms: the room socket of a session.

The world has a session hosted by `room_host`. Only people the room admits join; everyone else
is refused as if the room did not exist.
"""

from django.utils import timezone

from konnaxion.core.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from konnaxion.kreative.tests.factories import CollabSessionFactory
from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World
from tests.security.matrix.core import api_client_for

ROOM = "ws/connect/workspaces/<int:session_id>/"


def world_setup(world: World) -> None:
    host = world.users["room_host"] = UserFactory(username="room-host")
    world.room_session = CollabSessionFactory(host=host, started_at=timezone.now())


CALLERS = {"room_host": lambda world: api_client_for(world.users["room_host"])}

ROWS = []

WEBSOCKET_ROWS = {
    ROOM: {"anonymous": CLOSE_UNAUTHENTICATED, "stranger": CLOSE_NOT_FOUND, "room_host": True},
}

WEBSOCKET_PATHS = {ROOM: lambda world: f"/ws/connect/workspaces/{world.room_session.pk}/"}
