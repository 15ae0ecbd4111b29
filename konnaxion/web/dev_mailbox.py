"""The mails an embedded run wrote under EMAIL_FILE_PATH (Django's file backend), read back for
/dev/mail/: so that someone trying the site on their machine can follow a verification or
password-reset link without a mail server."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings

# Django's file backend writes each message followed by a line of 79 dashes.
_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
_FILE_NAME = re.compile(r"^[\w.-]+\.log$")


@dataclass(frozen=True)
class Mail:
    name: str
    index: int
    date: str
    sender: str
    to: str
    subject: str
    body: str


def mailbox_folder() -> Path | None:
    """The folder of the file backend, or None when mail goes elsewhere (SMTP)."""
    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        return None
    return Path(settings.EMAIL_FILE_PATH)


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def _mails_in(path: Path) -> list[Mail]:
    mails = []
    chunks = [chunk for chunk in path.read_bytes().split(_SEPARATOR) if chunk.strip()]
    for index, chunk in enumerate(chunks):
        message = message_from_bytes(chunk, policy=policy.default)
        assert isinstance(message, EmailMessage)
        mails.append(
            Mail(
                name=path.name,
                index=index,
                date=str(message.get("Date", "")),
                sender=str(message.get("From", "")),
                to=str(message.get("To", "")),
                subject=str(message.get("Subject", "")),
                body=_text_of(message),
            )
        )
    return mails


def mailbox_list(limit: int = 200) -> list[Mail]:
    """The newest `limit` mails of the mailbox, newest first."""
    folder = mailbox_folder()
    if folder is None or not folder.is_dir():
        return []
    files = sorted(
        (path for path in folder.iterdir() if _FILE_NAME.match(path.name)),
        key=lambda path: (path.stat().st_mtime, path.name),
        reverse=True,
    )
    mails: list[Mail] = []
    for path in files:
        mails.extend(reversed(_mails_in(path)))
        if len(mails) >= limit:
            break
    return mails[:limit]


def mailbox_get(name: str, index: int) -> Mail | None:
    """Mail number `index` of file `name`, or None (never a path outside the folder)."""
    folder = mailbox_folder()
    if folder is None or not _FILE_NAME.match(name):
        return None
    path = folder / name
    if not path.is_file():
        return None
    mails = _mails_in(path)
    return mails[index] if 0 <= index < len(mails) else None
