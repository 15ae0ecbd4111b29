"""Collaboration workspaces: /api/connect/workspaces/ and the room socket of a session.

The world has a workspace hosted by `room_host` with `room_guest` invited; `room_blocked` was
blocked by the host and can never be invited. Only the host and invited people see a workspace or
join its room; everyone else is refused as if it did not exist. Inviting and ending are the
host's; leaving is the guests'.
"""

from konnaxion.core.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for

ROOM = "ws/connect/workspaces/<int:session_id>/"
C = "api/connect/"
PK = r"(?P<pk>\d+)"
WORKSPACE = "/api/connect/workspaces/{w.room_session.pk}/"


def world_setup(world: World) -> None:
    from konnaxion.kreative.services.collaboration_workspace import workspace_create
    from konnaxion.kreative.services.professional_profile import block_create

    host = world.users["room_host"] = UserFactory(username="room-host")
    guest = world.users["room_guest"] = UserFactory(username="room-guest")
    blocked = world.users["room_blocked"] = UserFactory(username="room-blocked")
    UserFactory(username="room-newcomer")
    block_create(blocker=host, blocked=blocked)
    world.room_session = workspace_create(
        host=host, name="Sketch night", session_type="painting", participants=[guest.username]
    )


CALLERS = {
    name: (lambda world, name=name: api_client_for(world.users[name]))
    for name in ("room_host", "room_guest", "room_blocked")
}

OUTSIDERS = {"anonymous": 401, "stranger": 404, "room_blocked": 404}

ROWS = [
    row(
        "GET",
        f"{C}^workspaces/$",
        {"anonymous": 401, "stranger": 200, "room_host": 200, "room_guest": 200},
        path="/api/connect/workspaces/",
    ),
    row(
        "POST",
        f"{C}^workspaces/$",
        {"anonymous": 401, "stranger": 201, "room_host": 201, "room_blocked": 201},
        path="/api/connect/workspaces/",
        body={"name": "Jam", "session_type": "music", "participants": ["room-newcomer"]},
    ),
    row(
        "GET",
        f"{C}^workspaces/{PK}/$",
        {**OUTSIDERS, "room_host": 200, "room_guest": 200},
        path=WORKSPACE,
    ),
    row(
        "POST",
        f"{C}^workspaces/{PK}/invite/$",
        {**OUTSIDERS, "room_host": 200, "room_guest": 403},
        path=WORKSPACE + "invite/",
        body={"participants": ["room-newcomer"]},
    ),
    row(
        "POST",
        f"{C}^workspaces/{PK}/end/$",
        {**OUTSIDERS, "room_host": 200, "room_guest": 403},
        path=WORKSPACE + "end/",
        body={},
    ),
    row(
        "GET",
        f"{C}^workspaces/{PK}/export/$",
        {**OUTSIDERS, "room_host": 200, "room_guest": 200},
        path=WORKSPACE + "export/",
    ),
    row(
        "GET",
        f"{C}^workspaces/{PK}/archive/$",
        {**OUTSIDERS, "room_host": 200, "room_guest": 200},
        path=WORKSPACE + "archive/",
    ),
    row(
        "POST",
        f"{C}^workspaces/{PK}/leave/$",
        {**OUTSIDERS, "room_host": 409, "room_guest": 204},
        path=WORKSPACE + "leave/",
    ),
    # The world's canvas is empty: both may save it, and are told there is nothing to save.
    row(
        "POST",
        f"{C}^workspaces/{PK}/save-canvas/$",
        {**OUTSIDERS, "room_host": 400, "room_guest": 400},
        path=WORKSPACE + "save-canvas/",
        body={},
    ),
]

WEBSOCKET_ROWS = {
    ROOM: {
        "anonymous": CLOSE_UNAUTHENTICATED,
        "stranger": CLOSE_NOT_FOUND,
        "room_blocked": CLOSE_NOT_FOUND,
        "room_host": True,
        "room_guest": True,
    },
}

WEBSOCKET_PATHS = {ROOM: lambda world: f"/ws/connect/workspaces/{world.room_session.pk}/"}
