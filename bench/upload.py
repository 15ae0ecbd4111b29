"""A 150 MB upload through the running server beside the same bytes sent to a minimal ASGI sink.

Starts `konnaxion up` over a fresh data directory and `uvicorn _asgi_sink:app` on loopback, sends
one multipart body (a binary STL of 150 MB) to each, and prints both rates in MB/s, their ratio
and the growth of the server process's resident memory during the upload (sampled from /proc).
Targets: ratio >= 0.5, growth <= 64 MB.

    .venv/bin/python bench/upload.py [--megabytes 150]
"""

from __future__ import annotations

import argparse
import os
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import LivePlatform, free_port, rss_bytes
from _table import print_table

MB = 1_000_000
BLOCK = 1024 * 1024
TRIANGLE = struct.pack("<12fH", *range(12), 0)
BOUNDARY = "konnaxion-bench-boundary"
TARGET_RATIO = 0.5
TARGET_GROWTH_MB = 64


class Body:
    """A multipart/form-data body holding one binary STL file of `triangles` triangles,
    produced block by block (never whole in memory)."""

    def __init__(self, triangles: int) -> None:
        self.triangles = triangles
        self.head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="bench.stl"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.file_size = 84 + 50 * triangles

    @property
    def size(self) -> int:
        return len(self.head) + self.file_size + len(self.tail)

    def headers(self, token: str | None = None) -> dict[str, str]:
        headers = {
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
            "Content-Length": str(self.size),
        }
        if token:
            headers["Authorization"] = f"Token {token}"
        return headers

    def chunks(self) -> Iterator[bytes]:
        yield self.head
        yield b"konnaxion upload benchmark".ljust(80, b" ") + struct.pack("<I", self.triangles)
        per_block = BLOCK // len(TRIANGLE)
        block = TRIANGLE * per_block
        left = self.triangles
        while left >= per_block:
            yield block
            left -= per_block
        yield TRIANGLE * left
        yield self.tail


class PeakRss:
    """Samples a process's VmRSS every few milliseconds in a thread; `growth` is the peak seen
    minus the value at start."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.baseline = rss_bytes(pid)
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            self._stop.wait(0.005)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(self.pid))

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


def send(url: str, body: Body, token: str | None = None) -> tuple[float, httpx.Response]:
    """Post the body; (seconds until the whole response arrived, response)."""
    with httpx.Client(timeout=600) as client:
        started = time.perf_counter()
        response = client.post(url, content=body.chunks(), headers=body.headers(token))
        return time.perf_counter() - started, response


def run_sink(body: Body) -> float:
    port = free_port()
    sink = subprocess.Popen(
        [
            sys.executable, "-m", "uvicorn", "_asgi_sink:app",
            "--app-dir", str(Path(__file__).resolve().parent),
            "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--lifespan", "off",
        ],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.TransportError:
                if sink.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the ASGI sink did not start") from None
                time.sleep(0.1)
        seconds, response = send(f"http://127.0.0.1:{port}/", body)
        if response.json()["received"] != body.size:
            raise RuntimeError(f"the sink received {response.text} of {body.size} bytes")
        return seconds
    finally:
        sink.terminate()
        sink.wait()


def run_server(body: Body) -> tuple[float, int]:
    with LivePlatform() as platform:
        url = f"{platform.url}/api/projects/{platform.project}/resources/"
        token = platform.tokens[0]
        # A small upload first, so the growth measured is that of the large one, not imports.
        warm_up = Body(1000)
        _, response = send(url, warm_up, token)
        if response.status_code != 201:
            raise RuntimeError(f"warm-up upload: {response.status_code} {response.text}")
        with PeakRss(platform.server_pid()) as memory:
            seconds, response = send(url, body, token)
        if response.status_code != 201:
            raise RuntimeError(f"upload: {response.status_code} {response.text[:500]}")
        if response.json()["current_version"]["size"] != body.file_size:
            raise RuntimeError(f"the server stored {response.text[:500]}")
        return seconds, memory.growth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=150)
    args = parser.parse_args()
    body = Body((args.megabytes * MB - 84) // 50)

    sink_seconds = run_sink(body)
    server_seconds, growth = run_server(body)
    sink_rate = body.size / MB / sink_seconds
    server_rate = body.size / MB / server_seconds
    ratio = server_rate / sink_rate
    growth_mb = growth / MB
    met = ratio >= TARGET_RATIO and growth_mb <= TARGET_GROWTH_MB
    print_table(
        title=f"Upload of {body.file_size / MB:.0f} MB (multipart, binary STL) on loopback",
        columns=["receiver", "seconds", "MB/s", "peak RSS growth (MB)"],
        rows=[
            ["minimal ASGI sink (uvicorn)", sink_seconds, sink_rate, "-"],
            ["konnaxion server (POST resources/)", server_seconds, server_rate, growth_mb],
        ],
        footer=(
            f"ratio server/sink {ratio:.2f} (target >= {TARGET_RATIO}); "
            f"growth {growth_mb:.1f} MB (target <= {TARGET_GROWTH_MB}): "
            f"{'met' if met else 'NOT met'}; cores {os.cpu_count()}"
        ),
        decimals=1,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
