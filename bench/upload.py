"""A 150 MB upload through the running server beside the same bytes sent to a minimal ASGI sink.

Starts `konnaxion up` over a fresh data directory and `uvicorn _asgi_sink:app` on loopback (the
same uvicorn, HTTP implementation and event loop as `konnaxion serve`), then sends one multipart
body (a binary STL of 150 MB) to each, in alternating rounds (sink, server, then server, sink...),
so both see the same machine state; each round's file differs (its STL header names the round),
so every server upload stores a new blob. Prints each run (with the seconds from the client's
last byte to the whole answer: what the receiver does once the body is in), the medians, the
ratio of the medians, the largest growth of the server process's resident memory during an
upload (sampled from /proc), the load average and, for each target, its figure and whether it
is met. Targets: ratio >= 0.8 (median of 5 alternating rounds), growth <= 64 MB.

The Celery worker is paused (SIGSTOP) during the rounds and resumed after them (`--keep-worker`
leaves it running): each upload queues its indexing, and the preview of a 3-million-triangle
STL keeps a core busy for minutes, which would compete with the later rounds of both receivers
for this machine's cores. The uploads themselves are measured whole either way.

Where the server's CPU goes, with no probe in the product: each round reads the CPU time of the
server and sink processes from /proc/<pid>/stat (the server's split into its event-loop thread,
which receives the body as the sink does, and the others: the view's, the database pool's),
and the bench then runs each part of the upload path, with the project's own functions, on the
same 150 MB in its own thread (time.thread_time, median of 3): the multipart reading
(`BodyReader` over the 4 MiB blocks `streamed_body` hands over), SHA-256, the AES-256-GCM
sealing of 64 KiB chunks (`ChunkSealer`), the writing of the sealed chunks to a file in the data
directory with its fsync, and `IncomingFile` doing the last three together as the server does.
"The rest" is the server's CPU per round less the reading and `IncomingFile`: uvicorn receiving
the body (compare the sink's CPU), the hand-over of blocks, Django, the database and the answer.
Figures are CPU seconds per 100 MB; a part's MB/s is what one core would do of it alone.

    .venv/bin/python bench/upload.py [--megabytes 150] [--rounds 5] [--keep-worker]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import signal
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import LivePlatform, free_port, rss_bytes
from _table import print_table

MB = 1_000_000
BLOCK = 1024 * 1024
TRIANGLE = struct.pack("<12fH", *range(12), 0)
BOUNDARY = "konnaxion-bench-boundary"
TARGET_RATIO = 0.8
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
        # Resumed once the client has written the last bytes to the socket.
        self.last_byte_at = time.perf_counter()

    def file_chunks(self) -> Iterator[bytes]:
        yield self.label[:80].ljust(80, b" ") + struct.pack("<I", self.triangles)
        per_block = BLOCK // len(TRIANGLE)
        block = TRIANGLE * per_block
        left = self.triangles
        while left >= per_block:
            yield block
            left -= per_block
        yield TRIANGLE * left


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU time of a process (or of one of its threads), from /proc."""
    path = f"/proc/{pid}/stat" if thread is None else f"/proc/{pid}/task/{thread}/stat"
    fields = Path(path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuUsed:
    """The CPU seconds a process uses inside the block: `total`, and `loop` for its main thread
    (uvicorn's event loop)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    def __enter__(self) -> CpuUsed:
        self._start = cpu_seconds(self.pid), cpu_seconds(self.pid, self.pid)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.total = cpu_seconds(self.pid) - self._start[0]
        self.loop = cpu_seconds(self.pid, self.pid) - self._start[1]


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
    """Post the body; (seconds until the whole response arrived, response). The seconds from
    the last byte sent to the whole response are left in `body.after_last_byte`."""
    with httpx.Client(timeout=600) as client:
        started = time.perf_counter()
        response = client.post(url, content=body.chunks(), headers=body.headers(token))
        finished = time.perf_counter()
        body.after_last_byte = finished - body.last_byte_at
        return finished - started, response


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

    def upload(self, body: Body) -> tuple[float, CpuUsed]:
        with CpuUsed(self.process.pid) as cpu:
            seconds, response = send(self.url, body)
        if response.json()["received"] != body.size:
            raise RuntimeError(f"the sink received {response.text} of {body.size} bytes")
        return seconds, cpu


class Server:
    """`konnaxion up` with one project; `upload` posts a new document (201 expected)."""

    def __init__(self, platform: LivePlatform) -> None:
        self.platform = platform
        self.url = f"{platform.url}/api/projects/{platform.project}/resources/"
        self.token = platform.tokens[0]
        # A small upload first, so the growth measured is that of the large ones, not imports.
        self.upload(Body(1000, "warm-up"))

    def upload(self, body: Body) -> tuple[float, int, CpuUsed]:
        expected = (body.file_size, body.sha256())
        pid = self.platform.server_pid()
        with PeakRss(pid) as memory, CpuUsed(pid) as cpu:
            seconds, response = send(self.url, body, self.token)
        if response.status_code != 201:
            raise RuntimeError(f"upload: {response.status_code} {response.text[:500]}")
        version = response.json()["current_version"]
        if (version["size"], version["sha256"]) != expected:
            raise RuntimeError(f"the server stored {response.text[:500]}")
        return seconds, memory.growth, cpu

    def pause_worker(self, paused: bool) -> None:
        """Stop (or resume) the Celery worker and its pool processes."""
        for process in psutil.Process(self.platform.process.pid).children(recursive=True):
            if "worker" in process.cmdline():
                process.send_signal(signal.SIGSTOP if paused else signal.SIGCONT)


def measure(work: Callable[[], object], *, repeats: int = 3) -> float:
    """The median CPU time of this thread running `work`."""
    times = []
    for _ in range(repeats):
        started = time.thread_time()
        work()
        times.append(time.thread_time() - started)
    return statistics.median(times)


def parts_cpu(body: Body, folder: Path) -> dict[str, float]:
    """CPU seconds of each part of the server's upload path on `body`, run here with the
    project's functions (module docstring)."""
    import django
    from django.conf import settings

    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    settings.configure(
        STORAGE_TMP_DIR=str(folder),
        MAX_BLUEPRINT_UPLOAD_MB=body.file_size // (1024 * 1024) + 1,
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(folder / "media")},
            }
        },
    )
    django.setup()
    from konnaxion.core.streamed_body import BLOCK_BYTES
    from konnaxion.files.encryption import CHUNK_SIZE, ChunkSealer
    from konnaxion.files.incoming import IncomingFile
    from konnaxion.files.multipart import BodyReader
    from konnaxion.files.upload_handler import IncomingFileUploadHandler

    whole = b"".join(body.chunks())
    blocks = [whole[start : start + BLOCK_BYTES] for start in range(0, len(whole), BLOCK_BYTES)]
    del whole

    def file_pieces() -> list[memoryview]:
        reader = BodyReader(
            BlockStream(blocks),
            read_size=IncomingFileUploadHandler.chunk_size,
            boundary=BOUNDARY.encode(),
        )
        reader.skip_preamble()
        reader.next_part()
        reader.headers()
        return list(reader.body())

    pieces = file_pieces()
    if sum(map(len, pieces)) != body.file_size:
        raise RuntimeError("the multipart reader did not find the file")

    def sha256() -> None:
        digest = hashlib.sha256()
        for piece in pieces:
            digest.update(piece)

    def seal() -> list[bytes]:
        sealer = ChunkSealer(os.urandom(32))
        sealed = []
        for piece in pieces:  # whole 4 MiB blocks but the first and last: a few short chunks
            for start in range(0, len(piece), CHUNK_SIZE):
                chunk = piece[start : start + CHUNK_SIZE]
                sealed.append(sealer.seal(chunk, final=len(chunk) < CHUNK_SIZE))
        return sealed

    sealed = seal()

    def write() -> None:
        path = folder / "sealed.part"
        with open(path, "wb") as handle:
            handle.writelines(sealed)
            handle.flush()
            os.fsync(handle.fileno())
        path.unlink()

    def incoming() -> None:
        upload = IncomingFile(name="bench.stl")
        for piece in pieces:
            upload.write(piece)
        upload.finish()
        with open(upload.path, "rb") as handle:
            os.fsync(handle.fileno())  # as the blob store does once it is linked
        upload.discard()

    return {
        "read": measure(file_pieces),
        "sha256": measure(sha256),
        "encrypt": measure(seal),
        "write": measure(write),
        "incoming": measure(incoming),
    }


class BlockStream:
    """The body as `streamed_body` hands it to the view: whole blocks, one a read."""

    def __init__(self, blocks: list[bytes]) -> None:
        self._blocks = iter(blocks)

    def read(self, size: int = -1) -> bytes:
        return next(self._blocks, b"")


def load_average() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def per_100_mb(seconds: float, size: int) -> float:
    return seconds * 100 * MB / size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--keep-worker", action="store_true", help="leave the Celery worker running (docstring)"
    )
    args = parser.parse_args()
    triangles = (args.megabytes * MB - 84) // 50

    load_before = load_average()
    sink_rates, server_rates, growths = [], [], []
    sink_cpu, server_cpu, loop_cpu = [], [], []
    sink_after: list[float] = []
    server_after: list[float] = []
    rows = []
    with LivePlatform() as platform, Sink() as sink:
        server = Server(platform)
        server.pause_worker(not args.keep_worker)
        try:
            for number in range(1, args.rounds + 1):
                body = Body(triangles, f"round {number}")
                order = ["sink", "server"] if number % 2 else ["server", "sink"]
                for receiver in order:
                    if receiver == "sink":
                        seconds, cpu = sink.upload(body)
                        sink_rates.append(body.size / MB / seconds)
                        sink_cpu.append(per_100_mb(cpu.total, body.size))
                        rate, growth, loop = sink_rates[-1], "-", "-"
                        sink_after.append(body.after_last_byte)
                        name = "minimal ASGI sink"
                    else:
                        seconds, memory, cpu = server.upload(body)
                        server_rates.append(body.size / MB / seconds)
                        server_cpu.append(per_100_mb(cpu.total, body.size))
                        loop_cpu.append(per_100_mb(cpu.loop, body.size))
                        growths.append(memory / MB)
                        rate, growth, loop = server_rates[-1], growths[-1], loop_cpu[-1]
                        server_after.append(body.after_last_byte)
                        name = "konnaxion (POST resources/)"
                    total = per_100_mb(cpu.total, body.size)
                    after = body.after_last_byte
                    rows.append([number, name, seconds, after, rate, growth, total, loop])
            load_after = load_average()
            parts = parts_cpu(Body(triangles, "parts"), platform.data_dir / "bench-parts")
        finally:
            server.pause_worker(False)

    sink_median = statistics.median(sink_rates)
    server_median = statistics.median(server_rates)
    ratio = server_median / sink_median
    growth_mb = max(growths)
    rows += [
        [
            "median",
            "minimal ASGI sink",
            "",
            statistics.median(sink_after),
            sink_median,
            "-",
            statistics.median(sink_cpu),
            "-",
        ],
        [
            "median",
            "konnaxion (POST resources/)",
            "",
            statistics.median(server_after),
            server_median,
            statistics.median(growths),
            statistics.median(server_cpu),
            statistics.median(loop_cpu),
        ],
    ]
    worker = "running" if args.keep_worker else "paused"
    print_table(
        title=(
            f"Upload of {triangles * 50 / MB:.0f} MB (multipart, binary STL) on loopback, "
            f"{args.rounds} alternating rounds; uvicorn with {http_implementation()} for both; "
            f"Celery worker {worker}"
        ),
        columns=[
            "round",
            "receiver",
            "seconds",
            "after the last byte",
            "MB/s",
            "peak RSS growth (MB)",
            "CPU s/100 MB",
            "of which event loop",
        ],
        rows=rows,
        decimals=2,
    )
    file_size = triangles * 50 + 84
    named = {
        "read": "reading the body: multipart parsing (BodyReader, 4 MiB blocks)",
        "sha256": "SHA-256",
        "encrypt": "encryption (AES-256-GCM, 64 KiB chunks)",
        "write": "writing to storage (sealed chunks, fsync)",
        "incoming": "IncomingFile: hash + encrypt + write together",
    }
    part_rows = [
        [named[key], per_100_mb(seconds, file_size), file_size / MB / seconds if seconds else "-"]
        for key, seconds in parts.items()
    ]
    rest = statistics.median(server_cpu) - per_100_mb(parts["read"] + parts["incoming"], file_size)
    part_rows += [
        ["the rest: uvicorn receiving, hand-over, Django, database, answer", rest, "-"],
        ["(the sink: uvicorn receiving the body, nothing else)", statistics.median(sink_cpu), "-"],
    ]
    print()
    print_table(
        title=(
            "CPU seconds per 100 MB of each part of the server's upload path (parts run in the "
            "bench with the project's functions on the same bytes, median of 3; the rest is the "
            "server's median CPU less the reading and IncomingFile)"
        ),
        columns=["part", "CPU s/100 MB", "MB/s on one core"],
        rows=part_rows,
        decimals=3,
    )
    print()
    print(
        f"ratio of medians server/sink: {ratio:.2f} (target >= {TARGET_RATIO}): "
        f"{'met' if ratio >= TARGET_RATIO else 'not met'}"
    )
    print(
        f"largest peak RSS growth: {growth_mb:.1f} MB (target <= {TARGET_GROWTH_MB} MB): "
        f"{'met' if growth_mb <= TARGET_GROWTH_MB else 'not met'}"
    )
    print(
        f"load average {load_before} before, {load_after} after the rounds, "
        f"on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
