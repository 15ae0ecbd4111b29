"""django-allauth's account adapter for Konnaxion (ACCOUNT_ADAPTER): how account mails leave
and whose address a rate limit counts.

A mail (verification link, password reset, notice of a changed address...) is rendered in the
request, in the caller's language, then handed to a Celery task once the transaction commits:
a sign-up that rolls back mails nothing, a slow or failing mail server never holds a page, and
the task retries while the server refuses (konnaxion/users/tasks.py).
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.core.mail import EmailMultiAlternatives
from django.http import HttpRequest

from konnaxion.core.client_address import client_address
from konnaxion.core.queue import task_enqueue_on_commit

ACCOUNT_MAIL_TASK = "konnaxion.users.tasks.account_mail_send_task"


def mail_as_dict(message: EmailMultiAlternatives) -> dict[str, Any]:
    """What the mail task needs to send `message` again: JSON only (the task serializer)."""
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [[str(content), mimetype] for content, mimetype in message.alternatives],
    }


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render the mail now and send it from a Celery task after commit (module docstring)."""
        request = self.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        task_enqueue_on_commit(ACCOUNT_MAIL_TASK, mail_as_dict(message))

    def get_client_ip(self, request: HttpRequest) -> str:
        """The one client address of the platform, which trusts X-Forwarded-For only behind
        TRUSTED_PROXY_COUNT proxies of our own."""
        return client_address(request)
