"""ASGI middleware: request header and body limits, and WebSocket authentication."""

from __future__ import annotations

import json
from typing import Any

from asgiref.typing import ASGIReceiveCallable, ASGISendCallable
from channels.auth import AuthMiddleware, get_user
from channels.middleware import BaseMiddleware
from channels.sessions import CookieMiddleware, SessionMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from konnaxion.core.consumers import database_call
from konnaxion.core.errors import error_body

Scope = dict[str, Any]


class RequestHeaderLimit:
    """Refuse requests whose headers are too many or too large, before anything reads them.

    uvicorn's HTTP parser (httptools) accepts header blocks of any size and number, and Django
    copies every header into `request.META`. Past `REQUEST_MAX_HEADERS` headers or
    `REQUEST_MAX_HEADER_BYTES` bytes (names and values), an HTTP request is answered 431
    (the JSON error body under `/api/`, plain text elsewhere) and a WebSocket handshake is
    refused.
    """

    def __init__(self, app: Any, *, api_prefix: str = "/api/") -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(
        self, scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable
    ) -> None:
        if scope["type"] not in ("http", "websocket") or _headers_fit(scope):
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        if scope["path"].startswith(self.api_prefix):
            body = json.dumps(
                error_body(
                    "request_headers_too_large",
                    "The request headers are too large.",
                    {
                        "max_headers": settings.REQUEST_MAX_HEADERS,
                        "max_header_bytes": settings.REQUEST_MAX_HEADER_BYTES,
                    },
                )
            ).encode()
            content_type = b"application/json"
        else:
            body, content_type = b"Request headers too large.\n", b"text/plain; charset=utf-8"
        await send(
            {
                "type": "http.response.start",
                "status": 431,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _headers_fit(scope: Scope) -> bool:
    headers = scope.get("headers", [])
    if len(headers) > settings.REQUEST_MAX_HEADERS:
        return False
    return sum(len(name) + len(value) for name, value in headers) <= (
        settings.REQUEST_MAX_HEADER_BYTES
    )


class RequestBodyLimit:
    """Refuse API bodies over `API_MAX_REQUEST_BYTES` with a JSON 413.

    Decided from `Content-Length` before the body is read when the client sends it, and
    enforced while the body streams in when it does not (chunked uploads): the application then
    sees the body end as a disconnect, and its own answer, if it has not begun one yet, is
    replaced by the 413 (a view reading a streamed body fails and cleans up first).
    """

    def __init__(self, app: Any, *, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(
        self, scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable
    ) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefix):
            return await self.app(scope, receive, send)
        limit = settings.API_MAX_REQUEST_BYTES
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            return await _send_too_large(send, limit)

        received = 0
        exceeded = False
        started = False

        async def limited_receive() -> Any:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    # Django stops reading at a disconnect and never runs the view.
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Any) -> None:
            nonlocal started
            if exceeded and not started:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, limited_receive, tracking_send)
        if exceeded and not started:
            await _send_too_large(send, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_too_large(send: ASGISendCallable, limit: int) -> None:
    body = json.dumps(
        error_body(
            "request_too_large",
            "The request body is too large.",
            {"max_bytes": limit},
        )
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class TokenAuthMiddleware(BaseMiddleware):
    """Authenticate a WebSocket by an `Authorization: Token <key>` header (non-browser clients),
    with the token authentication of the API: a key the API refuses opens no socket here.
    `scope["token_read_only"]` tells consumers that the token may only listen."""

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> Any:
        key = _token_key(scope)
        if key is not None:
            user, read_only = await _user_for_token(key)
            scope = dict(scope, user=user, token_read_only=read_only)
        return await super().__call__(scope, receive, send)


def _token_key(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            kind, _, key = value.decode("latin-1").partition(" ")
            if kind.lower() == "token" and key.strip():
                return key.strip()
    return None


@database_call
def _user_for_token(key: str) -> tuple[Any, bool]:
    """The token's user (anonymous when refused) and whether the token is read-only, asked of
    the API's token authentication class (REST_FRAMEWORK's DEFAULT_AUTHENTICATION_CLASSES)."""
    from rest_framework.authentication import TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.settings import api_settings

    for authentication in api_settings.DEFAULT_AUTHENTICATION_CLASSES:
        if issubclass(authentication, TokenAuthentication):
            try:
                user, token = authentication().authenticate_credentials(key)
            except AuthenticationFailed:
                break
            return user, bool(getattr(token, "read_only", False))
    return AnonymousUser(), False


class SessionAuthMiddleware(AuthMiddleware):
    """Channels' AuthMiddleware, with the session and user lookup run by `database_call`
    instead of Channels' shared database thread."""

    async def resolve_scope(self, scope: Scope) -> None:
        scope["user"]._wrapped = await database_call(get_user.__wrapped__)(scope)


def WebSocketAuthMiddleware(inner: Any) -> Any:
    """Session cookie (browsers) or token header (other clients), the token taking precedence."""
    return CookieMiddleware(SessionMiddleware(SessionAuthMiddleware(TokenAuthMiddleware(inner))))
