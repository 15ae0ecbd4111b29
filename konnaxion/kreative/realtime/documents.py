"""The shared document of a collaboration room: one Yjs document, kept by pycrdt.

Top-level types (the browser declares the same with the standard Yjs library, see docs/rooms.md):

- `notes`: a `Y.XmlFragment`, the rich-text notes (y-prosemirror / TipTap layout);
- `canvas`: a `Y.Array` of `Y.Map`, one per stroke or shape.

The server copy lives in PostgreSQL (`CollabDocument.state`): the whole document encoded as one
update, merged (`document_merge`) under a row lock on every write by the service that stores and
publishes edits (`services.collaboration_workspace.collab_document_apply_update`), so the stored
state is always compact and a late joiner receives everything in one sync step 2. This module
reads the stored copy and never writes it. Frames speak the y-websocket protocol: a varuint
message type (0 sync, 1 awareness), then for sync a varuint sub-type (0 step 1, 1 step 2,
2 update) and a length-prefixed payload.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import Any

from pycrdt import Doc

from konnaxion.core.errors import ValidationFailed
from konnaxion.kreative.models import CollabDocument

NOTES = "notes"
CANVAS = "canvas"

MESSAGE_SYNC = 0
MESSAGE_AWARENESS = 1
# An awareness update may describe a few local clients (tabs sharing one provider), not more.
AWARENESS_MAX_CLIENTS = 8
EMPTY_UPDATE = b"\x00\x00"


class SyncStep(enum.IntEnum):
    STEP1 = 0
    STEP2 = 1
    UPDATE = 2


class ProtocolError(ValidationFailed):
    code = "invalid_frame"


class InvalidUpdate(ValidationFailed):
    code = "invalid_update"


@dataclass(frozen=True)
class SyncMessage:
    step: SyncStep
    payload: bytes  # a state vector (step 1) or an update (step 2, update)


@dataclass(frozen=True)
class AwarenessEntry:
    client_id: int
    clock: int
    state: dict[str, Any] | None


@dataclass(frozen=True)
class AwarenessMessage:
    payload: bytes
    entries: tuple[AwarenessEntry, ...]


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.position = 0

    def var_uint(self) -> int:
        value = shift = 0
        while True:
            if self.position >= len(self.data) or shift > 63:
                raise ProtocolError("The frame ends inside a number.")
            byte = self.data[self.position]
            self.position += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    def var_bytes(self) -> bytes:
        length = self.var_uint()
        end = self.position + length
        if end > len(self.data):
            raise ProtocolError("The frame is shorter than its declared payload.")
        chunk = self.data[self.position : end]
        self.position = end
        return chunk


def message_parse(frame: bytes) -> SyncMessage | AwarenessMessage:
    """Decode one binary frame of the y-websocket protocol. Raises ProtocolError."""
    reader = _Reader(frame)
    kind = reader.var_uint()
    if kind == MESSAGE_SYNC:
        step = reader.var_uint()
        if step not in SyncStep._value2member_map_:
            raise ProtocolError("Unknown sync message type.")
        return SyncMessage(SyncStep(step), reader.var_bytes())
    if kind == MESSAGE_AWARENESS:
        payload = reader.var_bytes()
        return AwarenessMessage(payload, _awareness_entries(payload))
    raise ProtocolError("Unknown message type.")


def _awareness_entries(payload: bytes) -> tuple[AwarenessEntry, ...]:
    reader = _Reader(payload)
    count = reader.var_uint()
    if count > AWARENESS_MAX_CLIENTS:
        raise ProtocolError("Too many clients in one awareness update.")
    entries = []
    for _ in range(count):
        client_id, clock = reader.var_uint(), reader.var_uint()
        try:
            state = json.loads(reader.var_bytes().decode() or "null")
        except (UnicodeDecodeError, ValueError) as error:
            raise ProtocolError("An awareness state is not JSON.") from error
        if state is not None and not isinstance(state, dict):
            raise ProtocolError("An awareness state is a JSON object or null.")
        entries.append(AwarenessEntry(client_id, clock, state))
    return tuple(entries)


def _var_uint(value: int) -> bytes:
    out = bytearray()
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def _var_bytes(data: bytes) -> bytes:
    return _var_uint(len(data)) + data


def sync_message(step: SyncStep, payload: bytes) -> bytes:
    """A sync frame: step 1 carries a state vector, step 2 and update carry an update."""
    return bytes([MESSAGE_SYNC, step]) + _var_bytes(payload)


def update_message(update: bytes) -> bytes:
    return sync_message(SyncStep.UPDATE, update)


def awareness_message(payload: bytes) -> bytes:
    return bytes([MESSAGE_AWARENESS]) + _var_bytes(payload)


def awareness_frame(entries: tuple[AwarenessEntry, ...]) -> bytes:
    """An awareness frame carrying these clients' states."""
    payload = _var_uint(len(entries)) + b"".join(
        _var_uint(entry.client_id)
        + _var_uint(entry.clock)
        + _var_bytes(json.dumps(entry.state, separators=(",", ":")).encode())
        for entry in entries
    )
    return awareness_message(payload)


def awareness_removal(entries: tuple[AwarenessEntry, ...]) -> bytes:
    """An awareness frame telling everyone that these clients left (state null, clock + 1)."""
    payload = _var_uint(len(entries)) + b"".join(
        _var_uint(entry.client_id) + _var_uint(entry.clock + 1) + _var_bytes(b"null")
        for entry in entries
    )
    return awareness_message(payload)


def _load(state: bytes) -> Doc[Any]:
    doc: Doc[Any] = Doc()
    if state:
        doc.apply_update(state)
    return doc


def collab_document_state(*, session_id: int) -> bytes:
    """The server copy of the session's document as one update (empty document if none yet)."""
    state = (
        CollabDocument.objects.filter(session_id=session_id).values_list("state", flat=True).first()
    )
    return bytes(state) if state else EMPTY_UPDATE


def collab_document_snapshot(*, session_id: int) -> tuple[bytes, int]:
    """The stored document as one update and its `version`, read together."""
    row = CollabDocument.objects.filter(session_id=session_id).values_list("state", "version")
    state, version = row.first() or (b"", 0)
    return (bytes(state) if state else EMPTY_UPDATE), version


def collab_document_version(*, session_id: int) -> int:
    """How many changing writes the stored document has had (0 before the first)."""
    row = CollabDocument.objects.filter(session_id=session_id).values_list("version", flat=True)
    return row.first() or 0


def sync_step1_frame(*, session_id: int) -> bytes:
    """The server's sync step 1: its state vector, asking the client for what it lacks."""
    state = _load(collab_document_state(session_id=session_id)).get_state()
    return sync_message(SyncStep.STEP1, state)


def sync_step2_frame(*, session_id: int, state_vector: bytes) -> bytes:
    """The answer to a client's sync step 1: every change the client has not seen."""
    return sync_step2_reply(session_id=session_id, state_vector=state_vector)[0]


def sync_step2_reply(*, session_id: int, state_vector: bytes) -> tuple[bytes, int]:
    """`sync_step2_frame` and the document version it brings the client up to."""
    state, version = collab_document_snapshot(session_id=session_id)
    try:
        missing = _load(state).get_update(state_vector)
    except ValueError as error:
        raise InvalidUpdate("The state vector cannot be decoded.") from error
    return sync_message(SyncStep.STEP2, missing), version


def document_merge(state: bytes, update: bytes) -> bytes | None:
    """`state` (a document encoded as one update) with `update` merged in, re-encoded as one
    update (compacted); None when `update` adds nothing (CRDT merge: applying an update twice
    changes nothing). Raises InvalidUpdate."""
    doc = _load(state)
    before = doc.get_update()
    try:
        doc.apply_update(update)
    except ValueError as error:
        raise InvalidUpdate("The update cannot be decoded.") from error
    after = doc.get_update()
    return None if after == before else after
