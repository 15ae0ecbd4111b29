"""Notifications by email: one mail at once, or one daily digest per person, in their language.

Both run in Celery tasks after commit. Each checks again, under a row lock, that the
notification is still unread, not emailed, of a kind the person gets this way, and about
something they may still see; the mail is sent before `emailed_at` is written in the same
transaction, so a failed send leaves the notification to the task's retry and a retry after a
sent mail sends nothing (a crash between the two may, rarely, send a mail twice).
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from konnaxion.notifications.models import Channel, Kind, Notification
from konnaxion.notifications.selectors import (
    channels_for,
    digest_kinds_of,
    notification_language_of,
    notifications_visible_to,
)
from konnaxion.notifications.texts import notification_text
from konnaxion.users.models import User


def _absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _footer() -> str:
    settings_url = _absolute("/notifications/settings/")
    return gettext("Choose which notifications you get by email: {url}").format(url=settings_url)


def _send(*, user: User, subject: str, lines: list[str]) -> None:
    EmailMessage(
        subject=subject,
        body="\n".join([*lines, "", "--", _footer()]) + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    ).send()


@transaction.atomic
def notification_email_send(*, notification_id: int) -> bool:
    """Email one notification to its recipient if it is still due (module docstring). Returns
    whether a mail was sent; SMTP and network errors propagate (the task retries)."""
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("recipient", "actor")
        .filter(pk=notification_id, emailed_at__isnull=True, read_at__isnull=True)
        .first()
    )
    if notification is None:
        return False
    user = notification.recipient
    if not user.email or not user.is_active:
        return False
    if channels_for(users=[user], kind=notification.kind)[user.pk] != Channel.IMMEDIATE:
        return False
    if not notifications_visible_to(user=user).filter(pk=notification.pk).exists():
        return False
    with translation.override(notification_language_of(user=user)):
        text = notification_text(notification)
        lines = [text]
        if notification.url:
            lines += ["", _absolute(notification.url)]
        _send(user=user, subject=f"Konnaxion: {text}", lines=lines)
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True


def digest_recipient_ids() -> list[int]:
    """People with unread notifications never emailed (each decides in `digest_send`)."""
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True, read_at__isnull=True, recipient__is_active=True
        )
        .exclude(recipient__email="")
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )


@transaction.atomic
def digest_send(*, user_id: int) -> int:
    """Email `user_id` one digest of their unread, never emailed notifications of the kinds
    they get daily and may still see, grouped by kind. Returns how many it holds (0: no mail)."""
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return 0
    kinds = digest_kinds_of(user=user)
    pending = list(
        notifications_visible_to(user=user)
        .filter(kind__in=kinds, emailed_at__isnull=True, read_at__isnull=True)
        .select_for_update(of=("self",))
        .order_by("kind", "created_at", "id")
    )
    if not pending:
        return 0
    with translation.override(notification_language_of(user=user)):
        lines = [
            ngettext(
                "You have {count} new notification.",
                "You have {count} new notifications.",
                len(pending),
            ).format(count=len(pending))
        ]
        for kind in Kind:
            of_kind = [n for n in pending if n.kind == kind]
            if not of_kind:
                continue
            lines += ["", f"{kind.label} ({len(of_kind)})"]
            for notification in of_kind:
                link = _absolute(notification.url)
                lines.append(f"- {notification_text(notification)}" + (f" {link}" if link else ""))
        _send(user=user, subject=gettext("Konnaxion: your daily digest"), lines=lines)
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return len(pending)
