"""Property-based fuzzing of every operation in the OpenAPI schema, signed in as several callers.

Checks: no 5xx, and every response conforms to the schema (status codes, content type, body).
The run is bounded here (`FUZZ_EXAMPLES`, default 12 per operation); `make fuzz` raises it.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.transport.serialization import serialize_binary

from konnaxion.users.tests.factories import UserFactory, token_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
# No server error, and every answer as documented. (Whether a schema-valid request is accepted
# depends on what it means: an id that names nothing, a state conflict.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


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


@schemathesis.serializer("application/offset+octet-stream")
def tus_chunk(ctx, value) -> bytes:
    """tus PATCH bodies are raw bytes (konnaxion/keenkonnect/api/tus_views.py)."""
    return serialize_binary(value)


schema = schemathesis.openapi.from_wsgi("/api/schema/", InProcessApplication())


@pytest.fixture
def callers(db) -> dict[str, dict[str, str]]:
    """Headers per kind of caller; each example is sent as one of them."""
    member, staff = UserFactory(), UserFactory(is_staff=True)
    return {
        "anonymous": {},
        "member": {"Authorization": f"Token {token_for(member)}"},
        "staff": {"Authorization": f"Token {token_for(staff)}"},
    }


@pytest.mark.django_db
@schema.parametrize()
@schema.given(caller=st.sampled_from(["anonymous", "member", "staff"]))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, caller, callers):
    case.call_and_validate(headers=callers[caller], checks=CHECKS)
