"""Marking notifications read, and telling the reader's other sockets the new count."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from konnaxion.core.errors import NotFound
from konnaxion.core.realtime import publish_on_commit
from konnaxion.notifications.models import Notification
from konnaxion.notifications.selectors import notifications_visible_to
from konnaxion.notifications.services.delivery import notifications_group
from konnaxion.users.models import User


def _count_changed(user: User) -> None:
    publish_on_commit(notifications_group(user.pk), {"type": "notification.count"})


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of `user`'s visible notifications read (idempotent). Raises NotFound for any
    other id, someone else's included."""
    notification = notifications_visible_to(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _count_changed(user)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of `user` read. Returns how many changed."""
    changed = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        _count_changed(user)
    return changed
