"""Property-based fuzzing of every operation in the OpenAPI schema, signed in as several callers.

Checks: no 5xx, and every response conforms to the schema (status codes, content type, body).
The run is bounded here (`FUZZ_EXAMPLES`, default 15 per operation); `make fuzz` raises it.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings

from konnaxion.users.tests.factories import UserFactory, token_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


class InProcessApplication:
    """A WSGI application over Django's test handler, which keeps the test's database
    connection (and so its transaction) open between requests."""

    def __init__(self) -> None:
        self.handler = ClientHandler()

    def __call__(self, environ, start_response):
        response = self.handler(environ)
        headers = [*response.items()]
        headers += [("Set-Cookie", cookie.OutputString()) for cookie in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response


schema = schemathesis.openapi.from_wsgi("/api/schema/", InProcessApplication())


@pytest.fixture(params=["anonymous", "member", "staff"])
def auth_headers(request, db) -> dict[str, str]:
    if request.param == "anonymous":
        return {}
    user = UserFactory(is_staff=request.param == "staff")
    return {"Authorization": f"Token {token_for(user)}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, auth_headers):
    case.call_and_validate(headers=auth_headers)
