"""Editors racing into one room through several live servers (tests, benchmark, the topology
check). Needs no Django: only the servers' addresses, a room and the editors' tokens."""

from __future__ import annotations

import asyncio
import json
from contextlib import AsyncExitStack
from dataclasses import dataclass

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed


@dataclass(frozen=True)
class RaceOutcome:
    admitted: int
    refused_codes: tuple[int, ...]


async def editors_race(urls: list[str], session_id: int, tokens: list[str]) -> RaceOutcome:
    """Every token connects as an editor at once, spread over the servers; counts admissions."""
    start = asyncio.Event()
    admitted = 0
    refused: list[int] = []

    async with AsyncExitStack() as stack:

        async def one(index: int, token: str) -> None:
            nonlocal admitted
            base = urls[index % len(urls)]
            await start.wait()
            socket = await stack.enter_async_context(
                connect(
                    base.replace("http", "ws", 1) + f"/ws/connect/workspaces/{session_id}/",
                    origin=base,
                    additional_headers={"Authorization": f"Token {token}"},
                )
            )
            first = json.loads(await socket.recv())
            if first["type"] == "welcome":
                admitted += 1
                return
            assert first["code"] == "room_full", first
            try:
                await socket.recv()
            except ConnectionClosed as closed:
                refused.append(closed.rcvd.code if closed.rcvd else 0)

        tasks = [asyncio.create_task(one(i, token)) for i, token in enumerate(tokens)]
        await asyncio.sleep(0)
        start.set()
        await asyncio.gather(*tasks)
    return RaceOutcome(admitted, tuple(refused))
