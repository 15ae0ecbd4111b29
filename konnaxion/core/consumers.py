"""Base WebSocket consumer and the ping echo."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.db import close_old_connections
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Close codes shared by every WebSocket route.
# RFC 6455's "try again later": a service the socket needs (Redis) is unavailable.
CLOSE_TRY_AGAIN_LATER = 1013
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_CONFLICT = 4409


def account_group(user_id: int) -> str:
    """The channel group of every socket one account has open, closed together when the
    account is (`users.services.user_deactivate`)."""
    return f"account.{user_id}"


def database_call(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` (which uses the database) made awaitable for a socket's consumer.

    Channels' `database_sync_to_async` is thread-sensitive by default: every call of the
    process runs in one shared thread, so one socket's slow query holds up every other socket
    of the server. These calls run in the event loop's thread pool instead; a consumer still
    awaits its own calls one after the other. Each thread's connection is closed when stale,
    before and after every call (as Channels does, but inside the call's own context: the
    connection the function opened is the one closed).
    """

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> Any:
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(call, thread_sensitive=False)


class SocketConsumer(AsyncJsonWebsocketConsumer):
    """Base of every socket here: JSON errors, and refusals whose close code the client sees.

    A close sent before the handshake is accepted is turned by the ASGI server (uvicorn, daphne)
    into an HTTP 403: the browser sees close code 1006 and never the reason. So every refusal
    goes through `refuse()`, which accepts the handshake and closes at once with the code.
    Refused at the handshake (403), before any consumer runs, are only a foreign `Origin`
    (`AllowedHostsOriginValidator`, config/asgi.py: a cross-site page gets no socket at all)
    and oversized headers (`core.asgi.RequestHeaderLimit`).
    """

    accepted = False
    refused = False

    async def accept(self, subprotocol: str | None = None, headers=None) -> None:
        await super().accept(subprotocol, headers)
        self.accepted = True

    async def refuse(self, code: int, *, error: tuple[str, str] | None = None) -> None:
        """Refuse this socket with close `code`, after `{"type": "error", "code", "message"}`
        when `error` gives its code and message. The socket joins no group and is sent nothing
        else; whatever reaches it afterwards (client frames, channel-layer events) is dropped."""
        self.refused = True
        # Not `self.accept()`: a subclass's accept admits (joins the account's group).
        await self.base_send({"type": "websocket.accept"})
        self.accepted = True
        if error is not None:
            await self.send_error(*error)
        await self.close(code=code)

    async def dispatch(self, message: dict[str, Any]) -> None:
        if self.refused and message["type"] != "websocket.disconnect":
            return
        await super().dispatch(message)

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})


class AuthenticatedConsumer(SocketConsumer):
    """Refuses anonymous clients (4401); subclasses authorize in `connect` (refusing with
    `refuse()`) and on every event.

    When Redis (the channel layer, the room slots) fails, the socket is closed with
    CLOSE_TRY_AGAIN_LATER instead of being dropped: clients reconnect and resume (`since`, the
    room's sync), nothing they were told was stored is lost.
    """

    async def __call__(self, scope, receive, send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except RedisError as exc:
            logger.warning("WebSocket %s closed, Redis failed: %r", scope.get("path"), exc)
            # The client may be gone already; there is nobody left to tell then.
            with contextlib.suppress(RuntimeError, OSError):
                if not self.accepted:
                    await send({"type": "websocket.accept"})
                await send({"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER})

    async def accept(self, subprotocol: str | None = None, headers=None) -> None:
        """Admit the socket: it joins its account's group (closed with the account)."""
        await super().accept(subprotocol, headers)
        user = self.scope.get("user")
        if user is not None and user.is_authenticated:
            # Listed in `groups`, so Channels leaves the group when the socket disconnects.
            group = account_group(user.pk)
            self.groups = [*self.groups, group]
            await self.channel_layer.group_add(group, self.channel_name)

    async def account_closed(self, event: dict[str, Any]) -> None:
        """The account was closed: its sockets stop here, whatever they were listening to."""
        await self.close(code=CLOSE_UNAUTHENTICATED)

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.refuse(CLOSE_UNAUTHENTICATED)
            return
        await self.accept()
        await self.on_accepted()

    async def on_accepted(self) -> None:
        """Hook run after the socket is accepted."""

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        """A frame that is not JSON text (a bytes frame, broken or too deeply nested JSON) is
        answered with an `invalid` error; Channels' JSON consumer would raise and drop the
        socket."""
        if text_data is None:
            await self.send_error("invalid", "Send JSON text frames.")
            return
        try:
            content = await self.decode_json(text_data)
        except (ValueError, RecursionError):
            await self.send_error("invalid", "Send JSON text frames.")
            return
        await self.receive_json(content, **kwargs)


class NotFoundConsumer(SocketConsumer):
    """Answers a WebSocket address no route knows with CLOSE_NOT_FOUND (Channels' router
    would raise, and the server drop the handshake with an error in its log)."""

    async def connect(self) -> None:
        await self.refuse(CLOSE_NOT_FOUND)


class PingConsumer(AuthenticatedConsumer):
    """Echoes every JSON message back through the Redis channel layer (a liveness probe)."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        try:
            await self.channel_layer.send(self.channel_name, {"type": "echo", "payload": content})
        except (OverflowError, ValueError):
            # The layer's msgpack carries no integer past 64 bits and no deeper nesting.
            await self.send_error("invalid", "This payload cannot be echoed.")

    async def echo(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "pong", "payload": event["payload"]})
