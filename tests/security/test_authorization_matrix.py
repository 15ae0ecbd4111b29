"""The authorization matrix: every endpoint and WebSocket route x every kind of caller.

A new endpoint without a row here fails `test_every_endpoint_has_a_row`, so none can skip it.
Each row gives the expected status per caller; `None` marks a caller that does not apply.
"""

from __future__ import annotations

import json

import pytest
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient

from config.asgi import application
from konnaxion.core.consumers import CLOSE_UNAUTHENTICATED
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory, token_for
from tests.security.routes import Endpoint, api_endpoints, websocket_routes

CALLERS = ("anonymous", "user")

# (route, method) -> (request body, {caller: expected status})
MATRIX: dict[Endpoint, tuple[dict | None, dict[str, int]]] = {
    Endpoint("api/schema/", "GET"): (None, {"anonymous": 200, "user": 200}),
    Endpoint("api/docs/", "GET"): (None, {"anonymous": 200, "user": 200}),
    Endpoint("api/auth/token/", "POST"): (
        {"username": "someone", "password": DEFAULT_PASSWORD},
        {"anonymous": 200, "user": 200},
    ),
    Endpoint("api/users/me/", "GET"): (None, {"anonymous": 401, "user": 200}),
}

# route -> {caller: accepted?}
WEBSOCKET_MATRIX: dict[str, dict[str, bool]] = {
    "ws/ping/": {"anonymous": False, "user": True},
}


def test_every_endpoint_has_a_row():
    assert api_endpoints() - set(MATRIX) == set(), "endpoints missing from the matrix"
    assert set(MATRIX) - api_endpoints() == set(), "matrix rows for endpoints that do not exist"


def test_every_websocket_route_has_a_row():
    assert websocket_routes() == set(WEBSOCKET_MATRIX)


def _client_for(caller: str) -> APIClient:
    client = APIClient()
    if caller != "anonymous":
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(UserFactory())}")
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "caller"),
    [(endpoint, caller) for endpoint in MATRIX for caller in CALLERS],
    ids=lambda value: f"{value.method} /{value.route}" if isinstance(value, Endpoint) else value,
)
def test_http_matrix(endpoint: Endpoint, caller: str):
    # given
    UserFactory(username="someone")
    body, expected = MATRIX[endpoint]
    client = _client_for(caller)
    # when
    response = client.generic(
        endpoint.method,
        f"/{endpoint.route}",
        data=json.dumps(body) if body else None,
        content_type="application/json",
    )
    # then
    assert response.status_code == expected[caller]


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("route", "caller"),
    [(route, caller) for route in WEBSOCKET_MATRIX for caller in CALLERS],
)
async def test_websocket_matrix(route: str, caller: str):
    from channels.db import database_sync_to_async

    headers = [(b"origin", b"http://localhost"), (b"host", b"localhost")]
    if caller != "anonymous":
        token = await database_sync_to_async(lambda: token_for(UserFactory()))()
        headers.append((b"authorization", f"Token {token}".encode()))
    communicator = WebsocketCommunicator(application, f"/{route}", headers=headers)
    connected, code = await communicator.connect()
    assert connected is WEBSOCKET_MATRIX[route][caller]
    if connected:
        await communicator.disconnect()
    else:
        assert code == CLOSE_UNAUTHENTICATED


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("route", sorted(WEBSOCKET_MATRIX))
async def test_websockets_refuse_a_foreign_origin(route: str):
    """Cross-site WebSocket hijacking: a signed-in user's browser on another site is refused."""
    from channels.db import database_sync_to_async

    token = await database_sync_to_async(lambda: token_for(UserFactory()))()
    headers = [
        (b"origin", b"https://attacker.example"),
        (b"host", b"localhost"),
        (b"authorization", f"Token {token}".encode()),
    ]
    communicator = WebsocketCommunicator(application, f"/{route}", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected
