"""Malformed HTTP against the raw ASGI application (`config.asgi.application`), the way a
server hands it over: odd methods, paths, query strings, headers, JSON and multipart bodies.

What must hold, for every input: never a 5xx; under `/api/`, every error is
`{"error": {"code", "message", "details"}}` as JSON. The run is bounded here (`FUZZ_EXAMPLES`,
default 12: 120 examples); `make fuzz` raises it. The WebSocket half is
`test_asgi_fuzz_sockets.py`; the inputs are in `asgi_inputs.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from asgiref.sync import async_to_sync
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tests.security.asgi_inputs import (
    HTTP_EXAMPLES,
    World,
    assert_answer_holds,
    call,
    error_code,
    http_call,
    json_request,
    requests,
    world_create,
)


@pytest.fixture
def world(db) -> Iterator[World]:
    """Requests run in the test's transaction (the view runs in the test's thread): Django's
    handler would close the test's connection when a request starts and ends, which its test
    client prevents the same way."""
    created = world_create()  # the test client connects the handlers again after a request
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield created
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_http_fuzz_never_fails_and_api_errors_are_json(world):
    @given(request=requests(world))
    @settings(
        max_examples=HTTP_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    def run(request) -> None:
        method, raw_path, query, request_headers, chunks = request
        answer = async_to_sync(http_call)(
            method, raw_path, query_string=query, headers=request_headers, chunks=chunks
        )
        assert_answer_holds(method, raw_path, answer)

    run()


# Known shapes of bad input, each once -------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"[" * 100_000 + b"]" * 100_000, 400, "parse_error"),
        (b'{"username": ' * 50_000, 400, "parse_error"),
        (b'{"username": "a", "password": 1' + b"0" * 5000 + b"}", 400, "parse_error"),
        (b'{"username": "\\ud800", "password": "x"}', 400, "parse_error"),
        (b'{"username": "a\\u0000b", "password": "x"}', 400, "parse_error"),
        (b'{"username": "\xff\xfe", "password": "x"}', 400, "parse_error"),
        (b'{"username": "\xed\xa0\x80", "password": "x"}', 400, "parse_error"),
        (b'{"username": "a", "password": "' + b"x" * (3 * 1024 * 1024) + b'"}', 413, None),
    ],
    ids=[
        "deep-array",
        "deep-object-unclosed",
        "huge-integer",
        "lone-surrogate-escape",
        "nul-escape",
        "invalid-utf8",
        "utf8-encoded-surrogate",
        "over-the-json-size-limit",
    ],
)
def test_malformed_json_is_a_4xx_envelope(world, body, status, code):
    answer = call(world, "POST", "/api/auth/token/", body=body, headers=json_request(body))
    assert answer.status == status
    if code:
        assert error_code(answer) == code


@pytest.mark.parametrize(
    "payload",
    [{"title": "\ud800 project"}, {"title": "nul\x00"}, {"title": "ok", "tags": ["a\x00"]}],
    ids=["lone-surrogate", "nul", "nul-in-list"],
)
def test_json_strings_the_database_cannot_store_are_refused(world, payload):
    body = json.dumps(payload).encode()
    answer = call(
        world,
        "POST",
        "/api/keenkonnect/projects/",
        body=body,
        headers=json_request(body, world.member_token),
    )
    assert answer.status == 400


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/profiles/%00/", b""),
        ("/api/profiles/", b"q=%00"),
        ("/api/search/", b"q=a%00b"),
        ("/api/profiles/", b"q=%ff%fe&ordering=%00"),
        ("/api/projects/{slug}/resources/", b"since=%00"),
        ("/profile/%00/", b""),
        ("/search/", b"q=%00"),
    ],
)
def test_nul_bytes_in_paths_and_query_strings_are_a_400(world, path, query):
    path = path.format(slug=world.project_slug)
    headers = [(b"host", b"testserver"), (b"authorization", f"Token {world.member_token}".encode())]
    answer = call(world, "GET", path, headers=headers, query=query)
    assert answer.status == 400


@pytest.mark.parametrize(
    ("range_header", "status"),
    [
        (b"bytes=abc", 200),
        (b"bytes=0-1,2-3", 200),
        (b"bytes=5-2", 200),
        (b"bytes=" + b"9" * 5000 + b"-", 416),
        (b"bytes=-" + b"9" * 5000, 206),
        (b"bytes=0-" + b"9" * 5000, 206),
        (b"bytes=99999999999-", 416),
        (b"bytes=-0", 416),
        (b"bytes=" + b",".join(b"%d-%d" % (i, i) for i in range(2000)), 200),
    ],
    ids=[
        "garbage",
        "several",
        "reversed",
        "huge-start",
        "huge-suffix",
        "huge-end",
        "past-the-end",
        "empty-suffix",
        "thousands",
    ],
)
def test_odd_ranges_on_a_download(world, range_header, status):
    path = f"/api/projects/{world.project_slug}/resources/{world.resource_id}/download/"
    headers = [
        (b"host", b"testserver"),
        (b"authorization", f"Token {world.member_token}".encode()),
        (b"range", range_header),
    ]
    answer = call(world, "GET", path, headers=headers)
    assert answer.status == status
    if status == 416:
        assert error_code(answer) == "range_not_satisfiable"
        assert answer.headers[b"content-range"].startswith(b"bytes */")


def form_body(fields: int) -> bytes:
    return "&".join(f"f{index}=v" for index in range(fields)).encode()


def multipart_files(files: int) -> bytes:
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\nx\r\n'
    return part * files + b"--b--\r\n"


@pytest.mark.parametrize(
    ("method", "path", "content_type", "body", "host", "status", "code"),
    [
        # Django's own refusals (SuspiciousOperation and its kind) under /api/.
        (
            "POST",
            "/api/auth/token/",
            b"application/x-www-form-urlencoded",
            form_body(1500),
            b"testserver",
            400,
            "bad_request",
        ),
        (
            "POST",
            "/api/kreative/artworks/",
            b"multipart/form-data; boundary=b",
            multipart_files(150),
            b"testserver",
            400,
            None,
        ),
        (
            "POST",
            "/api/projects/{slug}/resources/",
            b"multipart/form-data; boundary=b",
            multipart_files(150),
            b"testserver",
            400,
            None,
        ),
        ("GET", "/api/users/me/", b"", b"", b"evil.example", 400, "bad_request"),
        (
            "POST",
            "/api/auth/token/",
            b"application/x-www-form-urlencoded",
            b"username=" + b"x" * (3 * 1024 * 1024),
            b"testserver",
            413,
            "request_too_large",
        ),
        # Broken multipart framing.
        (
            "POST",
            "/api/kreative/artworks/",
            b"multipart/form-data; boundary=",
            b"--\r\n",
            b"testserver",
            400,
            None,
        ),
        (
            "POST",
            "/api/kreative/artworks/",
            b"multipart/form-data",
            b"--x\r\n",
            b"testserver",
            400,
            None,
        ),
        (
            "POST",
            "/api/projects/{slug}/resources/",
            b"multipart/form-data; boundary=b",
            b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-',
            b"testserver",
            400,
            None,
        ),
        # Statuses DRF decides.
        ("DELETE", "/api/users/me/", b"", b"", b"testserver", 405, "method_not_allowed"),
        ("OPTIONS", "/api/docs/", b"", b"", b"testserver", 405, "method_not_allowed"),
        (
            "POST",
            "/api/keenkonnect/projects/",
            b"text/csv",
            b"a,b",
            b"testserver",
            415,
            "unsupported_media_type",
        ),
    ],
    ids=[
        "too-many-fields",
        "too-many-files-artwork",
        "too-many-files-blueprint",
        "disallowed-host",
        "form-over-the-memory-limit",
        "empty-boundary",
        "no-boundary",
        "unterminated-part",
        "method-not-allowed",
        "options-on-the-docs-page",
        "unsupported-media-type",
    ],
)
def test_django_and_drf_refusals_are_envelopes(
    world, method, path, content_type, body, host, status, code
):
    headers = [(b"host", host), (b"authorization", f"Token {world.member_token}".encode())]
    if content_type:
        headers += [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    answer = call(world, method, path.format(slug=world.project_slug), body=body, headers=headers)
    assert answer.status == status
    if code:
        assert error_code(answer) == code


def test_not_acceptable_is_a_json_envelope(world):
    headers = [(b"host", b"testserver"), (b"accept", b"application/x-nothing")]
    answer = call(world, "GET", "/api/schema/", headers=headers)
    assert answer.status == 406
    assert error_code(answer) == "not_acceptable"


@pytest.mark.parametrize(
    ("declared", "body", "status"),
    [
        (b"1000", b'{"username": "a", "password": "b"}', 400),
        (b"5", b'{"username": "a", "password": "b"}', 400),
        (b"-1", b'{"username": "a", "password": "b"}', 400),
        (b"abc", b'{"username": "a", "password": "b"}', 400),
        (b"99999999999999999999999999", b"{}", 413),
    ],
    ids=["longer", "shorter", "negative", "garbage", "huge"],
)
def test_content_length_lies(world, declared, body, status):
    headers = [
        (b"host", b"testserver"),
        (b"content-type", b"application/json"),
        (b"content-length", declared),
    ]
    answer = call(world, "POST", "/api/auth/token/", body=body, headers=headers)
    assert answer.status == status


def test_oversize_headers_are_a_431_envelope(world):
    headers = [(b"host", b"testserver"), (b"x-padding", b"x" * 70_000)]
    answer = call(world, "GET", "/api/users/me/", headers=headers)
    assert answer.status == 431
    assert error_code(answer) == "request_headers_too_large"
    many = [(b"host", b"testserver")] + [(b"x-h", b"y" * 100)] * 1000
    assert call(world, "GET", "/api/users/me/", headers=many).status == 431
