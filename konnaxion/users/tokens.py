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
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
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
    per LAST_USED_RESOLUTION). One query, as a single key lookup costs. Raises TokenRefused."""
    if not key or len(key) > KEY_MAX_LENGTH:
        raise TokenRefused()
    now = timezone.now()
    token = _token_touched(key_hash=key_digest(key), now=now)
    if token is None:
        raise TokenRefused()
    if token.revoked_at is not None:
        raise TokenRefused("This token was revoked.", code="token_revoked")
    if token.expires_at is not None and token.expires_at <= now:
        raise TokenRefused("This token has expired.", code="token_expired")
    if not token.owner.is_active:
        raise TokenRefused("User inactive or deleted.")
    return token


def _token_touched(*, key_hash: str, now: datetime) -> PersonalToken | None:
    """The token of digest `key_hash` with its owner, read by the ORM's own SELECT, and in the
    same statement its last use set to `now` when the token is usable and its last use is older
    than LAST_USED_RESOLUTION (a conditional UPDATE: concurrent calls within the minute write
    once, and a busy script does not write on every call)."""
    select = PersonalToken.objects.select_related("owner").filter(key_hash=key_hash)
    select_sql, select_params = select.query.sql_with_params()
    table = connection.ops.quote_name(PersonalToken._meta.db_table)
    # PostgreSQL runs a data-modifying WITH whatever the main query reads; the SELECT sees the
    # row as it was before this statement.
    touch = (
        f"WITH touched AS (UPDATE {table} SET last_used_at = %s WHERE key_hash = %s "  # noqa: S608 - table name from the model, values as parameters
        "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > %s) "
        "AND (last_used_at IS NULL OR last_used_at < %s) RETURNING id) "
    )
    sql = touch + select_sql
    params = (now, key_hash, now, now - LAST_USED_RESOLUTION, *select_params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    token_fields = [field.attname for field in PersonalToken._meta.concrete_fields]
    user_fields = [field.attname for field in User._meta.concrete_fields]
    token = PersonalToken.from_db(connection.alias, token_fields, row[: len(token_fields)])
    token.owner = User.from_db(connection.alias, user_fields, row[len(token_fields) :])
    usable = token.revoked_at is None and (token.expires_at is None or token.expires_at > now)
    stale = token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION
    if usable and stale:
        token.last_used_at = now
    return token
