"""WebSocket frames of every kind on every socket route, sent to the raw ASGI application.

What must hold: the application never raises; a frame it cannot use is answered with
`{"type": "error", "code": ...}` or a close code. Bounded here (`FUZZ_EXAMPLES`, default 12: 36
examples); `make fuzz` raises it. The inputs' world is in `asgi_inputs.py`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from config.asgi import application
from tests.security.asgi_inputs import (
    SOCKET_EXAMPLES,
    TIMEOUT_SECONDS,
    World,
    numbers,
    url_text,
    world_create,
)


@pytest.fixture
def socket_world(transactional_db) -> World:
    """Consumers query the database from other threads: the rows must be committed."""
    return world_create(with_document=False)


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
    "route",
    [
        "/ws/ping/",
        "/ws/projects/{slug}/",
        "/ws/connect/workspaces/{room}/",
        "/ws/notifications/",
    ],
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
