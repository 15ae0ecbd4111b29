"""Personal API tokens: made, revoked and checked here (docs/accounts.md, "API tokens").

A key is `knx_` and 40 URL-safe characters from `secrets` (240 bits). Only its SHA-256 is
stored and a token is found by that digest, so the database never holds a usable key. Keys made
before personal tokens existed (40 hexadecimal characters) were moved here with their digest
(migration 0003) and keep working.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from konnaxion.core.errors import ApplicationError, Conflict, NotFound, ValidationFailed
from konnaxion.users.models import PersonalToken, User
from konnaxion.users.selectors import personal_tokens_live

KEY_PREFIX = "knx_"
KEY_BYTES = 30
# How many characters of the key its owner sees again, to recognise it.
VISIBLE_CHARACTERS = 12
NAME_MAX_LENGTH = 100  # PersonalToken.name
MAX_EXPIRY_DAYS = 365
# A token's last use is written at most this often: a busy script does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# Longer than any key; a header longer than this is refused without hashing it.
KEY_MAX_LENGTH = 128


class TokenRefused(ApplicationError):
    """A key that authenticates nobody: unknown (`authentication_failed`), revoked
    (`token_revoked`), expired (`token_expired`), or its owner's account is closed."""

    code = "authentication_failed"
    status = 401
    message = "Invalid token."


@dataclass(frozen=True)
class NewToken:
    """A token just made, with the key that is never available again."""

    token: PersonalToken
    key: str


def key_digest(key: str) -> str:
    """The stored form of `key`."""
    return hashlib.sha256(key.encode()).hexdigest()


def personal_token_create(
    *, owner: User, name: str, expires_in_days: int | None = None, read_only: bool = False
) -> NewToken:
    """Make a token for `owner`, expiring in `expires_in_days` (1 to 365) or never.
    Raises ValidationFailed, Conflict (`token_limit_reached`: too many live tokens)."""
    name = name.strip()
    if not name or len(name) > NAME_MAX_LENGTH:
        raise ValidationFailed(
            details={"fields": {"name": f"between 1 and {NAME_MAX_LENGTH} characters"}}
        )
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise ValidationFailed(
            details={"fields": {"expires_in_days": f"between 1 and {MAX_EXPIRY_DAYS}"}}
        )
    now = timezone.now()
    with transaction.atomic():
        # One token made at a time per owner, so the limit holds under concurrent requests.
        User.objects.select_for_update(no_key=True).filter(pk=owner.pk).first()
        if personal_tokens_live(owner=owner).count() >= settings.PERSONAL_TOKENS_MAX_LIVE:
            raise Conflict(
                "You have too many active tokens; revoke some you no longer use.",
                code="token_limit_reached",
                details={"limit": settings.PERSONAL_TOKENS_MAX_LIVE},
            )
        key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
        token = PersonalToken.objects.create(
            owner=owner,
            name=name,
            key_hash=key_digest(key),
            prefix=key[:VISIBLE_CHARACTERS],
            read_only=read_only,
            created_at=now,
            expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        )
    return NewToken(token=token, key=key)


@transaction.atomic
def personal_token_revoke(*, owner: User, token_id: int) -> PersonalToken:
    """Revoke `owner`'s token `token_id` for good; revoking twice is harmless.
    Raises NotFound (also for someone else's token)."""
    token = (
        PersonalToken.objects.select_for_update(no_key=True)
        .filter(owner=owner, pk=token_id)
        .first()
    )
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def personal_tokens_revoke_all(*, owner: User) -> int:
    """Revoke every token of `owner` still usable; returns how many."""
    return PersonalToken.objects.filter(owner=owner, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def personal_token_authenticate(*, key: str) -> PersonalToken:
    """The token whose key is `key`, its owner loaded, its last use recorded (at most once
    per LAST_USED_RESOLUTION). Raises TokenRefused."""
    if not key or len(key) > KEY_MAX_LENGTH:
        raise TokenRefused()
    token = PersonalToken.objects.select_related("owner").filter(key_hash=key_digest(key)).first()
    if token is None:
        raise TokenRefused()
    now = timezone.now()
    if token.revoked_at is not None:
        raise TokenRefused("This token was revoked.", code="token_revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused("This token has expired.", code="token_expired")
    if not token.owner.is_active:
        raise TokenRefused("User inactive or deleted.")
    # A conditional UPDATE: concurrent calls within the minute write once, none reads first.
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
    if PersonalToken.objects.filter(stale, pk=token.pk).update(last_used_at=now):
        token.last_used_at = now
    return token
