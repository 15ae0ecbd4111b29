"""Celery tasks of notifications: thin adapters over the email services."""

from smtplib import SMTPException

from celery import shared_task
from django.db import DatabaseError

from konnaxion.core.queue import task_enqueue
from konnaxion.notifications.services.email import (
    digest_recipient_ids,
    digest_send,
    notification_email_send,
)

# A mail server that is down or refuses for now (4xx) is tried again, backing off.
_RETRIED = (SMTPException, OSError, DatabaseError)


@shared_task(
    ignore_result=False,
    acks_late=True,
    autoretry_for=_RETRIED,
    retry_backoff=True,
    max_retries=8,
)
def notification_email_send_task(notification_id: int) -> bool:
    """Email one notification at once; idempotent (`emailed_at`)."""
    return notification_email_send(notification_id=notification_id)


@shared_task(
    ignore_result=False,
    acks_late=True,
    autoretry_for=_RETRIED,
    retry_backoff=True,
    max_retries=8,
)
def notification_digest_send_task(user_id: int) -> int:
    """Email one person's daily digest; idempotent (`emailed_at`)."""
    return digest_send(user_id=user_id)


@shared_task(ignore_result=False, acks_late=True)
def notification_digests_send_task() -> int:
    """Once a day: one digest task per person with notifications pending (each retried on its
    own, so one failing mailbox delays nobody else)."""
    recipients = digest_recipient_ids()
    for user_id in recipients:
        task_enqueue("konnaxion.notifications.tasks.notification_digest_send_task", user_id)
    return len(recipients)
