"""The collaboration room socket: `/ws/connect/workspaces/<session id>/` (see docs/rooms.md).

Binary frames speak the y-websocket protocol (sync and awareness); text frames carry JSON
(welcome, heartbeat, chat, chat history, presence, errors). Every room is the channel-layer group
`room_group(<id>)`, so clients on different server processes see each other. Chat lines and
document edits are stored and published to the room by their services (after commit); the socket
relays them. Presence and awareness (`room.joined`, `room.left`, `room.awareness`) are not
stored state, so the socket publishes them to the room itself.

Access is decided by `collab_room_access` when connecting and again while the socket is open:
at once when a service says someone's access changed (`room.access_changed`), before every chat
message delivered, and at least once per heartbeat interval before anything else is received or
delivered. A socket that lost its access is told (`access_revoked`) and closed with 4403.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from asgiref.sync import sync_to_async
from django.conf import settings

from konnaxion.core.consumers import (
    CLOSE_CONFLICT,
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    AuthenticatedConsumer,
    database_call,
)
from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.kreative import selectors
from konnaxion.kreative.realtime import documents, slots
from konnaxion.kreative.realtime.documents import AwarenessEntry, AwarenessMessage, SyncStep
from konnaxion.kreative.services.collab_sessions import room_group
from konnaxion.kreative.services.collaboration_workspace import (
    ACTIVITY_RESOLUTION,
    chat_message_json,
    collab_chat_message_post,
    collab_document_apply_update,
    workspace_touch,
)

EDITOR = "editor"
VIEWER = "viewer"
MAX_FRAME_BYTES = 1024 * 1024
CHAT_PAGE_SIZE = 50


class RoomConsumer(AuthenticatedConsumer):
    """One person in one room, as an editor (holding one of the room's slots) or a viewer."""

    session_id: int
    group: str | None = None
    role: str | None = None

    def room_access(self, user, session_id: int) -> str | None:
        """ "editor", "viewer" or None (refused): the one authorization rule of the room."""
        return selectors.collab_room_access(user=user, session_id=session_id)

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        access = await database_call(self.room_access)(user, self.session_id)
        self.access_checked_at = time.monotonic()
        if access is None:
            # Refused and unknown rooms look alike: nobody learns which sessions exist.
            await self.refuse(CLOSE_NOT_FOUND)
            return
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        # A read-only API token may listen to a room, never edit it.
        wants_viewer = query.get("role", [EDITOR])[-1] == VIEWER or self.scope.get(
            "token_read_only", False
        )
        self.role = VIEWER if access == VIEWER or wants_viewer else EDITOR
        self.connection_id = uuid.uuid4().hex
        if self.role == EDITOR and not await self._acquire_slot():
            self.role = None  # no slot was taken: there is none to free on disconnect
            await self.refuse(
                CLOSE_CONFLICT,
                error=("room_full", "The room already has its maximum of editors."),
            )
            return
        self.group = room_group(self.session_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        # Asked again now that the room's events reach this socket: a change committed since
        # the first check is seen here, and any later one is announced to the group.
        if await database_call(self.room_access)(user, self.session_id) is None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            if self.role == EDITOR:
                await sync_to_async(slots.slot_release, thread_sensitive=False)(
                    room_id=self.session_id, connection_id=self.connection_id, user_id=user.pk
                )
            self.group = self.role = None
            await self.refuse(CLOSE_NOT_FOUND)
            return
        self.awareness: dict[int, AwarenessEntry] = {}
        # Document versions the client is known to have: all up to `doc_version` (None before
        # its first sync), and those in `doc_ahead` above it.
        self.doc_version: int | None = None
        self.doc_ahead: set[int] = set()
        await self._touch(joined=True)
        await self.accept()
        await self.send_json(
            {
                "type": "welcome",
                "session": self.session_id,
                "user": user.username,
                "role": self.role,
                "max_editors": settings.COLLAB_CANVAS_MAX_USERS,
                "heartbeat_seconds": settings.COLLAB_ROOM_HEARTBEAT_SECONDS,
            }
        )
        if self.role == EDITOR:
            # Ask for the client's offline edits; a viewer has none to give.
            step1 = await database_call(documents.sync_step1_frame)(session_id=self.session_id)
            await self.send(bytes_data=step1)
        await self._group_send("room.joined", user=user.username, role=self.role)

    async def disconnect(self, code: int) -> None:
        if self.role == EDITOR:
            await sync_to_async(slots.slot_release, thread_sensitive=False)(
                room_id=self.session_id, connection_id=self.connection_id, user_id=self.user.pk
            )
        if self.group is None:
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        removal = documents.awareness_removal(tuple(self.awareness.values()))
        await self._group_send("room.left", user=self.user.username, awareness=removal)
        self.group = None

    # Access while connected

    async def _recheck_access(self) -> bool:
        """Ask the access rule again; a socket that lost access is told and closed."""
        if self.group is None:
            return False
        access = await database_call(self.room_access)(self.user, self.session_id)
        self.access_checked_at = time.monotonic()
        if access is None:
            await self._revoke()
            return False
        return True

    async def _still_allowed(self, *, now: bool = False) -> bool:
        """Whether this socket may still send or receive: re-checked when `now`, else when the
        last check is older than a heartbeat interval (a lost event costs at most that long)."""
        if self.group is None:
            return False
        age = time.monotonic() - self.access_checked_at
        if now or age >= settings.COLLAB_ROOM_HEARTBEAT_SECONDS:
            return await self._recheck_access()
        return True

    async def _revoke(self) -> None:
        """Leave the room for good: free the slot, leave the group (nothing more is delivered),
        tell the others this person left, tell the client why, close with 4403."""
        if self.role == EDITOR:
            await sync_to_async(slots.slot_release, thread_sensitive=False)(
                room_id=self.session_id, connection_id=self.connection_id, user_id=self.user.pk
            )
        group, self.group, self.role = self.group, None, None
        await self.channel_layer.group_discard(group, self.channel_name)
        removal = documents.awareness_removal(tuple(self.awareness.values()))
        await self.channel_layer.group_send(
            group,
            {
                "type": "room.left",
                "sender": self.channel_name,
                "user": self.user.username,
                "awareness": removal,
            },
        )
        await self.send_error("access_revoked", "You no longer have access to this room.")
        await self.close(code=CLOSE_FORBIDDEN)

    async def room_access_changed(self, event: dict) -> None:
        """A service changed someone's access (a block, a deactivation): re-check ours."""
        if event["user_ids"] is None or self.user.pk in event["user_ids"]:
            await self._still_allowed(now=True)

    # Editor slots

    async def _acquire_slot(self) -> bool:
        checked = time.monotonic()
        outcome = await sync_to_async(slots.slot_acquire, thread_sensitive=False)(
            room_id=self.session_id, connection_id=self.connection_id, user_id=self.user.pk
        )
        self.slot_valid_until = checked + settings.COLLAB_ROOM_SLOT_TTL_SECONDS
        return outcome != slots.SlotResult.ROOM_FULL

    async def _keep_slot(self) -> bool:
        """Refresh this editor's slot, taking a free one if it lapsed; close when none is left."""
        checked = time.monotonic()
        alive = await sync_to_async(slots.slot_heartbeat, thread_sensitive=False)(
            room_id=self.session_id, connection_id=self.connection_id, user_id=self.user.pk
        )
        if alive:
            self.slot_valid_until = checked + settings.COLLAB_ROOM_SLOT_TTL_SECONDS
            return True
        if await self._acquire_slot():
            return True
        await self.send_error("room_full", "Your editor slot lapsed and the room is full.")
        await self.close(code=CLOSE_CONFLICT)
        return False

    async def _may_write(self) -> bool:
        if self.role != EDITOR:
            await self.send_error("read_only", "You joined this room read-only.")
            return False
        if time.monotonic() < self.slot_valid_until:
            return True
        return await self._keep_slot()

    # Frames from the client

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not await self._still_allowed():
            return
        size = len(bytes_data) if bytes_data is not None else len(text_data or "")
        if size > MAX_FRAME_BYTES:
            await self.send_error(
                "frame_too_large", f"Frames hold at most {MAX_FRAME_BYTES} bytes."
            )
            return
        try:
            if bytes_data is not None:
                await self._receive_frame(bytes_data)
            else:
                await self._receive_text(text_data or "")
        except ApplicationError as error:
            await self.send_error(error.code, error.message)

    async def _receive_text(self, text: str) -> None:
        try:
            content = json.loads(text)
        except (ValueError, RecursionError):
            content = None
        if not isinstance(content, dict):
            await self.send_error("invalid", "Text frames are JSON objects with a type.")
            return
        handlers = {
            "heartbeat": self._heartbeat,
            "chat": self._chat,
            "chat_history": self._chat_history,
        }
        handler = handlers.get(content.get("type"))
        if handler is None:
            await self.send_error("invalid", f"Known types: {', '.join(sorted(handlers))}.")
            return
        await handler(content)

    async def _heartbeat(self, content: dict) -> None:
        if self.role == EDITOR and not await self._keep_slot():
            return
        if time.monotonic() - self.touched_at >= ACTIVITY_RESOLUTION.total_seconds():
            await self._touch()
        await self._resync_if_behind()
        await self.send_json({"type": "heartbeat"})

    async def _touch(self, *, joined: bool = False) -> None:
        """Record that the room is in use (the idle auto-end reads it)."""
        self.touched_at = time.monotonic()
        await database_call(workspace_touch)(
            session_id=self.session_id, user_id=self.user.pk, joined=joined
        )

    async def _chat(self, content: dict) -> None:
        if not await self._may_write():
            return
        try:
            # Stored and published to the room, this socket included, before the call returns
            # (no transaction is open here): the author's echo keeps its place in the order.
            await database_call(collab_chat_message_post)(
                session_id=self.session_id, author=self.user, body=content.get("body")
            )
        except NotFound:
            await self._recheck_access()  # the service found no access any more: close

    async def _chat_history(self, content: dict) -> None:
        before = content.get("before")
        if before is not None and (type(before) is not int or before < 1):
            await self.send_error("invalid", "`before` is a message id.")
            return
        messages, has_more = await database_call(selectors.collab_chat_history)(
            session_id=self.session_id, before_id=before, limit=CHAT_PAGE_SIZE
        )
        await self.send_json(
            {
                "type": "chat_history",
                "messages": [chat_message_json(message) for message in messages],
                "has_more": has_more,
            }
        )

    async def _receive_frame(self, frame: bytes) -> None:
        message = documents.message_parse(frame)
        if isinstance(message, AwarenessMessage):
            for entry in message.entries:
                if entry.state is None:
                    self.awareness.pop(entry.client_id, None)
                else:
                    self.awareness[entry.client_id] = entry
            await self._group_send("room.awareness", frame=frame)
            return
        if message.step == SyncStep.STEP1:
            reply, version = await database_call(documents.sync_step2_reply)(
                session_id=self.session_id, state_vector=message.payload
            )
            await self.send(bytes_data=reply)
            self._doc_known(version, up_to=True)
            return
        if message.payload == documents.EMPTY_UPDATE or not await self._may_write():
            return
        # Stored and published to the room, this socket excepted, before the call returns (no
        # transaction is open here): edits and chat lines reach the room in the order sent.
        change = await database_call(collab_document_apply_update)(
            session_id=self.session_id, update=message.payload, sender=self.channel_name
        )
        if change.changed:
            self._doc_known(change.version)

    # Events from the room's group

    async def _group_send(self, kind: str, **fields: Any) -> None:
        """Publish presence or awareness to the room (stored state is published by services)."""
        await self.channel_layer.group_send(
            self.group, {"type": kind, "sender": self.channel_name, **fields}
        )

    async def room_update(self, event: dict) -> None:
        if event["sender"] == self.channel_name or not await self._still_allowed():
            return
        version = event["version"]
        if self.doc_version is not None and (
            version <= self.doc_version or version in self.doc_ahead
        ):
            return  # the client has it already (from a sync answer)
        await self.send(bytes_data=documents.update_message(event["update"]))
        if self.doc_version is not None:
            self._doc_known(version)
            if self.doc_ahead:
                # Updates before this one never came: the channel layer dropped them while
                # this consumer was behind (it keeps 100 messages), or they come late.
                await self._resync()

    # Keeping the client's copy whole

    def _doc_known(self, version: int, *, up_to: bool = False) -> None:
        """Note that the client has `version` (and every earlier one when `up_to`)."""
        if up_to or self.doc_version is None:
            self.doc_version = max(self.doc_version or 0, version)
        elif version > self.doc_version:
            self.doc_ahead.add(version)
        while self.doc_version + 1 in self.doc_ahead:
            self.doc_version += 1
        self.doc_ahead = {known for known in self.doc_ahead if known > self.doc_version}

    async def _resync(self) -> None:
        """Send the whole stored document (Yjs ignores what the client has) and the latest chat
        page (clients merge messages by id): whatever the channel layer dropped is restored."""
        state, version = await database_call(documents.collab_document_snapshot)(
            session_id=self.session_id
        )
        await self.send(bytes_data=documents.sync_message(SyncStep.STEP2, state))
        self._doc_known(version, up_to=True)
        await self._chat_history({})

    async def _resync_if_behind(self) -> None:
        """On a heartbeat: resync a client whose copy lacks stored versions (the last updates
        relayed to it were dropped, so no later one showed the gap)."""
        if self.doc_version is None:
            return
        stored = await database_call(documents.collab_document_version)(session_id=self.session_id)
        if any(
            version not in self.doc_ahead for version in range(self.doc_version + 1, stored + 1)
        ):
            await self._resync()

    async def room_awareness(self, event: dict) -> None:
        if event["sender"] != self.channel_name and await self._still_allowed():
            await self.send(bytes_data=event["frame"])

    async def room_chat(self, event: dict) -> None:
        # Checked before every message: chat is rare, and a line is what must never leak.
        if await self._still_allowed(now=True):
            await self.send_json({"type": "chat", "message": event["message"]})

    async def room_joined(self, event: dict) -> None:
        if event["sender"] == self.channel_name or not await self._still_allowed():
            return
        await self.send_json(
            {"type": "presence", "event": "joined", "user": event["user"], "role": event["role"]}
        )
        # Tell the newcomer who is already here, with this client's cursor and selection.
        await self.channel_layer.send(
            event["sender"],
            {
                "type": "room.here",
                "user": self.user.username,
                "role": self.role,
                "awareness": self._awareness_frame(),
            },
        )

    async def room_here(self, event: dict) -> None:
        if not await self._still_allowed():
            return
        await self.send_json(
            {"type": "presence", "event": "here", "user": event["user"], "role": event["role"]}
        )
        if event["awareness"]:
            await self.send(bytes_data=event["awareness"])

    async def room_left(self, event: dict) -> None:
        if event["sender"] == self.channel_name or not await self._still_allowed():
            return
        await self.send_json({"type": "presence", "event": "left", "user": event["user"]})
        if event["awareness"] != documents.awareness_removal(()):
            await self.send(bytes_data=event["awareness"])

    async def room_session_ended(self, event: dict) -> None:
        """The host (or the idle auto-end) ended the session: the room is read-only from now."""
        if not await self._still_allowed():
            return
        if self.role == EDITOR:
            await sync_to_async(slots.slot_release, thread_sensitive=False)(
                room_id=self.session_id, connection_id=self.connection_id, user_id=self.user.pk
            )
        self.role = VIEWER
        await self.send_json(
            {
                "type": "session_ended",
                "role": VIEWER,
                "ended_at": event["ended_at"],
                "final_artwork": event["final_artwork"],
            }
        )

    def _awareness_frame(self) -> bytes | None:
        """This client's last awareness states, as one awareness frame (None before any)."""
        if not self.awareness:
            return None
        return documents.awareness_frame(tuple(self.awareness.values()))
