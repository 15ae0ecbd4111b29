"""A 150 MB upload through the running server beside the same bytes sent to a minimal ASGI sink.

Starts `konnaxion up` over a fresh data directory and `uvicorn _asgi_sink:app` on loopback (the
same uvicorn, HTTP implementation and event loop as `konnaxion serve`), then sends one multipart
body (a binary STL of 150 MB) to each, in alternating rounds (sink, server, then server, sink...),
so both see the same machine state; each round's file differs (its STL header names the round),
so every server upload stores a new blob. Prints each run, the medians, the ratio of the medians,
the largest growth of the server process's resident memory during an upload (sampled from
/proc) and the load average. Targets: ratio >= 0.5, growth <= 64 MB.

    .venv/bin/python bench/upload.py [--megabytes 150] [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import statistics
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
    produced block by block (never whole in memory); `label` goes into the STL header."""

    def __init__(self, triangles: int, label: str = "") -> None:
        self.triangles = triangles
        self.label = f"konnaxion upload benchmark {label}".encode()
        self.head = (
            f"--{BOUNDARY}\r\n"
            'Content-Disposition: form-data; name="file"; filename="bench.stl"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.file_size = 84 + 50 * triangles

    def sha256(self) -> str:
        """The file's SHA-256, which the server must report."""
        digest = hashlib.sha256()
        for chunk in self.file_chunks():
            digest.update(chunk)
        return digest.hexdigest()

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
        yield from self.file_chunks()
        yield self.tail

    def file_chunks(self) -> Iterator[bytes]:
        yield self.label[:80].ljust(80, b" ") + struct.pack("<I", self.triangles)
        per_block = BLOCK // len(TRIANGLE)
        block = TRIANGLE * per_block
        left = self.triangles
        while left >= per_block:
            yield block
            left -= per_block
        yield TRIANGLE * left


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


def http_implementation() -> str:
    """What uvicorn's "auto" picks here, for the server and the sink alike."""
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return f"{http} + {loop}"


class Sink:
    """`uvicorn _asgi_sink:app` on loopback, with uvicorn's defaults as `konnaxion serve` has."""

    def __enter__(self) -> Sink:
        self.url = f"http://127.0.0.1:{free_port()}/"
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "uvicorn", "_asgi_sink:app",
                "--app-dir", str(Path(__file__).resolve().parent),
                "--host", "127.0.0.1", "--port", self.url.rsplit(":", 1)[1].strip("/"),
                "--log-level", "warning", "--lifespan", "off",
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.url, timeout=1)
                return self
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError("the ASGI sink did not start") from None
                time.sleep(0.1)

    def __exit__(self, *exc_info: object) -> None:
        self.process.terminate()
        self.process.wait()

    def upload(self, body: Body) -> float:
        seconds, response = send(self.url, body)
        if response.json()["received"] != body.size:
            raise RuntimeError(f"the sink received {response.text} of {body.size} bytes")
        return seconds


class Server:
    """`konnaxion up` with one project; `upload` posts a new document (201 expected)."""

    def __init__(self, platform: LivePlatform) -> None:
        self.platform = platform
        self.url = f"{platform.url}/api/projects/{platform.project}/resources/"
        self.token = platform.tokens[0]
        # A small upload first, so the growth measured is that of the large ones, not imports.
        self.upload(Body(1000, "warm-up"))

    def upload(self, body: Body) -> tuple[float, int]:
        expected = (body.file_size, body.sha256())
        with PeakRss(self.platform.server_pid()) as memory:
            seconds, response = send(self.url, body, self.token)
        if response.status_code != 201:
            raise RuntimeError(f"upload: {response.status_code} {response.text[:500]}")
        version = response.json()["current_version"]
        if (version["size"], version["sha256"]) != expected:
            raise RuntimeError(f"the server stored {response.text[:500]}")
        return seconds, memory.growth


def load_average() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    triangles = (args.megabytes * MB - 84) // 50

    load_before = load_average()
    sink_rates, server_rates, growths = [], [], []
    rows = []
    with LivePlatform() as platform, Sink() as sink:
        server = Server(platform)
        for number in range(1, args.rounds + 1):
            body = Body(triangles, f"round {number}")
            order = ["sink", "server"] if number % 2 else ["server", "sink"]
            for receiver in order:
                if receiver == "sink":
                    seconds, growth = sink.upload(body), None
                    sink_rates.append(body.size / MB / seconds)
                    rate = sink_rates[-1]
                else:
                    seconds, growth = server.upload(body)
                    server_rates.append(body.size / MB / seconds)
                    growths.append(growth / MB)
                    rate = server_rates[-1]
                name = "minimal ASGI sink" if receiver == "sink" else "konnaxion (POST resources/)"
                rows.append([number, name, seconds, rate, "-" if growth is None else growth / MB])
    load_after = load_average()

    sink_median = statistics.median(sink_rates)
    server_median = statistics.median(server_rates)
    ratio = server_median / sink_median
    growth_mb = max(growths)
    met = ratio >= TARGET_RATIO and growth_mb <= TARGET_GROWTH_MB
    rows += [
        ["median", "minimal ASGI sink", "", sink_median, "-"],
        ["median", "konnaxion (POST resources/)", "", server_median, statistics.median(growths)],
    ]
    print_table(
        title=(
            f"Upload of {triangles * 50 / MB:.0f} MB (multipart, binary STL) on loopback, "
            f"{args.rounds} alternating rounds; uvicorn with {http_implementation()} for both"
        ),
        columns=["round", "receiver", "seconds", "MB/s", "peak RSS growth (MB)"],
        rows=rows,
        footer=(
            f"ratio of medians server/sink {ratio:.2f} (target >= {TARGET_RATIO}); "
            f"largest growth {growth_mb:.1f} MB (target <= {TARGET_GROWTH_MB}): "
            f"{'met' if met else 'NOT met'}; load average {load_before} before, "
            f"{load_after} after, on {os.cpu_count()} cores"
        ),
        decimals=2,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
