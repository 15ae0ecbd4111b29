"""The child's end of `sandbox`: limits, frames, and a seekable file served by the parent.

Imported only by child processes; nothing here touches Django.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
from collections.abc import Callable
from typing import Any, BinaryIO

from konnaxion.keenkonnect.analysis.sandbox import (
    BYTES_FRAME,
    FRAME_HEADER,
    JSON_FRAME,
    MAX_READ,
    frame,
    json_frame,
)


class ChildChannel:
    """Frames over the child's stdin and a private copy of its stdout.

    File descriptor 1 is pointed at stderr, so a library that prints cannot corrupt a frame.
    """

    def __init__(self) -> None:
        self.incoming = sys.stdin.buffer
        self.outgoing = os.fdopen(os.dup(1), "wb", buffering=0)
        os.dup2(2, 1)

    def send(self, message: dict[str, Any]) -> None:
        self.outgoing.write(json_frame(message))

    def receive(self) -> tuple[bytes, bytes]:
        header = self.incoming.read(FRAME_HEADER.size)
        if len(header) < FRAME_HEADER.size:
            raise SystemExit(3)  # the parent went away
        kind, length = FRAME_HEADER.unpack(header)
        payload = self.incoming.read(length)
        if len(payload) < length:
            raise SystemExit(3)
        return kind, payload

    def receive_json(self) -> dict[str, Any]:
        kind, payload = self.receive()
        if kind != JSON_FRAME:
            raise SystemExit(3)
        return json.loads(payload)


class RemoteFile(io.RawIOBase):
    """A read-only, seekable file whose bytes the parent sends on request."""

    def __init__(self, channel: ChildChannel, size: int) -> None:
        self._channel = channel
        self._size = size
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise ValueError("Negative seek position.")
        self._position = base + offset
        return self._position

    def readinto(self, buffer) -> int:
        length = min(len(buffer), MAX_READ, self._size - self._position)
        if length <= 0:
            return 0
        self._channel.send({"read": [self._position, length]})
        kind, payload = self._channel.receive()
        if kind != BYTES_FRAME:
            raise SystemExit(3)
        buffer[: len(payload)] = payload
        self._position += len(payload)
        return len(payload)


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def limits_apply(*, memory_mb: int, cpu_seconds: float) -> None:
    """Cap this process: `memory_mb` of address space above what it has mapped so far (the
    interpreter and the libraries already imported), and its CPU time."""
    limit = _address_space() + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    seconds = int(cpu_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 2))


def child_main(operations: dict[str, Callable[[BinaryIO, dict[str, Any]], dict[str, Any]]]) -> None:
    """Serve one request: apply the limits, run the requested operations on the parent's file
    and send `{"result": {name: output}}`, or `{"failed": ...}` for what `operations` refused."""
    channel = ChildChannel()
    request = channel.receive_json()
    limits_apply(memory_mb=int(request["memory_mb"]), cpu_seconds=float(request["cpu_seconds"]))
    source = io.BufferedReader(RemoteFile(channel, int(request["size"])), 256 * 1024)
    result: dict[str, Any] = {}
    try:
        for name in request["operations"]:
            source.seek(0)
            result[name] = operations[name](source, request)
    except MemoryError:
        result = {}
        channel.send(
            {
                "failed": {
                    "reason": "memory_limit",
                    "message": "The analysis needed more than its memory limit.",
                }
            }
        )
        return
    except ChildRefusal as refusal:
        channel.send({"failed": {"reason": refusal.reason, "message": refusal.message}})
        return
    channel.send({"result": result})


class ChildRefusal(Exception):
    """What an operation raises for a file it cannot analyse."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


__all__ = ["ChildChannel", "ChildRefusal", "RemoteFile", "child_main", "frame", "limits_apply"]
