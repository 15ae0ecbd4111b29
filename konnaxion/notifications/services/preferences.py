"""Per-person choices: the email channel of each kind, and the language of one's emails."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from konnaxion.core.errors import ValidationFailed
from konnaxion.notifications.models import (
    Channel,
    Kind,
    NotificationPreference,
    NotificationSetting,
)
from konnaxion.notifications.selectors import channels_of
from konnaxion.users.models import User


@transaction.atomic
def notification_settings_set(*, user: User, channels: dict[str, str]) -> dict[str, str]:
    """Set `user`'s email channel of the kinds named in `channels` (others keep theirs).
    Raises ValidationFailed naming unknown kinds or channels; then nothing is changed."""
    errors = {
        kind: "unknown kind" if kind not in Kind.values else "immediate, digest or off"
        for kind, channel in channels.items()
        if kind not in Kind.values or channel not in Channel.values
    }
    if errors:
        raise ValidationFailed(details={"fields": errors})
    for kind, channel in channels.items():
        NotificationSetting.objects.update_or_create(
            user=user, kind=kind, defaults={"email": channel}
        )
    return channels_of(user=user)


def notification_language_set(*, user: User, language: str) -> None:
    """Write `user`'s emails in `language` from now on (one of LANGUAGES; others ignored)."""
    if language not in dict(settings.LANGUAGES):
        return
    # Called on page views: a write only when the language changed.
    if NotificationPreference.objects.filter(user=user, language=language).exists():
        return
    NotificationPreference.objects.update_or_create(user=user, defaults={"language": language})
