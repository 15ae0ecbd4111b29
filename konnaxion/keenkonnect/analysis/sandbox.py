"""Running a parser on hostile input in a child process with a wall-clock and a memory limit.

The parent starts `python -m <module>` (a fresh interpreter: no fork of a Django process, and it
works from a daemonic Celery pool process, where `multiprocessing` may not start children). The
child never sees the file: it asks the parent for byte ranges, so plaintext never reaches the
disk and neither side holds the whole file. The child caps its own address space
(`RLIMIT_AS`, a budget above what its imports mapped) and CPU time; the parent kills it at the
wall-clock deadline. Whatever the child does, the caller gets a result or `AnalysisFailed`.

Frames on both pipes: one kind byte (`J` JSON, `B` bytes), a 4-byte big-endian length, the
payload. The child asks `{"read": [offset, length]}` and gets a `B` frame; it ends with
`{"result": ...}` or `{"failed": {"reason", "message"}}`.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO

from konnaxion.keenkonnect.analysis.errors import AnalysisFailed

FRAME_HEADER = struct.Struct(">cI")
JSON_FRAME = b"J"
BYTES_FRAME = b"B"
# A child asks for at most this much at once, and may answer with at most this much.
MAX_READ = 1024 * 1024
MAX_ANSWER = 64 * 1024 * 1024
STDERR_TAIL = 4096
_PROJECT_ROOT = Path(__file__).resolve().parents[3]


def frame(kind: bytes, payload: bytes) -> bytes:
    return FRAME_HEADER.pack(kind, len(payload)) + payload


def json_frame(message: dict[str, Any]) -> bytes:
    return frame(JSON_FRAME, json.dumps(message, ensure_ascii=False).encode())


class _ChildPipes:
    """The parent's end: frames read under a deadline, stderr's tail kept for diagnosis."""

    def __init__(self, process: subprocess.Popen, deadline: float) -> None:
        self.process = process
        self.deadline = deadline
        self.buffer = bytearray()
        self.stderr_tail = b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(process.stdout, selectors.EVENT_READ, "stdout")
        self.selector.register(process.stderr, selectors.EVENT_READ, "stderr")
        self.stdout_open = True

    def close(self) -> None:
        self.selector.close()

    def send(self, data: bytes) -> None:
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (BrokenPipeError, ConnectionResetError, ValueError):
            raise self._ended() from None

    def _fill(self, needed: int) -> None:
        while len(self.buffer) < needed:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise AnalysisFailed("timeout", "The analysis took longer than its time limit.")
            if not self.stdout_open:
                raise self._ended()
            for key, _events in self.selector.select(remaining):
                chunk = os.read(key.fileobj.fileno(), 65536)
                if key.data == "stderr":
                    if chunk:
                        self.stderr_tail = (self.stderr_tail + chunk)[-STDERR_TAIL:]
                    else:
                        self.selector.unregister(key.fileobj)
                elif chunk:
                    self.buffer += chunk
                else:
                    self.stdout_open = False

    def receive(self) -> tuple[bytes, bytes]:
        self._fill(FRAME_HEADER.size)
        kind, length = FRAME_HEADER.unpack(bytes(self.buffer[: FRAME_HEADER.size]))
        if kind not in (JSON_FRAME, BYTES_FRAME) or length > MAX_ANSWER:
            raise AnalysisFailed("crashed", "The analysis process answered out of protocol.")
        self._fill(FRAME_HEADER.size + length)
        payload = bytes(self.buffer[FRAME_HEADER.size : FRAME_HEADER.size + length])
        del self.buffer[: FRAME_HEADER.size + length]
        return kind, payload

    def _ended(self) -> AnalysisFailed:
        try:
            code = self.process.wait(timeout=max(0.0, self.deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            return AnalysisFailed("timeout", "The analysis took longer than its time limit.")
        if code in (-signal.SIGXCPU, -signal.SIGKILL) and b"MemoryError" not in self.stderr_tail:
            return AnalysisFailed("timeout", "The analysis used more than its CPU time limit.")
        if b"MemoryError" in self.stderr_tail or b"bad_alloc" in self.stderr_tail:
            return AnalysisFailed("memory_limit", "The analysis needed more than its memory limit.")
        return AnalysisFailed(
            "crashed", f"The analysis process stopped unexpectedly (exit status {code})."
        )


def sandbox_run(
    *,
    module: str,
    request: dict[str, Any],
    handle: BinaryIO,
    timeout: float,
    memory_mb: int,
) -> dict[str, Any]:
    """Run `python -m module` on the file `handle` under the limits; return its result.

    Raises AnalysisFailed (`timeout`, `memory_limit`, `crashed`, or the child's own reason).
    The child process is always gone when this returns or raises.
    """
    size = handle.seek(0, os.SEEK_END)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(_PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", module],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        close_fds=True,
    )
    pipes = _ChildPipes(process, time.monotonic() + timeout)
    try:
        pipes.send(
            json_frame(
                {**request, "size": size, "memory_mb": memory_mb, "cpu_seconds": timeout + 1}
            )
        )
        while True:
            kind, payload = pipes.receive()
            if kind != JSON_FRAME:
                raise AnalysisFailed("crashed", "The analysis process answered out of protocol.")
            try:
                message = json.loads(payload)
            except ValueError:
                raise AnalysisFailed("crashed", "The analysis process answered garbage.") from None
            if "read" in message:
                offset, length = (int(value) for value in message["read"])
                if offset < 0 or not 0 <= length <= MAX_READ:
                    raise AnalysisFailed("crashed", "The analysis process asked a bad range.")
                handle.seek(min(offset, size))
                pipes.send(frame(BYTES_FRAME, handle.read(length)))
            elif "result" in message:
                return message["result"]
            else:
                failed = message.get("failed") or {}
                raise AnalysisFailed(
                    str(failed.get("reason", "crashed")), str(failed.get("message", "")) or None
                )
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        pipes.close()
        for stream in (process.stdin, process.stdout, process.stderr):
            with contextlib.suppress(BrokenPipeError, OSError):
                stream.close()
