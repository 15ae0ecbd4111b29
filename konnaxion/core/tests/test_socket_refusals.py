"""Refused sockets, as a browser sees them: `konnaxion serve` (uvicorn) in a child process and
a real WebSocket client.

A refusal must reach the client as its close code (docs/rooms.md, "Joining"): an ASGI server
turns a close sent before the handshake is accepted into an HTTP 403, which a browser reports
as close code 1006. Only a foreign `Origin` is refused at the handshake.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from konnaxion.core.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.kreative.tests.rooms import room_with
from konnaxion.users.tests.factories import UserFactory, token_for

# Long enough for a handshake and a refusal on a busy machine.
TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class Seen:
    """What the client saw: the handshake's HTTP status, the close code (None while open) and
    the frames received before the close."""

    status: int
    close_code: int | None = None
    frames: tuple[Any, ...] = ()


async def _open(base: str, path: str, *, token: str | None, origin: str | None) -> Seen:
    headers = {"Authorization": f"Token {token}"} if token else {}
    try:
        async with connect(
            base.replace("http", "ws", 1) + path,
            origin=origin or base,
            additional_headers=headers,
            open_timeout=TIMEOUT_SECONDS,
        ) as socket:
            frames: list[Any] = []
            try:
                while True:
                    frame = await asyncio.wait_for(socket.recv(), TIMEOUT_SECONDS)
                    frames.append(json.loads(frame) if isinstance(frame, str) else frame)
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd else None
                return Seen(101, code, tuple(frames))
    except InvalidStatus as refused:
        return Seen(refused.response.status_code)


def seen(base: str, path: str, *, token: str | None = None, origin: str | None = None) -> Seen:
    return asyncio.run(_open(base, path, token=token, origin=origin))


@pytest.mark.parametrize(
    "path",
    [
        "/ws/ping/",
        "/ws/notifications/",
        "/ws/projects/{project}/",
        "/ws/connect/workspaces/{room}/",
    ],
)
def test_a_signed_out_client_is_told_4401_after_the_handshake(live_server_url, path):
    # given a project and a room that exist (only the signing in is missing)
    project, users = team_project()
    room = room_with([users["owner"]])
    # when
    outcome = seen(live_server_url, path.format(project=project.slug, room=room.pk))
    # then
    assert outcome == Seen(101, CLOSE_UNAUTHENTICATED)


def test_a_room_the_user_may_not_enter_is_told_4404(live_server_url):
    # given a room whose host did not invite the stranger, and a room that does not exist
    host, stranger = UserFactory(), UserFactory()
    room = room_with([host])
    token = token_for(stranger)
    # when
    not_invited = seen(live_server_url, f"/ws/connect/workspaces/{room.pk}/", token=token)
    missing = seen(live_server_url, f"/ws/connect/workspaces/{room.pk + 1000}/", token=token)
    # then both look alike: nobody learns which rooms exist
    assert not_invited == missing == Seen(101, CLOSE_NOT_FOUND)


def test_the_events_of_a_project_the_user_cannot_see_are_told_4404(live_server_url):
    # given a members-only project and someone outside its team
    project, _ = team_project(visibility=Project.Visibility.MEMBERS)
    token = token_for(UserFactory())
    # when
    outcome = seen(live_server_url, f"/ws/projects/{project.slug}/", token=token)
    # then
    assert outcome == Seen(101, CLOSE_NOT_FOUND)


def test_an_unknown_address_is_told_4404(live_server_url):
    # given
    token = token_for(UserFactory())
    # when
    outcome = seen(live_server_url, "/ws/no-such-socket/", token=token)
    # then
    assert outcome == Seen(101, CLOSE_NOT_FOUND)


def test_a_foreign_origin_is_refused_at_the_handshake(live_server_url):
    # given a member of the project, whose browser is on another site
    project, users = team_project()
    token = token_for(users["owner"])
    # when
    outcome = seen(
        live_server_url,
        f"/ws/projects/{project.slug}/",
        token=token,
        origin="https://attacker.example",
    )
    # then no socket at all: an HTTP 403, no close code
    assert outcome == Seen(403)
