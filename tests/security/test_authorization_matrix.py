"""The authorization matrix: every endpoint and WebSocket route x every kind of caller.

Rows live in `tests/security/matrix/<part>.py`. A new endpoint without a row fails
`test_every_endpoint_has_a_row`, so none can skip the matrix.
"""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from konnaxion.core.consumers import CLOSE_UNAUTHENTICATED
from konnaxion.core.tests.sockets import ADMITTED, HANDSHAKE_REFUSED, refused, socket_open
from konnaxion.users.tests.factories import UserFactory, token_for
from tests.security.matrix import (
    all_rows,
    all_websocket_rows,
    build_world,
    callers,
    websocket_path,
)
from tests.security.routes import api_endpoints, websocket_routes

ROWS = all_rows()
WEBSOCKET_ROWS = all_websocket_rows()


def test_every_endpoint_has_a_row():
    declared = [row.endpoint for row in ROWS]
    assert len(declared) == len(set(declared)), "an endpoint has two rows"
    assert api_endpoints() - set(declared) == set(), "endpoints missing from the matrix"
    assert set(declared) - api_endpoints() == set(), "rows for endpoints that do not exist"


def test_every_websocket_route_has_a_row():
    assert websocket_routes() == set(WEBSOCKET_ROWS)


def test_every_caller_is_defined():
    named = {caller for row in ROWS for caller in row.expected}
    assert named <= set(callers())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "caller"),
    [(row, caller) for row in ROWS for caller in row.expected],
    ids=lambda value: value if isinstance(value, str) else f"{value.endpoint.method} {value.label}",
)
def test_http_matrix(row, caller):
    # given
    world = build_world(for_row=row)
    client = callers(for_row=row)[caller](world)
    # when
    body = row.concrete_body(world)
    path = row.concrete_path(world)
    if body is None:
        response = client.generic(row.endpoint.method, path)
    elif row.format in ("json", "multipart"):
        response = getattr(client, row.endpoint.method.lower())(path, body, format=row.format)
    else:  # a body already encoded, sent with `format` as its content type
        response = client.generic(row.endpoint.method, path, data=body, content_type=row.format)
    # then
    assert response.status_code == row.expected[caller], response.content[:300]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("route", "caller"),
    [(route, caller) for route, expected in WEBSOCKET_ROWS.items() for caller in expected],
)
async def test_websocket_matrix(route: str, caller: str):
    from channels.db import database_sync_to_async

    world = await database_sync_to_async(build_world)()
    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if caller != "anonymous":
        token = await database_sync_to_async(
            lambda: token_for(world.users.get(caller) or UserFactory())
        )()
        headers.append((b"authorization", f"Token {token}".encode()))
    path = websocket_path(route, world)
    communicator = WebsocketCommunicator(application, path, headers=headers)
    opening = await socket_open(communicator)
    expected = WEBSOCKET_ROWS[route][caller]
    if expected is True:
        assert opening == ADMITTED
        await communicator.disconnect()
    else:
        # Refused with a close code the client receives, and nothing before it.
        assert opening == refused(CLOSE_UNAUTHENTICATED if expected is False else expected)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "route",
    sorted(route for route, expected in WEBSOCKET_ROWS.items() if True in expected.values()),
)
async def test_websockets_refuse_a_foreign_origin(route: str):
    """Cross-site WebSocket hijacking: a signed-in user's browser on another site is refused."""
    from channels.db import database_sync_to_async

    world = await database_sync_to_async(build_world)()
    # A caller the route admits from its own site: refused here only for the origin.
    admitted = next(name for name, expected in WEBSOCKET_ROWS[route].items() if expected is True)
    user = world.users.get(admitted) or world.users["stranger"]
    token = await database_sync_to_async(lambda: token_for(user))()
    headers = [
        (b"origin", b"https://attacker.example"),
        (b"host", b"localhost"),
        (b"authorization", f"Token {token}".encode()),
    ]
    path = websocket_path(route, world)
    communicator = WebsocketCommunicator(application, path, headers=headers)
    assert await socket_open(communicator) == HANDSHAKE_REFUSED
