"""`/ws/notifications/`: a signed-in person's unread count and new notifications, live."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any

from django.conf import settings
from django.utils import translation

from konnaxion.core.consumers import CLOSE_UNAUTHENTICATED, AuthenticatedConsumer, database_call
from konnaxion.notifications.selectors import (
    notifications_unread_count,
    notifications_visible_to,
)
from konnaxion.notifications.services.delivery import notifications_group
from konnaxion.notifications.texts import notification_as_dict
from konnaxion.users.models import User


def _language(scope: dict[str, Any]) -> str:
    """The page's language: the language cookie, else the first supported Accept-Language."""
    supported = dict(settings.LANGUAGES)
    headers = dict(scope.get("headers") or [])
    cookie = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
    chosen = cookie.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and chosen.value in supported:
        return chosen.value
    for part in headers.get(b"accept-language", b"").decode("latin-1").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in supported:
            return code
    return settings.LANGUAGE_CODE


def _snapshot(user: User, notification_id: int | None, language: str) -> dict[str, Any] | None:
    """The unread count and, when still visible to `user`, the new notification in
    `language`; None once the account is closed."""
    fresh = User.objects.filter(pk=user.pk, is_active=True).first()
    if fresh is None:
        return None
    message: dict[str, Any] = {"type": "count", "unread": notifications_unread_count(user=fresh)}
    if notification_id is not None:
        notification = notifications_visible_to(user=fresh).filter(pk=notification_id).first()
        if notification is not None:
            with translation.override(language):
                message = {
                    "type": "notification",
                    "unread": message["unread"],
                    "notification": notification_as_dict(notification),
                }
    return message


class NotificationConsumer(AuthenticatedConsumer):
    """Sends `{"type": "count", "unread"}` on connect and whenever the count changes, and
    `{"type": "notification", "unread", "notification"}` when one arrives; each checked
    against what the user may see when it is sent (a notification about something they lost
    access to meanwhile is not sent). Anonymous clients are refused (4401), closed accounts
    closed (4401)."""

    group: str | None = None

    async def on_accepted(self) -> None:
        user = self.scope["user"]
        self.language = _language(self.scope)
        self.group = notifications_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self._send_snapshot(None)

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_error("invalid", "This socket only listens.")

    async def _send_snapshot(self, notification_id: int | None) -> None:
        message = await database_call(_snapshot)(self.scope["user"], notification_id, self.language)
        if message is None:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.send_json(message)

    async def notification_created(self, event: dict[str, Any]) -> None:
        await self._send_snapshot(int(event["id"]))

    async def notification_count(self, event: dict[str, Any]) -> None:
        await self._send_snapshot(None)
