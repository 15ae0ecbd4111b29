"""A real SMTP server (aiosmtpd) on a free loopback port, receiving the mails of a test."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass
class MailServer:
    """What the server received; `refuse` answers the next N messages with a temporary
    failure (451), as a mail server that is overloaded does."""

    received: list[EmailMessage] = field(default_factory=list)
    refuse: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse > 0:
            self.refuse -= 1
            return "451 Try again later"
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server(settings) -> Iterator[MailServer]:
    """Starts aiosmtpd's Controller and points Django's SMTP backend at it."""
    handler = MailServer()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://konnaxion.example"
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def mail_worker(mail_server, transactional_db) -> Iterator[MailServer]:
    """A real Celery worker whose mails go to `mail_server` (through `EMAIL_URL`)."""
    from django.conf import settings

    from conftest import celery_worker_running

    url = f"smtp://{settings.EMAIL_HOST}:{settings.EMAIL_PORT}"
    with celery_worker_running(EMAIL_URL=url, SITE_URL=settings.SITE_URL):
        yield mail_server
