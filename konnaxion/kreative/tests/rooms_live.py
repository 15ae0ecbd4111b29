"""Editors racing into one room through several live server processes (tests and benchmark)."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from konnaxion.kreative.tests.rooms import YClient, room_path

START_SECONDS = 60


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


class LiveCommunicator:
    """What `YClient` uses of `WebsocketCommunicator`, over a real socket to a live server."""

    def __init__(
        self, base_url: str, path: str, token: str, *, receive_buffer: int | None = None, **options
    ) -> None:
        self.base_url = base_url
        self.path = path
        self.token = token
        self.receive_buffer = receive_buffer  # bytes; None lets the kernel size it
        self.options = options  # for `websockets.connect`, such as `max_queue`
        self.socket = None

    def _tcp_socket(self) -> socket.socket:
        """A connected TCP socket whose receive buffer is `receive_buffer` bytes: a client that
        stops reading then holds back the server after that much, not after megabytes."""
        address = urllib.parse.urlsplit(self.base_url)
        tcp = socket.socket()
        tcp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)
        tcp.connect((address.hostname, address.port))
        tcp.setblocking(False)
        return tcp

    async def connect(self, timeout: float = 10) -> tuple[bool, int | None]:
        if self.receive_buffer is not None:
            self.options["sock"] = self._tcp_socket()
        try:
            self.socket = await connect(
                self.base_url.replace("http", "ws", 1) + self.path,
                origin=self.base_url,
                additional_headers={"Authorization": f"Token {self.token}"},
                open_timeout=timeout,
                max_size=None,
                **self.options,
            )
        except InvalidStatus as refused:
            return False, refused.response.status_code
        return True, None

    async def send_to(self, text_data: str | None = None, bytes_data: bytes | None = None):
        await self.socket.send(bytes_data if bytes_data is not None else text_data)

    async def receive_output(self, timeout: float = 1) -> dict:
        try:
            data = await asyncio.wait_for(self.socket.recv(), timeout)
        except ConnectionClosed as closed:
            return {"type": "websocket.close", "code": closed.rcvd.code if closed.rcvd else 1006}
        if isinstance(data, bytes):
            return {"type": "websocket.send", "bytes": data, "text": None}
        return {"type": "websocket.send", "bytes": None, "text": data}

    async def receive_json_from(self, timeout: float = 1) -> dict:
        output = await self.receive_output(timeout)
        assert output["type"] == "websocket.send" and output["text"] is not None, output
        return json.loads(output["text"])

    async def disconnect(self) -> None:
        await self.socket.close()


class LiveYClient(YClient):
    """A `YClient` talking to a live server at `base_url` instead of the in-process app."""

    def __init__(
        self, base_url: str, session_id: int, token: str | None, *, viewer: bool = False, **options
    ) -> None:
        super().__init__(session_id, token, viewer=viewer)
        self.base_url = base_url
        self.options = options

    async def connect(self) -> tuple[bool, int | None]:
        self.communicator = LiveCommunicator(
            self.base_url,
            room_path(self.session_id, viewer=self.viewer),
            self.token,
            **self.options,
        )
        return await self.communicator.connect()
