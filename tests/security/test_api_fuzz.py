"""Property-based fuzzing of every operation in the OpenAPI schema, by every kind of caller of
a real world.

The callers are the team world's (`matrix/team_world.py`): the owner, collaborator and mentor of
a public and a members-only project, an outsider (signed in, on no team), staff and anonymous
visitors. Path parameters, and the body and query fields that name objects, name the world's
(its projects' slugs, documents, users, room, opportunity, endorsements...) three times in four
and random values otherwise, so requests reach the code behind the lookups.

Checks: no 5xx, and every response conforms to the schema (status codes, content type, headers,
body). The run is bounded here (`FUZZ_EXAMPLES`, default 12 per operation); `make fuzz` raises
it. What it found and is not fixed yet is kept as plain tests in `test_fuzz_findings.py`, and
left out of this run by `KNOWN_FINDINGS`.
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

from tests.security.matrix.team_world import CALLERS, TeamWorld, team_world_fixture

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

# The world of the running module, for the path parameter hook (which draws while a test runs).
current: dict[str, TeamWorld] = {}


def _collection_of(path: str, name: str) -> str:
    """The segment before `{name}` in `path`: "/api/projects/{project_slug}/" -> "projects"."""
    before = path.split("{" + name + "}")[0].rstrip("/")
    return before.rsplit("/", 1)[-1]


@st.composite
def _world_parameters(draw, world: TeamWorld, path: str, generated: dict) -> dict:
    """The generated path parameters, each replaced three times in four by a value naming an
    object of the world; a nested one (a document) is one of its parent's (the project) when
    the parent is the world's."""
    chosen: dict = {}
    parent = None
    for name in sorted(generated, key=lambda name: path.index("{" + name + "}")):
        known = world.values_of(_collection_of(path, name), within=parent)
        if known and draw(st.integers(0, 3)):
            chosen[name] = draw(st.sampled_from(known))
        else:
            chosen[name] = generated[name]
        parent = chosen[name]
    return chosen


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Path parameters that name objects of the world, so that most requests reach the code
    behind the lookups (for the callers who may see them) instead of a 404."""
    world = current.get("world")
    if not path_parameters or world is None:
        return st.just(path_parameters)
    return _world_parameters(world, context.operation.path, path_parameters)


def _world_fields(world: TeamWorld) -> dict[str, list]:
    """Body and query fields that name objects of the world, with the values that do."""
    usernames = world.values_of("team")
    return {
        "username": usernames,
        "user": usernames,
        "subject": usernames,
        "uploader": usernames,
        "participants": [[name] for name in usernames],
        "project": world.values_of("projects"),
        "session": world.values_of("collab-sessions"),
        "artwork": world.values_of("artworks"),
        "artwork_ids": [world.values_of("artworks")],
        "version": [1, 2],
        "from": [1, 2],
        "to": [1, 2],
    }


@st.composite
def _world_fields_in(draw, world: TeamWorld, generated):
    """A body or query whose fields naming objects of the world name them three times in four."""
    if not isinstance(generated, dict):
        return generated
    fields = _world_fields(world)
    chosen = dict(generated)
    for name in generated:
        if name in fields and draw(st.integers(0, 3)):
            chosen[name] = draw(st.sampled_from(fields[name]))
    return chosen


@schema.hook
def flatmap_body(context, body):
    world = current.get("world")
    return st.just(body) if world is None else _world_fields_in(world, body)


@schema.hook
def flatmap_query(context, query):
    world = current.get("world")
    return st.just(query) if world is None else _world_fields_in(world, query)


def _failure_says(operation: str | None, words: str):
    """A finding recognised by the failure's words, on `operation` (None: on any)."""
    return lambda case, text: operation in (None, case.operation.label) and words in text


def _nul_byte_in(operation: str, field: str):
    """A finding recognised by a NUL byte in a field of a form (multipart) body."""

    def matches(case, text) -> bool:
        body = case.body if isinstance(case.body, dict) else {}
        return (
            case.operation.label == operation
            and case.media_type == "multipart/form-data"
            and "\x00" in str(body.get(field, ""))
        )

    return matches


TASKS = "/api/keenkonnect/projects/{project_slug}/tasks/"
# What the fuzzing found and is not fixed yet: how to recognise it -> the test of
# `test_fuzz_findings.py` that reproduces it, marked xfail until the fix. Remove the entry when
# that test passes.
KNOWN_FINDINGS: dict = {}


@schema.hook
def filter_failure(context, failure, case, response) -> bool:
    """Keep every failure but the known findings (each reproduced in test_fuzz_findings.py)."""
    text = f"{failure.title} {failure.message}"
    return not any(matches(case, text) for matches in KNOWN_FINDINGS)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    for built in team_world_fixture(django_db_blocker):
        current["world"] = built
        yield built
        current.clear()


def headers_of(world: TeamWorld, caller: str) -> dict[str, str]:
    return {"Authorization": f"Token {world.tokens[caller]}"} if caller in world.tokens else {}


@pytest.mark.django_db
@schema.parametrize()
@schema.given(caller=st.sampled_from(CALLERS))
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, caller, world):
    case.call_and_validate(headers=headers_of(world, caller), checks=CHECKS)
