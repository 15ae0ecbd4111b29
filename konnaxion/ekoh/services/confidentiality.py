"""How a user's identity appears beside scores: public, pseudonym or anonymous."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from konnaxion.ekoh.models import ConfidentialitySetting
from konnaxion.users.models import User

Level = ConfidentialitySetting.Level


def confidentiality_set(*, user: User, level: str) -> ConfidentialitySetting:
    """Store the user's confidentiality level. Raises ValueError for an unknown level."""
    if level not in Level.values:
        raise ValueError(level)
    setting, _ = ConfidentialitySetting.objects.update_or_create(
        user=user, defaults={"level": level}
    )
    return setting


def pseudonym_for(user: User) -> str:
    """A stable pseudonym that does not reveal the user id (keyed hash of it)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"ekoh-pseudonym:{user.pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"expert-{digest[:12]}"


def level_of(user: User) -> str:
    """The user's level; needs `confidentiality_setting` selected to stay query-free."""
    try:
        return user.confidentiality_setting.level
    except ConfidentialitySetting.DoesNotExist:
        return Level.PUBLIC


def identity_for(
    *, user: User, viewer: User | AnonymousUser | None = None, shown: bool = True
) -> dict[str, str] | None:
    """What may be shown of `user` beside a score: None when anonymous, or when `shown` is False
    (the viewer may not learn the account exists: hidden profile, block, closed account).

    A user always sees their own identity.
    """
    own = viewer is not None and viewer.pk == user.pk
    if not own and not shown:
        return None
    level = Level.PUBLIC if own else level_of(user)
    if level == Level.ANONYMOUS:
        return None
    if level == Level.PSEUDONYM:
        return {"level": level, "display_name": pseudonym_for(user)}
    return {
        "level": Level.PUBLIC,
        "display_name": user.name or user.username,
        "username": user.username,
    }
