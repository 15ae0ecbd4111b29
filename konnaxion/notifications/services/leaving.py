"""Notifications' part when someone leaves (konnaxion.users.leaving; docs/accounts.md): their
notifications, watches and email choices go with them; they are told when an export is ready."""

from __future__ import annotations

from django.urls import reverse

from konnaxion.notifications.models import (
    Kind,
    Notification,
    NotificationPreference,
    NotificationSetting,
    Watch,
)
from konnaxion.notifications.services.delivery import notify
from konnaxion.users.models import AccountExport, User


def account_notifications_delete(user: User) -> list[int]:
    """Delete what `user` was told and what they watched or chose; no blob is let go."""
    Notification.objects.filter(recipient=user).delete()
    Watch.objects.filter(user=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    return []


def account_export_ready_notify(export: AccountExport) -> None:
    """Tell the export's owner that it can be downloaded (after commit)."""
    notify(
        kind=Kind.ACCOUNT_EXPORT_READY,
        recipients=[export.user],
        actor=None,
        target=export,
        url=reverse("web:account_data"),
    )
