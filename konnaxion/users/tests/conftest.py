"""Account mails are tested against the notifications' real SMTP server and Celery worker."""

from konnaxion.notifications.tests.conftest import mail_server, mail_worker  # noqa: F401
