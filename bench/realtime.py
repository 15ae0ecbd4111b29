"""Project events from commit to receipt on 6 WebSocket clients, beside the channel layer alone.

Starts `konnaxion up` over a fresh data directory (embedded PostgreSQL and Redis, the Redis
channel layer) with a project of 6 members, each connected to /ws/projects/<slug>/ with its
token. The owner then edits a document's title through the API 200 times, one after another;
each edit commits a `resource.updated` event that every client must receive. For each client
and event it records:

- commit -> receipt: from the event's time (`at`, written by the transaction that commits it)
  to the client's receipt (same machine, same clock);
- request -> receipt: from sending the PATCH request to the receipt.

Baseline, in the same run and on the same Redis server: a message sent with the channel layer's
`group_send` to a group of 6 channels and received on each (the floor under any event). Target:
commit -> receipt p99 <= 100 ms.

    .venv/bin/python bench/realtime.py [--events 200] [--clients 6]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import httpx
from PIL import Image
from websockets.asyncio.client import connect

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _live import LivePlatform
from _table import print_table

TARGET_P99_MS = 100.0
RECEIPT_TIMEOUT_SECONDS = 10.0
# The platform's channel-layer host, as its settings give it (a URL or a dict of options).
LAYER_HOST = """
import json
from django.conf import settings
print(json.dumps(settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]))
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
    args = parser.parse_args()
    with LivePlatform(users=args.clients) as platform:
        layer_host = json.loads(platform.manage("shell", "-c", LAYER_HOST).strip().splitlines()[-1])
        commit, request = asyncio.run(run_platform(platform, args.events))
        layer = asyncio.run(run_layer(layer_host, args.clients, args.events))
    p99 = _percentile(commit, 0.99)
    print_table(
        title=(
            f"project events on {args.clients} WebSocket clients, {args.events} edits "
            "through the API (konnaxion up, Redis channel layer)"
        ),
        columns=["path", "receipts", "p50 ms", "p99 ms", "max ms"],
        rows=[
            _summary("commit -> receipt", commit),
            _summary("request -> receipt", request),
            _summary("baseline: channel layer group_send -> receive", layer),
        ],
        decimals=1,
        footer=(
            f"commit -> receipt p99 {p99:.1f} ms (target <= {TARGET_P99_MS:.0f}): "
            f"{'meets' if p99 <= TARGET_P99_MS else 'misses'}; "
            f"p50 {statistics.median(commit) / statistics.median(layer):.1f}x the channel layer's"
        ),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
