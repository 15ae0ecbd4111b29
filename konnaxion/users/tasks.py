"""Celery tasks of accounts: thin adapters over the account services."""

from smtplib import SMTPException
from typing import Any

from celery import shared_task

from konnaxion.users.services import account_mail_send

# A mail server that is down or refuses for now (4xx) is tried again, backing off.
_RETRIED = (SMTPException, OSError)


@shared_task(
    ignore_result=False,
    acks_late=True,
    autoretry_for=_RETRIED,
    retry_backoff=True,
    max_retries=8,
)
def account_mail_send_task(message: dict[str, Any]) -> None:
    """Send one account mail (verification, password reset, notice) rendered by the adapter."""
    account_mail_send(message=message)
