"""Base WebSocket consumer and the ping echo."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

# Close codes shared by every WebSocket route.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_CONFLICT = 4409


class AuthenticatedConsumer(AsyncJsonWebsocketConsumer):
    """Refuses anonymous clients; subclasses authorize in `authorize()` and every event."""

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.accept()
        await self.on_accepted()

    async def on_accepted(self) -> None:
        """Hook run after the socket is accepted."""

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})


class PingConsumer(AuthenticatedConsumer):
    """Echoes every JSON message back through the Redis channel layer (a liveness probe)."""

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.channel_layer.send(self.channel_name, {"type": "echo", "payload": content})

    async def echo(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "pong", "payload": event["payload"]})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None:
            await self.send_error("invalid", "Send JSON text frames.")
            return
        try:
            await super().receive(text_data=text_data)
        except ValueError:
            await self.send_error("invalid", "Send JSON text frames.")
