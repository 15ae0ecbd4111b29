"""Malformed input against the raw ASGI application (`config.asgi.application`), the way a
server hands it over: HTTP requests with odd methods, paths, query strings, headers, JSON and
multipart bodies, and WebSocket frames of every kind on every socket route.

What must hold, for every input:
- HTTP: never a 5xx; under `/api/`, every error is `{"error": {"code", "message", "details"}}`
  as JSON;
- WebSocket: the application never raises; a frame it cannot use is answered with
  `{"type": "error", "code": ...}` or a close code.

Inputs stay within what a real server (uvicorn) can deliver: header names are tokens, header
values have no control characters, the path is the percent-decoded raw path (undecodable bytes
replaced), text frames are valid UTF-8. The run is bounded here (`FUZZ_EXAMPLES`, default 12:
120 HTTP and 36 WebSocket examples); `make fuzz` raises it.
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.core import signals
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.asgi import application
from konnaxion.keenkonnect.tests.stockage import client_for, team_project, upload
from konnaxion.kreative.tests.rooms import room_with
from konnaxion.users.tests.factories import UserFactory, token_for

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
HTTP_EXAMPLES = EXAMPLES * 10
SOCKET_EXAMPLES = EXAMPLES * 3
TIMEOUT_SECONDS = 30


# The ASGI calls --------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[bytes, bytes]
    body: bytes


def raw_path_to_path(raw_path: bytes) -> str:
    """What uvicorn puts in `scope["path"]`: the raw path percent-decoded as UTF-8, undecodable
    bytes replaced."""
    return unquote(raw_path.decode("ascii"))


async def http_call(
    method: str,
    raw_path: bytes,
    *,
    query_string: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    chunks: list[bytes] | None = None,
) -> Answer:
    """One request through the ASGI application; the body arrives in `chunks`."""
    import asyncio

    chunks = chunks if chunks is not None else [b""]
    headers = headers if headers is not None else [(b"host", b"testserver")]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path_to_path(raw_path),
        "raw_path": raw_path,
        "query_string": query_string,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    incoming = [
        {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        for index, chunk in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []
    finished = asyncio.Event()

    async def receive() -> dict[str, Any]:
        if incoming:
            return incoming.pop(0)
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            finished.set()

    await asyncio.wait_for(application(scope, receive, send), TIMEOUT_SECONDS)
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(
        message.get("body", b"") for message in sent if message["type"] == "http.response.body"
    )
    answer_headers = {name.lower(): value for name, value in start.get("headers", [])}
    return Answer(start["status"], answer_headers, body)


def assert_answer_holds(method: str, raw_path: bytes, answer: Answer) -> None:
    path = raw_path_to_path(raw_path)
    # /healthz says 503 while no worker runs (none does here): that is its answer, not a failure.
    if not (path == "/healthz" and answer.status == 503):
        assert answer.status < 500, (method, raw_path, answer.status, answer.body[:500])
    if not path.startswith("/api/") or answer.status < 400 or method == "HEAD":
        return
    content_type = answer.headers.get(b"content-type", b"")
    assert content_type.startswith(b"application/json"), (method, raw_path, answer)
    error = json.loads(answer.body)["error"]
    assert isinstance(error["code"], str) and error["code"], answer
    assert isinstance(error["message"], str), answer
    assert isinstance(error["details"], dict), answer


# The world the requests land in ---------------------------------------------------------


@dataclass
class World:
    project_slug: str
    resource_id: int
    room_id: int
    member_token: str
    staff_token: str
    session_cookie: str


def world_create(*, with_document: bool = True) -> World:
    project, users = team_project()
    owner = users["owner"]
    resource_id = 0
    if with_document:
        resource_id = upload(client_for(owner), project, "plan.pdf", pdf_content()).json()["id"]
    room = room_with([owner, users["collaborator"]])
    staff = UserFactory(is_staff=True)
    browser = Client()
    browser.force_login(owner)
    return World(
        project_slug=project.slug,
        resource_id=resource_id,
        room_id=room.pk,
        member_token=token_for(owner),
        staff_token=token_for(staff),
        session_cookie=browser.cookies["sessionid"].value,
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


@pytest.fixture
def socket_world(transactional_db) -> World:
    """Consumers query the database from other threads: the rows must be committed."""
    return world_create(with_document=False)


def pdf_content() -> bytes:
    from konnaxion.keenkonnect.tests.files import pdf_bytes

    return pdf_bytes("fuzz")


# Strategies -----------------------------------------------------------------------------

METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "PROPFIND"]
ROUTES = [
    "/api/",
    "/api/auth/token/",
    "/api/users/me/",
    "/api/schema/",
    "/api/docs/",
    "/api/search/",
    "/api/profiles/",
    "/api/profiles/{username}/",
    "/api/profiles/{username}/avatar/",
    "/api/connect/workspaces/",
    "/api/connect/workspaces/{room}/",
    "/api/connect/opportunities/",
    "/api/connect/suggestions/",
    "/api/connect/follows/",
    "/api/kreative/artworks/",
    "/api/kreative/traditions/",
    "/api/keenkonnect/projects/",
    "/api/projects/{slug}/resources/",
    "/api/projects/{slug}/resources/{resource}/",
    "/api/projects/{slug}/resources/{resource}/download/",
    "/api/projects/{slug}/resources/{resource}/versions/",
    "/api/projects/{slug}/resources/{resource}/diff/",
    "/api/projects/{slug}/resources/{resource}/preview/",
    "/api/projects/{slug}/resources/{resource}/permissions/",
    "/api/projects/{slug}/uploads/",
    "/api/projects/{slug}/uploads/{upload}/",
    "/api/projects/{slug}/audit/",
    "/api/ekoh/",
    "/api/smart-vote/",
    "/api/ethikos/",
    "/api/konnected/",
    "/api/insights/",
    "/api/{garbage}/",
    "/accounts/login/",
    "/admin/login/",
    "/projects/{slug}/",
    "/profile/{username}/",
    "/search/",
    "/healthz",
    "/{garbage}",
]
# Characters of a raw path or query string as sent on the wire (no space, no control).
URL_CHARACTERS = string.ascii_letters + string.digits + "-._~!$&'()*+,;=:@/?[]{}|^`\"<>\\"
ESCAPES = st.sampled_from(["%00", "%ff", "%FE", "%e2%82", "%c3%28", "%zz", "%", "%2f", "%ed%a0%80"])


def url_text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.lists(
        st.one_of(st.sampled_from(URL_CHARACTERS.replace("/", "").replace("?", "")), ESCAPES),
        max_size=max_size,
    ).map("".join)


def numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.sampled_from(["0", "-1", "9" * 40, "1e9", "0x10", "%D9%A1%D9%A2", "NaN"]),
    )


@st.composite
def raw_paths(draw, world: World) -> bytes:
    route = draw(st.sampled_from(ROUTES))
    path = route.format(
        slug=draw(st.one_of(st.just(world.project_slug), url_text(20))),
        resource=draw(st.one_of(st.just(str(world.resource_id)), numbers(), url_text(10))),
        room=draw(st.one_of(st.just(str(world.room_id)), numbers())),
        username=draw(st.one_of(st.just("nobody"), url_text(20))),
        upload=draw(st.one_of(st.uuids().map(str), url_text(10))),
        garbage=draw(url_text()),
    )
    return path.encode("ascii")


def query_strings() -> st.SearchStrategy[bytes]:
    pair = st.tuples(
        st.one_of(
            st.sampled_from(
                [
                    *("q", "page", "page_size", "ordering", "version", "size", "since", "from"),
                    *("to", "tab", "kind", "tags", "type", "top_n", "purpose", "status", "role"),
                    "before",
                ]
            ),
            url_text(10),
        ),
        st.one_of(numbers(), url_text()),
    )
    return st.lists(pair, max_size=4).map(
        lambda pairs: "&".join(f"{key}={value}" for key, value in pairs).encode("ascii")
    )


# Header values: visible ASCII, space, tab and obs-text, as HTTP/1.1 servers accept them.
HEADER_VALUE_BYTES = bytes([9, *range(32, 127), *range(128, 256)])


def header_values() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.binary(max_size=60).map(lambda raw: bytes(HEADER_VALUE_BYTES[b % 223] for b in raw)),
        numbers().map(str.encode),
        st.sampled_from(
            [
                b"bytes=0-10",
                b"bytes=abc",
                b"bytes=" + b"9" * 5000 + b"-",
                b"bytes=-" + b"9" * 5000,
                b"bytes=0-1,2-3,4-5",
                b"bytes=5-2",
                b"bytes=-0",
                b"bytes=" + b",".join(b"%d-%d" % (i, i) for i in range(2000)),
                b"application/json",
                b"application/json; charset=latin-1",
                b"application/json; charset=nonsense",
                b"multipart/form-data",
                b"multipart/form-data; boundary=",
                b"multipart/form-data; boundary=x",
                b"application/x-www-form-urlencoded",
                b"application/offset+octet-stream",
                b"text/html",
                b"*/*",
                b"application/yaml",
                b"image/png",
                b"Token ",
                b"Token nonsense",
                b"Basic Zm9vOmJhcg==",
                b"1.0.0",
                b"filename aGVsbG8=,title !!!",
                b'"abc", W/"x"',
                b"http://evil.example",
                b"x" * 20_000,
            ]
        ),
    )


HEADER_NAMES = [
    b"accept",
    b"accept-language",
    b"authorization",
    b"content-length",
    b"content-type",
    b"cookie",
    b"if-match",
    b"if-none-match",
    b"origin",
    b"range",
    b"referer",
    b"tus-resumable",
    b"upload-length",
    b"upload-metadata",
    b"upload-offset",
    b"user-agent",
    b"x-csrftoken",
    b"x-forwarded-for",
    b"x-http-method-override",
    b"x-requested-with",
]
TOKEN_CHARACTERS = string.ascii_lowercase + string.digits + "!#$%&'*+-.^_`|~"


def headers(world: World) -> st.SearchStrategy[list[tuple[bytes, bytes]]]:
    name = st.one_of(
        st.sampled_from(HEADER_NAMES),
        st.text(TOKEN_CHARACTERS, min_size=1, max_size=20).map(str.encode),
    )
    caller = st.sampled_from(
        [
            [],
            [(b"authorization", f"Token {world.member_token}".encode())],
            [(b"authorization", f"Token {world.staff_token}".encode())],
            [(b"cookie", f"sessionid={world.session_cookie}".encode())],
        ]
    )
    host = st.sampled_from([[(b"host", b"testserver")], [(b"host", b"evil.example")], []])
    return st.tuples(host, caller, st.lists(st.tuples(name, header_values()), max_size=5)).map(
        lambda parts: [*parts[0], *parts[1], *parts[2]]
    )


# JSON values that survive json.dumps: deep, long, odd numbers, lone surrogates, NUL.
JSON_STRINGS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["\x00", "a\x00b", "\ud800", "x\udfff", "\ufeff", "%00", "' or 1=1 --"]),
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    JSON_STRINGS,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    [
                        *("username", "password", "title", "name", "body", "description"),
                        *("tags", "participants", "session_type", "kind", "skills", "links"),
                        *("visibility", "level", "role", "user", "type", "status", "comment"),
                    ]
                ),
                JSON_STRINGS,
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


def json_bodies() -> st.SearchStrategy[bytes]:
    return st.one_of(
        JSON_VALUES.map(lambda value: json.dumps(value).encode()),
        st.integers(min_value=1, max_value=200_000).map(lambda depth: b"[" * depth + b"]" * depth),
        st.integers(min_value=1, max_value=200_000).map(lambda depth: b'{"a":' * depth),
        st.sampled_from(
            [
                b'{"title": 1' + b"0" * 5000 + b"}",
                b'{"title": 1e999999}',
                b'{"title": "\xff\xfe"}',
                b'{"title": "\xed\xa0\x80"}',
                b'{"title": NaN, "x": Infinity}',
                b"\xef\xbb\xbf{}",
                b"",
                b"null",
                b"{",
            ]
        ),
    )


@st.composite
def multipart_bodies(draw) -> tuple[bytes, bytes]:
    """(content type, body): parts with odd names, file names and contents, and broken framing."""
    boundary = draw(st.sampled_from([b"fuzzboundary", b"x", b"", b"a" * 80, b'"quoted"']))
    parts = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        name = draw(st.sampled_from([b"file", b"title", b"avatar", b"media_file", b"x", b""]))
        filename = draw(
            st.one_of(
                st.none(),
                st.sampled_from([b"a.pdf", b"../../etc/passwd", b"\x00.png", b"", b"a" * 300]),
            )
        )
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        extra = draw(st.sampled_from([b"", b"Content-Transfer-Encoding: base64\r\n"]))
        content = draw(st.binary(max_size=200))
        parts.append(
            b"--"
            + boundary
            + b"\r\nContent-Disposition: "
            + disposition
            + b"\r\n"
            + extra
            + b"\r\n"
            + content
            + b"\r\n"
        )
    ending = draw(st.sampled_from([b"--" + boundary + b"--\r\n", b"", b"--" + boundary, b"--"]))
    declared = draw(st.sampled_from([boundary, b"other", b""]))
    return b"multipart/form-data; boundary=" + declared, b"".join(parts) + ending


@st.composite
def requests(draw, world: World):
    method = draw(
        st.one_of(st.sampled_from(METHODS), st.text("ABCDEFGHIJ", min_size=1, max_size=8))
    )
    raw_path = draw(raw_paths(world))
    query = draw(query_strings())
    request_headers = draw(headers(world))
    kind = draw(st.sampled_from(["none", "json", "multipart", "bytes", "form"]))
    if kind == "json":
        body = draw(json_bodies())
        request_headers.append((b"content-type", b"application/json"))
    elif kind == "multipart":
        content_type, body = draw(multipart_bodies())
        request_headers.append((b"content-type", content_type))
    elif kind == "form":
        body = draw(query_strings())
        request_headers.append((b"content-type", b"application/x-www-form-urlencoded"))
    elif kind == "bytes":
        body = draw(st.binary(max_size=300))
    else:
        body = b""
    length = draw(st.sampled_from(["true", "none", "short", "long", "garbage"]))
    declared = {
        "true": str(len(body)).encode(),
        "short": str(max(0, len(body) - 3)).encode(),
        "long": str(len(body) + 100).encode(),
        "garbage": b"-1",
    }.get(length)
    if declared is not None and body:
        request_headers.append((b"content-length", declared))
    split = draw(st.integers(min_value=0, max_value=len(body)))
    chunks = [body[:split], body[split:]] if body else [b""]
    return method, raw_path, query, request_headers, chunks


# HTTP -------------------------------------------------------------------------------------


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


def json_request(body: bytes, token: str | None = None) -> list[tuple[bytes, bytes]]:
    headers = [(b"host", b"testserver"), (b"content-type", b"application/json")]
    if token:
        headers.append((b"authorization", f"Token {token}".encode()))
    return [*headers, (b"content-length", str(len(body)).encode())]


def call(world: World, method: str, path: str, *, body: bytes = b"", headers=None, query=b""):
    answer = async_to_sync(http_call)(
        method, path.encode(), query_string=query, headers=headers, chunks=[body]
    )
    assert_answer_holds(method, path.encode(), answer)
    return answer


def error_code(answer: Answer) -> str:
    return json.loads(answer.body)["error"]["code"]


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


# WebSockets -----------------------------------------------------------------------------

SOCKET_ROUTES = [
    "/ws/ping/",
    "/ws/projects/{slug}/",
    "/ws/projects/{slug}/?since={number}",
    "/ws/connect/workspaces/{room}/",
    "/ws/connect/workspaces/{room}/?role=viewer",
    "/ws/connect/workspaces/{number}/",
    "/ws/projects/{garbage}/",
    "/ws/{garbage}/",
]
FRAME_TYPES = ["heartbeat", "chat", "chat_history", "ping", "subscribe", "", None, 1, []]


@st.composite
def socket_paths(draw, world: World) -> str:
    route = draw(st.sampled_from(SOCKET_ROUTES))
    return route.format(
        slug=world.project_slug,
        room=world.room_id,
        number=draw(numbers()),
        garbage=draw(url_text(15)),
    )


def text_frames() -> st.SearchStrategy[dict[str, Any]]:
    """Text frames are valid UTF-8 on the wire: no lone surrogates."""
    text = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)
    shaped = st.fixed_dictionaries(
        {"type": st.sampled_from(FRAME_TYPES)},
        optional={
            "body": st.one_of(text, st.integers(), st.none(), st.lists(st.integers())),
            "before": st.one_of(st.integers(min_value=-(10**30), max_value=10**30), text),
            "payload": st.recursive(
                st.one_of(st.integers(min_value=-(10**30), max_value=10**30), text, st.none()),
                lambda children: st.lists(children, max_size=3),
                max_leaves=10,
            ),
        },
    ).map(lambda content: json.dumps(content, ensure_ascii=False))
    return st.one_of(
        text,
        shaped,
        st.integers(min_value=1, max_value=50_000).map(lambda depth: "[" * depth + "]" * depth),
        st.sampled_from(["null", "[]", "1", '"x"', "{", '{"type": "chat", "body": "\\u0000"}']),
        st.integers(min_value=100_000, max_value=2_000_000).map(lambda size: "x" * size),
    ).map(lambda text_data: {"text_data": text_data or " "})  # a frame is never empty here


def bytes_frames() -> st.SearchStrategy[dict[str, Any]]:
    # Yjs messages start with a varint kind (0 sync, 1 awareness) and a varint step.
    prefixes = st.sampled_from([b"", b"\x00", b"\x00\x00", b"\x00\x01", b"\x00\x02", b"\x01"])
    return st.one_of(
        st.tuples(prefixes, st.binary(max_size=300)).map(lambda parts: parts[0] + parts[1]),
        st.sampled_from([b"\x00\x02\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", b"\x01\xff\xff"]),
        st.integers(min_value=100_000, max_value=2_000_000).map(lambda size: b"\x00" * size),
    ).map(lambda bytes_data: {"bytes_data": bytes_data or b"\x00"})


async def socket_session(path: str, headers: list, frames: list[dict[str, Any]]) -> None:
    """Connect, send `frames`, and check every answer; raises what the application raises."""
    communicator = WebsocketCommunicator(application, path, headers=headers)
    try:
        connected, _ = await communicator.connect(timeout=TIMEOUT_SECONDS)
        if not connected:
            return
        closed = await drain(communicator)
        for frame in frames:
            if closed:
                break
            await communicator.send_to(**frame)
            closed = await drain(communicator)
    finally:
        await communicator.disconnect(timeout=TIMEOUT_SECONDS)


async def drain(communicator: WebsocketCommunicator) -> bool:
    """Read what the socket says until it falls silent; True once it has closed. An error it
    sends is `{"type": "error", "code": ...}`; a close carries a code."""
    while not await communicator.receive_nothing(timeout=0.05, interval=0.01):
        output = await communicator.receive_output(timeout=TIMEOUT_SECONDS)
        if output["type"] == "websocket.close":
            assert isinstance(output.get("code", 1000), int)
            return True
        assert output["type"] == "websocket.send", output
        if output.get("text") is not None:
            message = json.loads(output["text"])
            if isinstance(message, dict) and message.get("type") == "error":
                assert isinstance(message["code"], str) and message["code"], message
    return False


def test_websocket_fuzz_never_crashes(socket_world):
    world = socket_world
    caller = st.sampled_from([None, world.member_token, world.staff_token, "nonsense"])
    origin = st.sampled_from([b"http://localhost", b"http://evil.example", None])

    @given(
        path=socket_paths(world),
        token=caller,
        origin=origin,
        frames=st.lists(st.one_of(text_frames(), bytes_frames()), max_size=4),
    )
    @settings(
        max_examples=SOCKET_EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    def run(path, token, origin, frames) -> None:
        headers = [(b"host", b"localhost")]
        if origin is not None:
            headers.append((b"origin", origin))
        if token is not None:
            headers.append((b"authorization", f"Token {token}".encode()))
        async_to_sync(socket_session)(path, headers, frames)

    run()


BAD_FRAMES = {
    "bytes": {"bytes_data": b"\x00\x01"},
    "not-json": {"text_data": "not json"},
    "deep": {"text_data": "[" * 100_000 + "]" * 100_000},
    "huge-int-literal": {"text_data": '{"payload": ' + "1" * 5000 + "}"},
    "int-past-64-bits": {"text_data": '{"payload": 100000000000000000000000000000}'},
    "two-megabytes": {"text_data": "x" * 2_000_000},
}


@pytest.mark.parametrize(
    "route", ["/ws/ping/", "/ws/projects/{slug}/", "/ws/connect/workspaces/{room}/"]
)
def test_each_socket_answers_bad_frames_with_an_error(socket_world, route):
    # given
    path = route.format(slug=socket_world.project_slug, room=socket_world.room_id)
    headers = [
        (b"host", b"localhost"),
        (b"origin", b"http://localhost"),
        (b"authorization", f"Token {socket_world.member_token}".encode()),
    ]

    async def answers_to(frame: dict[str, Any]) -> list[dict[str, Any]]:
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _ = await communicator.connect(timeout=TIMEOUT_SECONDS)
        assert connected
        while not await communicator.receive_nothing(timeout=0.2):
            await communicator.receive_output()  # the welcome, the room's sync
        await communicator.send_to(**frame)
        answers = []
        while not await communicator.receive_nothing(timeout=0.3):
            answers.append(await communicator.receive_output())
        await communicator.disconnect(timeout=TIMEOUT_SECONDS)  # raises what the consumer raised
        return answers

    for name, frame in BAD_FRAMES.items():
        # when
        answers = async_to_sync(answers_to)(frame)
        # then
        errors = [
            json.loads(answer["text"])
            for answer in answers
            if answer["type"] == "websocket.send" and answer.get("text")
        ]
        assert [message.get("type") for message in errors] == ["error"], (name, answers)
