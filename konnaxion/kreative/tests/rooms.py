"""Test helpers for collaboration rooms: a Yjs client over a socket and rooms with invitations.

`YClient` speaks the same protocol as the browser's y-websocket provider, with pycrdt: it answers
the server's sync step 1, applies step 2 and updates, and sends its own edits as updates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from channels.testing import WebsocketCommunicator
from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from config.asgi import application
from konnaxion.core.tests.sockets import Opening, socket_open
from konnaxion.kreative.models import CollabSession
from konnaxion.kreative.realtime import documents
from konnaxion.kreative.realtime.documents import AwarenessMessage, SyncStep
from konnaxion.kreative.services.collaboration_workspace import workspace_create

CONNECT_TIMEOUT = 10  # seconds


def room_with(users, **options) -> CollabSession:
    """A workspace hosted by the first of `users` with all the others invited."""
    host, *others = users
    return workspace_create(
        host=host,
        name=options.pop("name", "Room"),
        session_type=options.pop("session_type", "painting"),
        participants=[user.username for user in others],
        **options,
    )


def room_path(session_id: int, *, viewer: bool = False) -> str:
    return f"/ws/connect/workspaces/{session_id}/" + ("?role=viewer" if viewer else "")


def socket_headers(token: str | None, *, origin: str = "http://localhost") -> list:
    headers = [(b"origin", origin.encode()), (b"host", b"localhost")]
    if token is not None:
        headers.append((b"authorization", f"Token {token}".encode()))
    return headers


def doc_content(doc: Doc) -> dict[str, Any]:
    """What a document shows: the notes as XML and the canvas as plain data."""
    notes = doc.get(documents.NOTES, type=XmlFragment)
    canvas = doc.get(documents.CANVAS, type=Array)
    return {"notes": str(notes), "canvas": canvas.to_py() or []}


def server_doc(session_id: int) -> Doc:
    doc = Doc()
    doc.apply_update(documents.collab_document_state(session_id=session_id))
    return doc


class YClient:
    """A room participant over `WebsocketCommunicator` against the real ASGI application."""

    def __init__(self, session_id: int, token: str | None, *, viewer: bool = False) -> None:
        self.session_id = session_id
        self.token = token
        self.viewer = viewer
        self.doc = Doc()
        self.events: list[dict] = []
        self.awareness: list[AwarenessMessage] = []
        self.communicator: WebsocketCommunicator | None = None

    def _communicator(self) -> WebsocketCommunicator:
        self.communicator = WebsocketCommunicator(
            application,
            room_path(self.session_id, viewer=self.viewer),
            headers=socket_headers(self.token),
        )
        return self.communicator

    async def connect(self) -> tuple[bool, Any]:
        # The handshake checks access and takes an editor slot: give it room on a busy machine.
        return await self._communicator().connect(timeout=CONNECT_TIMEOUT)

    async def open(self) -> Opening:
        """Connect and say what the client saw: admitted, or refused with which close code
        (`core.tests.sockets.socket_open`)."""
        return await socket_open(self._communicator(), timeout=CONNECT_TIMEOUT)

    async def join(self) -> dict:
        """Connect, read the welcome, and sync both ways; returns the welcome."""
        connected, code = await self.connect()
        assert connected, code
        welcome = await self.communicator.receive_json_from()
        assert welcome["type"] == "welcome", welcome
        await self.sync()
        return welcome

    async def send_json(self, content: dict) -> None:
        await self.communicator.send_to(text_data=json.dumps(content))

    async def send_frame(self, frame: bytes) -> None:
        await self.communicator.send_to(bytes_data=frame)

    async def sync(self) -> None:
        """Ask the server for what this client lacks and process everything up to its answer."""
        await self.send_frame(documents.sync_message(SyncStep.STEP1, self.doc.get_state()))
        await self.pump_until(lambda frame: frame == "step2")

    async def settle(self) -> None:
        """Process every message the server sent before it answers a heartbeat."""
        await self.send_json({"type": "heartbeat"})
        await self.pump_until(
            lambda event: isinstance(event, dict) and event["type"] == "heartbeat"
        )

    async def pump_until(self, done: Callable[[Any], bool]) -> None:
        while True:
            output = await self.communicator.receive_output(timeout=30)
            if output["type"] == "websocket.close":
                raise ConnectionError(f"closed with {output.get('code')}")
            if output.get("bytes") is not None:
                handled = await self._frame(output["bytes"])
            else:
                handled = json.loads(output["text"])
                self.events.append(handled)
            if done(handled):
                return

    async def _frame(self, frame: bytes) -> str:
        message = documents.message_parse(frame)
        if isinstance(message, AwarenessMessage):
            self.awareness.append(message)
            return "awareness"
        if message.step == SyncStep.STEP1:
            # Answered right away, as y-websocket does: the server learns this client's edits.
            reply = self.doc.get_update(message.payload)
            await self.send_frame(documents.sync_message(SyncStep.STEP2, reply))
            return "step1"
        self.doc.apply_update(message.payload)
        return "step2" if message.step == SyncStep.STEP2 else "update"

    async def edit(self, change: Callable[[Doc], None]) -> None:
        """Make a local change and send it to the room as one update."""
        before = self.doc.get_state()
        change(self.doc)
        await self.send_frame(documents.update_message(self.doc.get_update(before)))

    async def close(self) -> None:
        if self.communicator is not None:
            await self.communicator.disconnect()
            self.communicator = None

    def of_type(self, kind: str) -> list[dict]:
        return [event for event in self.events if event.get("type") == kind]


async def converge(clients: list[YClient]) -> None:
    """Every edit has reached the server, then every client has what the server has."""
    for client in clients:
        await client.settle()
    for client in clients:
        await client.sync()
        await client.settle()


async def close_all(clients: list[YClient]) -> None:
    for client in clients:
        await client.close()


def declare_roots(doc: Doc) -> None:
    """The top-level types every client declares (docs/rooms.md)."""
    doc[documents.NOTES] = XmlFragment()
    doc[documents.CANVAS] = Array()


def add_paragraph(doc: Doc) -> None:
    notes = doc.get(documents.NOTES, type=XmlFragment)
    notes.children.append(XmlElement("paragraph", {}, [XmlText()]))


def paragraph_text(doc: Doc) -> XmlText:
    notes = doc.get(documents.NOTES, type=XmlFragment)
    return notes.children[0].children[0]


def stroke(stroke_id: str, author: str) -> Callable[[Doc], None]:
    def draw(doc: Doc) -> None:
        doc.get(documents.CANVAS, type=Array).append(
            Map({"id": stroke_id, "kind": "stroke", "author": author, "points": [0, 0, 10, 12]})
        )

    return draw


def type_text(token: str) -> Callable[[Doc], None]:
    def write(doc: Doc) -> None:
        text = paragraph_text(doc)
        text.insert(len(text), token)

    return write


def erase_stroke(stroke_id: str) -> Callable[[Doc], None]:
    def erase(doc: Doc) -> None:
        canvas = doc.get(documents.CANVAS, type=Array)
        index = next(i for i, item in enumerate(canvas.to_py()) if item["id"] == stroke_id)
        del canvas[index]

    return erase
