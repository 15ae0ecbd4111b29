"""Project events from commit to receipt on 6 WebSocket clients, alone and beside 1,000 idle
sockets on the same server process, with the channel layer alone as the baseline.

Starts `konnaxion up` over a fresh data directory (embedded PostgreSQL and Redis, the Redis
channel layer, one server process) with a project of 6 members, each connected to
/ws/projects/<slug>/ with its token. The owner then edits a document's title through the API
200 times, one after another; each edit commits a `resource.updated` event that every client
must receive. For each client and event it records:

- commit -> receipt: from the event's time (`at`, written by the transaction that commits it)
  to the client's receipt (same machine, same clock);
- request -> receipt: from sending the PATCH request to the receipt.

This runs twice: with the 6 editors alone (target: commit -> receipt p99 <= 100 ms), then with
`--sockets` idle project sockets also open on the server (1,000 by default, spread over projects
of their own that no event touches; target p99 <= 250 ms). The server's resident memory before
and after the idle sockets connect gives the memory per idle socket.

Baseline, in the same run and on the same Redis server: a message sent with the channel layer's
`group_send` to a group of 6 channels and received on each (the floor under any event).

Socket database calls: a socket's consumer reaches the database through `database_call` (a
thread of the event loop's pool; konnaxion/core/consumers.py). Their latency is measured with the
connection pool (a connection borrowed and given back) and without it (a connection opened and
closed per call), each in a process of its own on the platform's database.

    .venv/bin/python bench/realtime.py [--events 200] [--clients 6] [--sockets 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import resource
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
from PIL import Image
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import LivePlatform, rss_bytes
from _table import print_table

TARGET_P99_MS = 100.0
# With the idle sockets open beside the editors.
TARGET_P99_WITH_IDLE_MS = 250.0
RECEIPT_TIMEOUT_SECONDS = 10.0
# Idle sockets per project of the idle user, and how many connect at once.
IDLE_SOCKETS_PER_PROJECT = 20
IDLE_CONNECTING_AT_ONCE = 50
IDLE_OPEN_TIMEOUT_SECONDS = 120
DATABASE_CALLS = 300
# The platform's channel-layer host, as its settings give it (a URL or a dict of options).
LAYER_HOST = """
import json
from django.conf import settings
print(json.dumps(settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]))
"""


IDLE_SEED = """
import json
from konnaxion.keenkonnect.services.projects import project_create
from konnaxion.users.models import User
from konnaxion.users.tokens import personal_token_create
user = User.objects.create_user("bench-idle", password="bench-password-1")
slugs = [
    project_create(creator=user, title=f"Idle project {{number}}").slug
    for number in range({projects})
]
token = personal_token_create(owner=user, name="bench").key
print(json.dumps({{"token": token, "projects": slugs}}))
"""
# A socket consumer's database call (one indexed lookup) timed from the event loop, in ms.
DATABASE_CALL_TIMES = """
import asyncio, json, time
from konnaxion.core.consumers import database_call
from konnaxion.users.models import User

def lookup():
    return User.objects.filter(username="bench0").exists()

async def measure(calls):
    call = database_call(lookup)
    await call()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        await call()
        times.append((time.perf_counter() - start) * 1000)
    return times

print(json.dumps(asyncio.run(measure({calls}))))
"""


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _summary(name: str, values: list[float]) -> tuple:
    return (
        name,
        len(values),
        statistics.median(values),
        _percentile(values, 0.99),
        max(values),
    )


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 200)).save(out, format="PNG")
    return out.getvalue()


class Client:
    """One WebSocket connection; `received[seq]` is the wall-clock time of each event's
    receipt, `at[seq]` the event's own time."""

    def __init__(self, url: str, token: str, origin: str) -> None:
        self.url, self.token, self.origin = url, token, origin
        self.received: dict[int, float] = {}
        self.at: dict[int, float] = {}
        self.arrived = asyncio.Event()
        self.socket = None

    async def open(self) -> None:
        self.socket = await connect(
            self.url,
            origin=self.origin,
            additional_headers={"Authorization": f"Token {self.token}"},
        )

    async def listen(self) -> None:
        async for raw in self.socket:
            now = time.time()
            message = json.loads(raw)
            if message.get("type") != "resource.updated":
                continue
            self.received[message["seq"]] = now
            self.at[message["seq"]] = datetime.fromisoformat(message["at"]).timestamp()
            self.arrived.set()

    async def wait_for(self, seq: int) -> None:
        while seq not in self.received:
            self.arrived.clear()
            await asyncio.wait_for(self.arrived.wait(), RECEIPT_TIMEOUT_SECONDS)


async def run_platform(platform: LivePlatform, events: int) -> tuple[list[float], list[float]]:
    """(commit -> receipt, request -> receipt) in ms, one value per client and event."""
    origin = platform.url
    ws_url = f"ws://127.0.0.1:{platform.port}/ws/projects/{platform.project}/"
    owner = {"Authorization": f"Token {platform.tokens[0]}"}
    base = f"{platform.url}/api/projects/{platform.project}/resources/"
    async with httpx.AsyncClient(timeout=30, headers=owner) as http:
        created = await http.post(base, files={"file": ("plan.png", _png(), "image/png")})
        if created.status_code != 201:
            raise RuntimeError(f"upload: {created.status_code} {created.text[:300]}")
        resource_url = f"{base}{created.json()['id']}/"
        clients = [Client(ws_url, token, origin) for token in platform.tokens]
        for client in clients:
            await client.open()
        listeners = [asyncio.create_task(client.listen()) for client in clients]
        commit, request = [], []
        try:
            # A first edit warms the server's caches; it is not counted.
            for number in range(events + 1):
                # The next event is this edit's: edits are sequential and nobody else edits.
                before = max(_seen(clients), default=0)
                sent = time.time()
                response = await http.patch(resource_url, json={"title": f"Plan, edit {number}"})
                if response.status_code != 200:
                    raise RuntimeError(f"edit: {response.status_code} {response.text[:300]}")
                seq = await _next_seq(clients, after=before)
                if number == 0:
                    continue
                for client in clients:
                    commit.append((client.received[seq] - client.at[seq]) * 1000)
                    request.append((client.received[seq] - sent) * 1000)
        finally:
            for task in listeners:
                task.cancel()
            for client in clients:
                await client.socket.close()
    return commit, request


def _seen(clients: list[Client]) -> set[int]:
    return {seq for client in clients for seq in client.received}


async def _next_seq(clients: list[Client], *, after: int) -> int:
    """The first sequence number above `after` once every client has received it."""
    first = clients[0]
    while not any(seq > after for seq in first.received):
        first.arrived.clear()
        await asyncio.wait_for(first.arrived.wait(), RECEIPT_TIMEOUT_SECONDS)
    seq = min(seq for seq in first.received if seq > after)
    for client in clients:
        await client.wait_for(seq)
    return seq


class IdleSockets:
    """`count` sockets of one user, spread over its projects, that receive no event."""

    def __init__(self, platform: LivePlatform, token: str, projects: list[str]) -> None:
        self.platform, self.token, self.projects = platform, token, projects
        self.sockets: list = []

    async def open(self, count: int) -> None:
        gate = asyncio.Semaphore(IDLE_CONNECTING_AT_ONCE)

        async def one(number: int) -> None:
            slug = self.projects[number % len(self.projects)]
            url = f"ws://127.0.0.1:{self.platform.port}/ws/projects/{slug}/"
            async with gate:
                socket = await connect(
                    url,
                    origin=self.platform.url,
                    additional_headers={"Authorization": f"Token {self.token}"},
                    open_timeout=IDLE_OPEN_TIMEOUT_SECONDS,
                    ping_interval=None,  # the server's own pings keep them alive
                )
            self.sockets.append(socket)

        await asyncio.gather(*(one(number) for number in range(count)))

    async def close(self) -> None:
        await asyncio.gather(*(socket.close() for socket in self.sockets))
        self.sockets.clear()


async def run_with_idle(
    platform: LivePlatform, events: int, sockets: int, idle: dict
) -> tuple[list[float], list[float], int, int]:
    """The editors' run with `sockets` idle sockets open: (commit -> receipt, request ->
    receipt, server RSS before, after the idle sockets connected)."""
    server = platform.server_pid()
    before = rss_bytes(server)
    idle_sockets = IdleSockets(platform, idle["token"], idle["projects"])
    try:
        await idle_sockets.open(sockets)
        after = rss_bytes(server)
        commit, request = await run_platform(platform, events)
    finally:
        await idle_sockets.close()
    return commit, request, before, after


def database_call_times(platform: LivePlatform, *, pool: bool) -> list[float]:
    """Socket database call latencies (ms) in a process with the pool on or off."""
    out = platform.manage(
        "shell",
        "-c",
        DATABASE_CALL_TIMES.format(calls=DATABASE_CALLS),
        environment={"DATABASE_POOL": "true" if pool else "false"},
    )
    return json.loads(out.strip().splitlines()[-1])


def raise_open_files_limit(sockets: int) -> None:
    """Room for the sockets' descriptors here and in the server (which inherits the limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 2 * sockets + 1024
    if soft != resource.RLIM_INFINITY and soft < wanted:
        ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))


def _verdict(value: float, target: float) -> str:
    return "met" if value <= target else "not met"


async def run_layer(host: str | dict, clients: int, messages: int) -> list[float]:
    """group_send to `clients` channels and receive on each: ms per channel and message."""
    from channels_redis.core import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[host], prefix="bench-realtime")
    channels = [await layer.new_channel() for _ in range(clients)]
    for channel in channels:
        await layer.group_add("bench", channel)

    async def receive(channel: str) -> float:
        await layer.receive(channel)
        return time.perf_counter()

    times = []
    try:
        for number in range(messages + 1):
            sent = time.perf_counter()
            receipts = asyncio.gather(*(receive(channel) for channel in channels))
            await layer.group_send("bench", {"type": "bench.message", "number": number})
            if number:  # the first message opens the connections
                times += [(received - sent) * 1000 for received in await receipts]
            else:
                await receipts
    finally:
        await layer.flush()
        await layer.close_pools()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--sockets", type=int, default=1000, help="idle sockets (0: none)")
    args = parser.parse_args()
    raise_open_files_limit(args.sockets)
    load_before = os.getloadavg()[0]
    with LivePlatform(users=args.clients) as platform:
        layer_host = json.loads(platform.manage("shell", "-c", LAYER_HOST).strip().splitlines()[-1])
        pooled = database_call_times(platform, pool=True)
        unpooled = database_call_times(platform, pool=False)
        commit, request = asyncio.run(run_platform(platform, args.events))
        if args.sockets:
            projects = -(-args.sockets // IDLE_SOCKETS_PER_PROJECT)
            seeded = platform.manage("shell", "-c", IDLE_SEED.format(projects=projects))
            idle = json.loads(seeded.strip().splitlines()[-1])
            busy_commit, busy_request, rss_before, rss_after = asyncio.run(
                run_with_idle(platform, args.events, args.sockets, idle)
            )
        layer = asyncio.run(run_layer(layer_host, args.clients, args.events))
    load = f"{load_before:.1f} -> {os.getloadavg()[0]:.1f} (1 min, start -> end)"
    p99 = _percentile(commit, 0.99)
    rows = [
        (
            *_summary("commit -> receipt", commit),
            f"<= {TARGET_P99_MS:.0f}",
            _verdict(p99, TARGET_P99_MS),
        ),
        (*_summary("request -> receipt", request), "-", "-"),
    ]
    footer = [f"commit -> receipt p99 {p99:.1f} ms (target <= {TARGET_P99_MS:.0f}): "]
    footer[0] += _verdict(p99, TARGET_P99_MS)
    if args.sockets:
        busy_p99 = _percentile(busy_commit, 0.99)
        with_idle = f"with {args.sockets} idle sockets"
        rows += [
            (
                *_summary(f"commit -> receipt, {with_idle}", busy_commit),
                f"<= {TARGET_P99_WITH_IDLE_MS:.0f}",
                _verdict(busy_p99, TARGET_P99_WITH_IDLE_MS),
            ),
            (*_summary(f"request -> receipt, {with_idle}", busy_request), "-", "-"),
        ]
        per_socket = (rss_after - rss_before) / args.sockets / 1024
        footer.append(
            f"commit -> receipt p99 {with_idle} {busy_p99:.1f} ms (target <= "
            f"{TARGET_P99_WITH_IDLE_MS:.0f}): {_verdict(busy_p99, TARGET_P99_WITH_IDLE_MS)}"
        )
        footer.append(
            f"server process memory: {rss_before / 2**20:.0f} MiB -> {rss_after / 2**20:.0f} MiB "
            f"with {args.sockets} idle sockets, {per_socket:.1f} KiB per idle socket"
        )
    rows.append((*_summary("baseline: channel layer group_send -> receive", layer), "-", "-"))
    footer.append(
        f"p50 {statistics.median(commit) / statistics.median(layer):.1f}x the channel layer's; "
        f"load average {load} on {os.cpu_count()} cores"
    )
    print_table(
        title=(
            f"project events on {args.clients} WebSocket clients, {args.events} edits "
            "through the API (konnaxion up: one server process, Redis channel layer)"
        ),
        columns=["path", "receipts", "p50 ms", "p99 ms", "max ms", "p99 target", "target"],
        rows=rows,
        decimals=1,
        footer="\n".join(footer),
    )
    pooled_p50, unpooled_p50 = statistics.median(pooled), statistics.median(unpooled)
    print_table(
        title=f"socket database calls (database_call, one indexed lookup), {DATABASE_CALLS} each",
        columns=["connections", "calls", "p50 ms", "p99 ms", "max ms"],
        rows=[
            _summary("pool (DATABASE_POOL=true)", pooled),
            _summary("a connection per call (DATABASE_POOL=false)", unpooled),
        ],
        decimals=2,
        footer=f"the pool takes {unpooled_p50 / pooled_p50:.1f}x less time per call (p50)",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
