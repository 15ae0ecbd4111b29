"""How a socket opened in process looks to its client: admitted, refused with a close code, or
refused at the handshake."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

from channels.testing import WebsocketCommunicator


class Opening(NamedTuple):
    """`handshake`: the handshake was accepted (False: an HTTP 403, no close code reaches a
    browser). `close_code`: the code the socket was closed with at once (None: admitted).
    `frames`: the JSON frames sent before that close."""

    handshake: bool
    close_code: int | None = None
    frames: tuple[Any, ...] = ()


ADMITTED = Opening(True)
HANDSHAKE_REFUSED = Opening(False)


def refused(code: int, *frames: Any) -> Opening:
    """A refusal the client receives: the handshake accepted, `frames`, then close `code`."""
    return Opening(True, code, frames)


async def socket_open(communicator: WebsocketCommunicator, *, timeout: float = 10) -> Opening:
    """Connect `communicator` and say what its client saw. An admitted socket's first messages
    (a welcome, a count) stay queued for the test to read.

    A refusal (`SocketConsumer.refuse`) sends the accept, its error frame and the close without
    waiting in between, so all of them are queued once the accept has been read.
    """
    connected, _ = await communicator.connect(timeout)
    if not connected:
        return HANDSHAKE_REFUSED
    queued = []
    while not communicator.output_queue.empty():
        queued.append(communicator.output_queue.get_nowait())
    if queued and queued[-1]["type"] == "websocket.close":
        frames = tuple(
            json.loads(output["text"]) if output.get("text") is not None else output["bytes"]
            for output in queued[:-1]
        )
        return refused(queued[-1].get("code", 1000), *frames)
    for output in queued:
        communicator.output_queue.put_nowait(output)
    return ADMITTED
