"""What the ASGI fuzz (`test_asgi_fuzz.py`, `test_asgi_fuzz_sockets.py`) sends and how it
calls the raw application: a world of real objects to name, Hypothesis strategies for malformed
HTTP requests, and a direct ASGI call that collects the answer.

Inputs stay within what a real server (uvicorn) can deliver: header names are tokens, header
values have no control characters, the path is the percent-decoded raw path (undecodable bytes
replaced), text frames are valid UTF-8.
"""

from __future__ import annotations

import json
import os
import string
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from asgiref.sync import async_to_sync
from django.test import Client
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
