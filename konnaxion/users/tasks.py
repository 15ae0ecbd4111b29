"""Celery tasks of accounts: thin adapters over the account services."""

from smtplib import SMTPException
from typing import Any

from celery import shared_task
from django.db import DatabaseError

from konnaxion.users.services import (
    account_export_build,
    account_export_fail,
    account_exports_expire,
    account_mail_send,
)

# A mail server that is down or refuses for now (4xx) is tried again, backing off.
_RETRIED = (SMTPException, OSError)


@shared_task(
    bind=True,
    ignore_result=False,
    acks_late=True,
    autoretry_for=(DatabaseError, OSError),
    retry_backoff=True,
    max_retries=3,
)
def account_export_build_task(self, export_id: int) -> bool:
    """Build one export's ZIP; idempotent. Marked failed once the retries are spent."""
    try:
        return account_export_build(export_id=export_id) is not None
    except Exception as error:
        # Re-raised either way: a retried error waits for its last try, any other is final.
        retried = isinstance(error, DatabaseError | OSError)
        if not retried or self.request.retries >= self.max_retries:
            account_export_fail(export_id=export_id)
        raise


@shared_task(ignore_result=False, acks_late=True)
def account_exports_expire_task() -> int:
    """Delete expired exports and their ZIPs; idempotent."""
    return account_exports_expire()


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
