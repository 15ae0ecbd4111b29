"""Multipart API bodies streamed from the ASGI `receive` channel to the view, never spooled.

Django's `ASGIHandler` reads a whole request body into a temporary file before the view runs;
the multipart parser then reads that file again. For an upload of 150 MB that is a second copy
on disk and a view that starts only once the last byte has arrived. `StreamingASGIHandler`
hands multipart bodies under `/api/` to the view as a file that reads from `receive` as the view
consumes it: a task on the event loop receives ahead into a bounded queue (`READ_AHEAD_BYTES`
in blocks of about `BLOCK_BYTES`), and the view's thread takes blocks from it. So the upload is
parsed, hashed and encrypted while it arrives, with at most about 20 MiB of it in memory.

A body that ends early (the client went away, or `RequestBodyLimit` cut it off) makes the
view's next read raise `RequestBodyIncomplete`: the view fails like any refused upload, and
cleans up, before the request ends. Other bodies are read by Django as usual.
"""

from __future__ import annotations

import asyncio
import io
import queue
import threading
from typing import Any

from django.core.handlers.asgi import ASGIHandler

from konnaxion.core.errors import ApplicationError

# Each block crosses from the event loop's thread to the view's once: on a busy machine every
# such hand-over waits for the scheduler, so they are few and large.
BLOCK_BYTES = 4 * 1024 * 1024
READ_AHEAD_BYTES = 4 * BLOCK_BYTES

_INCOMPLETE = object()


class RequestBodyIncomplete(ApplicationError):
    code = "request_incomplete"
    status = 400
    message = "The request body ended before its announced end."


def streams_body(scope: dict[str, Any], *, prefix: str = "/api/") -> bool:
    """Whether this request's body goes to the view as a stream: multipart bodies under the
    API, the uploads."""
    if scope["type"] != "http" or not scope["path"].startswith(prefix):
        return False
    for name, value in scope.get("headers", []):
        if name == b"content-type":
            return value[:19].lower() == b"multipart/form-data"
    return False


class StreamedRequestBody(io.RawIOBase):
    """A request body read from `receive` while the view consumes it (see the module docstring).

    Created and started on the event loop; `read` is called from the view's thread, which takes
    blocks from a thread-safe queue without waking the loop unless the pump waits for room.
    Called as an ASGI `receive` (by Django's disconnect listener) it answers only once the body
    has been received in full: a body cut short is reported to the view by `read`, not by
    cancelling the view.
    """

    def __init__(self, receive: Any) -> None:
        super().__init__()
        self._receive = receive
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._task: asyncio.Task | None = None
        self._blocks: queue.SimpleQueue = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._queued_bytes = 0
        self._pump_waiting = False
        self._room = asyncio.Event()
        self._complete = False
        self._block = memoryview(b"")
        self._ended = False

    def start(self) -> StreamedRequestBody:
        self._task = self._loop.create_task(self._pump())
        return self

    async def _pump(self) -> None:
        end = _INCOMPLETE
        try:
            pending: list[bytes] = []
            pending_bytes = 0
            while True:
                message = await self._receive()
                if message["type"] == "http.disconnect":
                    return
                body = message.get("body", b"")
                if body:
                    pending.append(body)
                    pending_bytes += len(body)
                more_body = message.get("more_body", False)
                if pending_bytes >= BLOCK_BYTES or (pending and not more_body):
                    await self._queue(b"".join(pending))
                    pending, pending_bytes = [], 0
                if not more_body:
                    self._complete = True
                    end = b""
                    return
        finally:
            self._blocks.put(end)

    async def _queue(self, block: bytes) -> None:
        with self._lock:
            self._queued_bytes += len(block)
            full = self._pump_waiting = self._queued_bytes >= READ_AHEAD_BYTES
        if full:
            self._room.clear()
        self._blocks.put(block)
        if full:
            # The view's thread sets it (through the loop) once it has taken half of it.
            await self._room.wait()

    def _take(self) -> Any:
        block = self._blocks.get()
        if block is _INCOMPLETE:
            return block
        with self._lock:
            self._queued_bytes -= len(block)
            wake = self._pump_waiting and self._queued_bytes <= READ_AHEAD_BYTES // 2
            if wake:
                self._pump_waiting = False
        if wake:
            self._loop.call_soon_threadsafe(self._room.set)
        return block

    async def __call__(self) -> dict[str, Any]:
        await asyncio.wait({self._task})  # not cancelled with the caller
        if not self._complete:
            await asyncio.Event().wait()  # the view learns it from `read` and ends the request
        return await self._receive()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if threading.get_ident() == self._loop_thread:
            raise RuntimeError("A streamed request body is read from a view's thread.")
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(BLOCK_BYTES), b""))
        if not self._block:
            if self._ended or size == 0:
                return b""
            block = self._take()
            if block is _INCOMPLETE:
                self._ended = True
                raise RequestBodyIncomplete()
            if not block:
                self._ended = True
                return b""
            self._block = memoryview(block)
        if size >= len(self._block):
            piece, self._block = self._block, memoryview(b"")
        else:
            piece, self._block = self._block[:size], self._block[size:]
        return piece.tobytes() if len(piece) != len(piece.obj) else piece.obj

    def readinto(self, buffer: Any) -> int:
        piece = self.read(len(buffer))
        buffer[: len(piece)] = piece
        return len(piece)

    def close(self) -> None:
        """Stop receiving; called by Django at the end of the request, from any thread."""
        if self._task is not None and not self._task.done():
            self._loop.call_soon_threadsafe(self._task.cancel)
        super().close()


class StreamingASGIHandler(ASGIHandler):
    """Django's ASGI handler, with multipart API bodies streamed to the view."""

    async def handle(self, scope, receive, send) -> None:
        if streams_body(scope):
            receive = StreamedRequestBody(receive)
        await super().handle(scope, receive, send)

    async def read_body(self, receive):
        if isinstance(receive, StreamedRequestBody):
            return receive.start()
        return await super().read_body(receive)
