"""Platform endpoints: schema, docs, sign-in, the current user, the ping socket.

Also defines the two callers every module can use: `anonymous` and `stranger` (a signed-in user
with no relation to anything).
"""

from rest_framework.test import APIClient

from konnaxion.core.consumers import CLOSE_NOT_FOUND
from konnaxion.users.models import AccountExport
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory, token_for
from konnaxion.users.tokens import personal_token_create
from tests.security.matrix import World, row


def api_client_for(user=None) -> APIClient:
    """An API client signed in with `user`'s token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def world_setup(world: World) -> None:
    world.users["stranger"] = UserFactory(username="stranger")
    # Someone else's data export: not found for anyone but them.
    world.users["exporter"] = UserFactory(username="exporter")
    world.exporter_export = AccountExport.objects.create(user=world.users["exporter"])
    # Someone else's personal token: nobody but its owner may revoke it.
    world.core_token = personal_token_create(
        owner=UserFactory(username="token-owner"), name="theirs"
    ).token


CALLERS = {
    "anonymous": lambda world: api_client_for(),
    "stranger": lambda world: api_client_for(world.users["stranger"]),
}

ROWS = [
    row("GET", "api/schema/", {"anonymous": 200, "stranger": 200}),
    row("GET", "api/docs/", {"anonymous": 200, "stranger": 200}),
    row(
        "POST",
        "api/auth/token/",
        {"anonymous": 200, "stranger": 200},
        body={"username": "stranger", "password": DEFAULT_PASSWORD},
    ),
    row("GET", "api/users/me/", {"anonymous": 401, "stranger": 200}),
    row("GET", "api/account/export/", {"anonymous": 401, "stranger": 200}),
    row("POST", "api/account/export/", {"anonymous": 401, "stranger": 202}),
    row(
        "GET",
        "api/account/export/<int:pk>/download/",
        {"anonymous": 401, "stranger": 404},
        path="/api/account/export/{w.exporter_export.pk}/download/",
    ),
    row("GET", "api/auth/tokens/", {"anonymous": 401, "stranger": 200}),
    row("POST", "api/auth/tokens/", {"anonymous": 401, "stranger": 201}, body={"name": "matrix"}),
    row(
        "DELETE",
        "api/auth/tokens/<int:token_id>/",
        {"anonymous": 401, "stranger": 404},
        path="/api/auth/tokens/{w.core_token.pk}/",
    ),
]

WEBSOCKET_ROWS = {
    "ws/ping/": {"anonymous": False, "stranger": True},
    # Any address no route knows: closed as not found, whoever asks.
    "": {"anonymous": CLOSE_NOT_FOUND, "stranger": CLOSE_NOT_FOUND},
}
WEBSOCKET_PATHS = {"": lambda world: "/ws/no-such-route/"}
