"""Collaboration rooms: the room socket of a session.

Uses `world.session` (hosted by `owner`, from the data model's world). Until invitations exist,
only the host joins; everyone else is refused as if the room did not exist.
"""

from konnaxion.core.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED

ROOM = "ws/connect/workspaces/<int:session_id>/"

ROWS = []

WEBSOCKET_ROWS = {
    ROOM: {"anonymous": CLOSE_UNAUTHENTICATED, "stranger": CLOSE_NOT_FOUND, "owner": True},
}

WEBSOCKET_PATHS = {ROOM: lambda world: f"/ws/connect/workspaces/{world.session.pk}/"}
