"""`Authorization: Token <key>` for the API: personal tokens (konnaxion/users/tokens.py)."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request

from konnaxion.users.models import PersonalToken, User
from konnaxion.users.tokens import TokenRefused, personal_token_authenticate


class TokenRevoked(exceptions.AuthenticationFailed):
    default_code = "token_revoked"


class TokenExpired(exceptions.AuthenticationFailed):
    default_code = "token_expired"


class TokenReadOnly(exceptions.PermissionDenied):
    default_detail = "This token is read-only: it may only read (GET, HEAD, OPTIONS)."
    default_code = "token_read_only"


_REFUSALS: dict[str, type[exceptions.AuthenticationFailed]] = {
    TokenRevoked.default_code: TokenRevoked,
    TokenExpired.default_code: TokenExpired,
}


class PersonalTokenAuthentication(TokenAuthentication):
    """DRF's `Token <key>` scheme (401 with `WWW-Authenticate: Token` when refused), checked
    against personal tokens: revoked (`token_revoked`) and expired (`token_expired`) keys are
    refused, and a read-only token is refused any unsafe method (403 `token_read_only`).
    The WebSocket authentication (konnaxion/core/asgi.py) calls `authenticate_credentials`."""

    def authenticate(self, request: Request) -> tuple[User, PersonalToken] | None:
        result = super().authenticate(request)
        if result is not None and result[1].read_only and request.method not in SAFE_METHODS:
            raise TokenReadOnly()
        return result

    def authenticate_credentials(self, key: Any) -> tuple[User, PersonalToken]:
        try:
            token = personal_token_authenticate(key=key)
        except TokenRefused as refusal:
            raise _REFUSALS.get(refusal.code, exceptions.AuthenticationFailed)(
                refusal.message
            ) from refusal
        return token.owner, token
