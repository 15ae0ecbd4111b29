"""Mixed traffic against `konnaxion up` on loopback, at increasing concurrency (`make load`).

Starts the platform over a fresh data directory, then this process (a second one, on loopback)
runs N concurrent clients for a bounded time per level. Each client repeats a weighted mix:
browse profiles (GET /api/profiles/), search (GET /api/search/), upload a new version of a small
document (multipart STL), and WebSocket chatter (a ping answered by a pong on /ws/ping/, one
socket per client). Prints, per level, requests per second, p50 and p95 latency and errors, then
the saturation point (the level past which throughput grows by less than 10 %).

    .venv/bin/python bench/load.py [--levels 1,4,16,32] [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import LivePlatform
from _table import print_table

MIX = (("browse profiles", 4), ("search", 2), ("upload version", 2), ("websocket ping", 3))
SEARCH_TERMS = ("part", "plan", "studio", "etching", "bench", "archive")
USERS = 4
SATURATION_GAIN = 1.10


@dataclass
class Level:
    clients: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


def stl(serial: int) -> bytes:
    """A small binary STL, different for every serial (so every version is new content)."""
    triangles = 200
    header = f"load {serial}".encode().ljust(80) + struct.pack("<I", triangles)
    return header + struct.pack("<12fH", *range(12), 0) * triangles


class Client:
    def __init__(self, platform: LivePlatform, number: int, resource_id: int) -> None:
        self.platform = platform
        self.token = platform.tokens[number % len(platform.tokens)]
        self.resource_id = resource_id
        self.number = number
        self.sent = 0

    async def run(self, level: Level, deadline: float) -> None:
        headers = {"Authorization": f"Token {self.token}"}
        ws_url = self.platform.url.replace("http://", "ws://") + "/ws/ping/"
        kinds = [kind for kind, _ in MIX]
        weights = [weight for _, weight in MIX]
        randomness = random.Random(self.number)
        async with (
            httpx.AsyncClient(base_url=self.platform.url, headers=headers, timeout=60) as http,
            websockets.connect(
                ws_url, additional_headers=headers, origin=self.platform.url
            ) as socket,
        ):
            while time.monotonic() < deadline:
                kind = randomness.choices(kinds, weights)[0]
                started = time.perf_counter()
                try:
                    ok = await getattr(self, kind.replace(" ", "_"))(http, socket)
                except (httpx.HTTPError, websockets.WebSocketException, OSError):
                    ok = False
                level.latencies.append(time.perf_counter() - started)
                level.by_kind[kind] = level.by_kind.get(kind, 0) + 1
                level.errors += not ok

    async def browse_profiles(self, http: httpx.AsyncClient, socket) -> bool:
        response = await http.get("/api/profiles/", params={"page": 1})
        return response.status_code == 200

    async def search(self, http: httpx.AsyncClient, socket) -> bool:
        term = SEARCH_TERMS[self.sent % len(SEARCH_TERMS)]
        response = await http.get("/api/search/", params={"q": term})
        return response.status_code == 200

    async def upload_version(self, http: httpx.AsyncClient, socket) -> bool:
        self.sent += 1
        response = await http.post(
            f"/api/projects/{self.platform.project}/resources/{self.resource_id}/versions/",
            files={"file": ("part.stl", stl(self.number * 1_000_000 + self.sent))},
        )
        return response.status_code == 201

    async def websocket_ping(self, http: httpx.AsyncClient, socket) -> bool:
        await socket.send(json.dumps({"n": self.sent}))
        answer = json.loads(await socket.recv())
        return answer.get("type") == "pong"


def percentile(values: list[float], fraction: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


async def run_level(platform: LivePlatform, clients: int, seconds: float, resource: int) -> Level:
    level = Level(clients)
    deadline = time.monotonic() + seconds
    results = await asyncio.gather(
        *(Client(platform, number, resource).run(level, deadline) for number in range(clients)),
        return_exceptions=True,
    )
    level.errors += sum(isinstance(result, BaseException) for result in results)
    return level


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,4,16,32")
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    levels = [int(value) for value in args.levels.split(",")]

    with LivePlatform(users=USERS) as platform:
        created = httpx.post(
            f"{platform.url}/api/projects/{platform.project}/resources/",
            headers={"Authorization": f"Token {platform.tokens[0]}"},
            files={"file": ("part.stl", stl(0))},
            timeout=60,
        )
        if created.status_code != 201:
            raise RuntimeError(f"first upload: {created.status_code} {created.text}")
        resource = created.json()["id"]
        rows, rates = [], []
        for clients in levels:
            level = asyncio.run(run_level(platform, clients, args.seconds, resource))
            rate = len(level.latencies) / args.seconds
            rates.append(rate)
            mix = " ".join(
                f"{kind.split()[0]}={count}" for kind, count in sorted(level.by_kind.items())
            )
            rows.append(
                [
                    clients,
                    rate,
                    percentile(level.latencies, 0.50) * 1000,
                    percentile(level.latencies, 0.95) * 1000,
                    level.errors,
                    mix,
                ]
            )
    saturation = levels[-1]
    for position in range(1, len(levels)):
        if rates[position] < rates[position - 1] * SATURATION_GAIN:
            saturation = levels[position - 1]
            break
    best = max(range(len(levels)), key=rates.__getitem__)
    print_table(
        title=f"Mixed load on konnaxion up ({args.seconds:.0f} s per level, loopback)",
        columns=["clients", "requests/s", "p50 (ms)", "p95 (ms)", "errors", "mix"],
        rows=rows,
        footer=(
            f"saturation at {saturation} clients (next level adds < 10 % throughput); "
            f"peak {rates[best]:.1f} requests/s at {levels[best]} clients"
        ),
        decimals=1,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
