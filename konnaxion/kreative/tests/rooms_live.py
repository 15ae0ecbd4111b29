"""Editors racing into one room through several live server processes (tests and benchmark)."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

START_SECONDS = 60


@dataclass(frozen=True)
class RaceOutcome:
    admitted: int
    refused_codes: tuple[int, ...]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def room_servers(ports: list[int], env: dict[str, str]) -> Iterator[list[str]]:
    """One ASGI server process per port (every signed-in user invited); their base URLs."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "konnaxion.kreative.tests.room_server", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url, process in zip(urls, processes, strict=True):
            _wait_until_serving(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_serving(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310 - our loopback URL
            return
        except urllib.error.HTTPError:
            return  # 503 while no worker runs: the server answers
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"the room server at {url} did not start")
        time.sleep(0.1)


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
