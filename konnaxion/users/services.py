"""Writes on accounts: the only place a user row is created, closed or deleted, and where a
person's data export is made (docs/accounts.md, "Leaving and your data")."""

from __future__ import annotations

import functools
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from konnaxion.core.consumers import account_group
from konnaxion.core.errors import Conflict
from konnaxion.core.queue import task_enqueue_on_commit
from konnaxion.core.realtime import publish_on_commit
from konnaxion.files.services import blob_store_file, blobs_delete_unreferenced
from konnaxion.users.leaving import (
    deletion_blockers,
    deletion_handlers,
    export_listeners,
    export_parts,
    json_bytes,
)
from konnaxion.users.models import AccountExport, User
from konnaxion.users.tokens import personal_tokens_revoke_all

EXPORT_TASK = "konnaxion.users.tasks.account_export_build_task"

EXPORT_README = """Your data from Konnaxion
========================

This archive holds what you created on Konnaxion, as of {date}:

- profile/account.json and profile/professional_profile.json: your account and your
  professional profile;
- artworks/: your artworks (artworks.json) and their files;
- documents/: the documents you uploaded that you can still read (documents.json) and the
  file of their current version;
- chat/messages.json: the chat messages you wrote in rooms;
- endorsements/: the endorsements you wrote and those you received;
- opportunities/opportunities.json: the opportunities you posted.

JSON files are UTF-8; dates are ISO 8601 in UTC.
"""


def user_create(*, username: str, email: str, password: str, name: str = "") -> User:
    """Create an active account with a hashed `password`.

    The password must already have passed Django's validators (the caller's form does that,
    against the unsaved user). Raises Conflict when the username is taken, also by a
    concurrent sign-up that won the race.
    """
    user = User(username=username, email=User.objects.normalize_email(email), name=name)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise Conflict(
            "This username is already taken.", code="username_taken", details={"username": username}
        ) from error
    return user


def _sessions_end(*, user: User) -> None:
    """End every signed-in session of `user`, its API tokens, and (after commit) its sockets."""
    personal_tokens_revoke_all(owner=user)
    for session in UserSession.objects.filter(user=user):
        session.end()
    publish_on_commit(account_group(user.pk), {"type": "account.closed"})


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """Close `user`'s account, reversibly (staff tick "active" again): it can no longer sign in,
    its sessions and API tokens end, its profile is hidden wherever people are shown, and once
    this commits every socket it has open is closed (4401). Nothing it made is deleted."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    _sessions_end(user=user)


def account_deletion_blockers(*, user: User) -> list[dict[str, Any]]:
    """What stops `user`'s account from being deleted now, as `{code, message, items}`."""
    return [
        {"code": b.code, "message": b.message, "items": list(b.items)}
        for b in deletion_blockers(user)
    ]


def account_delete(*, user: User) -> None:
    """Delete `user`'s account, irreversibly: each module removes, closes or keeps its things
    (its registered handler), then the row is emptied of who they were (username, name, email,
    password, addresses, second factors) and kept, inactive, as "a former member" for what stays
    with others. Blobs let go are deleted after commit.

    Raises Conflict (`account_deletion_blocked`, the blockers in details) while the person is
    the only owner of a project with other members; nothing changes then.
    """
    blob_ids: set[int] = set()
    with transaction.atomic():
        # Locked: a second deletion of the same account waits, then finds it already gone.
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.deleted_at is not None:
            return
        blockers = account_deletion_blockers(user=locked)
        if blockers:
            raise Conflict(
                "Transfer or delete these projects first: you are their only owner.",
                code="account_deletion_blocked",
                details={"blockers": blockers},
            )
        for _name, handler in deletion_handlers():
            blob_ids.update(handler(locked))
        exports = AccountExport.objects.filter(user=locked)
        blob_ids.update(exports.exclude(blob=None).values_list("blob_id", flat=True))
        exports.delete()
        EmailAddress.objects.filter(user=locked).delete()
        Authenticator.objects.filter(user=locked).delete()
        _sessions_end(user=locked)
        locked.username = f"former-member-{locked.pk}"
        locked.name = locked.first_name = locked.last_name = locked.email = ""
        locked.set_unusable_password()
        locked.is_active = locked.is_staff = locked.is_superuser = False
        locked.deleted_at = timezone.now()
        locked.save()
        locked.groups.clear()
        locked.user_permissions.clear()
        transaction.on_commit(functools.partial(blobs_delete_unreferenced, blob_ids=blob_ids))
    user.refresh_from_db()


def _export_expired_blobs(exports: Iterable[AccountExport]) -> list[int]:
    return [export.blob_id for export in exports if export.blob_id is not None]


@transaction.atomic
def account_export_request(*, user: User) -> AccountExport:
    """Start a new export of `user`'s data (built by a worker after commit); an earlier finished
    export is replaced. Raises Conflict (`export_running`) while one is being made."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
    previous = list(AccountExport.objects.filter(user=user))
    if any(
        export.state in (AccountExport.State.PENDING, AccountExport.State.RUNNING)
        for export in previous
    ):
        raise Conflict("An export of your data is already being made.", code="export_running")
    blob_ids = _export_expired_blobs(previous)
    AccountExport.objects.filter(pk__in=[export.pk for export in previous]).delete()
    export = AccountExport.objects.create(user=user)
    transaction.on_commit(functools.partial(blobs_delete_unreferenced, blob_ids=blob_ids))
    task_enqueue_on_commit(EXPORT_TASK, export.pk)
    return export


class _ZipArchive:
    """The export's ZIP, written to a temporary file as parts add to it."""

    def __init__(self, file: Any) -> None:
        self.zip = zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED)

    def add_json(self, name: str, data: Any) -> None:
        self.zip.writestr(name, json_bytes(data))

    def add_bytes(self, name: str, chunks: Iterable[bytes]) -> None:
        with self.zip.open(name, "w", force_zip64=True) as entry:
            for chunk in chunks:
                entry.write(chunk)


def account_export_build(*, export_id: int) -> AccountExport | None:
    """Build export `export_id`'s ZIP, its progress written as each part is done, then keep it
    as an encrypted blob until it expires (ACCOUNT_EXPORT_TTL_DAYS) and tell the listeners.
    Idempotent: an export already finished, or gone, is left as it is (returns None)."""
    started = AccountExport.objects.filter(
        pk=export_id, state__in=[AccountExport.State.PENDING, AccountExport.State.RUNNING]
    ).update(state=AccountExport.State.RUNNING, progress=0)
    if not started:
        return None
    export = AccountExport.objects.select_related("user").get(pk=export_id)
    parts = export_parts()
    with tempfile.TemporaryFile() as file:
        archive = _ZipArchive(file)
        archive.zip.writestr(
            "README.txt", EXPORT_README.format(date=timezone.now().isoformat(timespec="seconds"))
        )
        user = export.user
        archive.add_json(
            "profile/account.json",
            {
                "username": user.username,
                "name": user.name,
                "email": user.email,
                "date_joined": user.date_joined,
                "last_login": user.last_login,
            },
        )
        for done, (_name, part) in enumerate(parts, start=1):
            part(export.user, archive)
            AccountExport.objects.filter(pk=export_id).update(
                progress=min(99, 100 * done // (len(parts) + 1))
            )
        archive.zip.close()
        size = file.tell()
        file.seek(0)
        blob = blob_store_file(
            file=File(file, name=f"konnaxion-export-{export_id}.zip"),
            content_type="application/zip",
        )
    with transaction.atomic():
        now = timezone.now()
        kept = (
            AccountExport.objects.select_for_update()
            .filter(pk=export_id, state=AccountExport.State.RUNNING)
            .update(
                state=AccountExport.State.READY,
                progress=100,
                blob=blob,
                size=size,
                finished_at=now,
                expires_at=now + timedelta(days=settings.ACCOUNT_EXPORT_TTL_DAYS),
            )
        )
        if not kept:
            # Replaced or deleted meanwhile (the account was deleted): its ZIP goes at once.
            transaction.on_commit(functools.partial(blobs_delete_unreferenced, blob_ids=[blob.pk]))
            return None
        export.refresh_from_db()
        for listener in export_listeners():
            listener(export)
    return export


def account_export_fail(*, export_id: int) -> None:
    """Mark an export whose building failed for good, so that another may be asked for."""
    AccountExport.objects.filter(
        pk=export_id, state__in=[AccountExport.State.PENDING, AccountExport.State.RUNNING]
    ).update(state=AccountExport.State.FAILED, finished_at=timezone.now())


@transaction.atomic
def account_exports_expire() -> int:
    """Delete the exports past their expiry, and failed ones as old, with their ZIPs (after
    commit). Idempotent; returns how many were deleted."""
    now = timezone.now()
    ttl = timedelta(days=settings.ACCOUNT_EXPORT_TTL_DAYS)
    expired = list(
        AccountExport.objects.select_for_update(skip_locked=True).filter(expires_at__lt=now)
        | AccountExport.objects.select_for_update(skip_locked=True).filter(
            state=AccountExport.State.FAILED, created_at__lt=now - ttl
        )
    )
    blob_ids = _export_expired_blobs(expired)
    AccountExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    transaction.on_commit(functools.partial(blobs_delete_unreferenced, blob_ids=blob_ids))
    return len(expired)


def account_mail_send(*, message: dict[str, Any]) -> None:
    """Send an account mail rendered by allauth's adapter (konnaxion/users/accounts.py). SMTP
    and network errors propagate: the task retries."""
    mail = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
    )
    for content, mimetype in message["alternatives"]:
        mail.attach_alternative(content, mimetype)
    mail.send()


@transaction.atomic
def email_address_set_verified(*, user: User, email: str) -> EmailAddress:
    """Make `email` `user`'s primary address, already verified: for accounts the site makes
    itself (the demo's), whose mailbox nobody reads. Idempotent."""
    email = User.objects.normalize_email(email)
    if user.email != email:
        User.objects.filter(pk=user.pk).update(email=email)
        user.email = email
    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=email).update(
        primary=False
    )
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return address
