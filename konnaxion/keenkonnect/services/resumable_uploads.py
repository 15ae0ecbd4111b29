"""Resumable uploads (tus 1.0: core, creation, termination, expiration) for Stockage.

A session's bytes arrive in any number of PATCH requests and are kept encrypted (AES-256-CTR,
seekable, under the session's own data key wrapped by the master key) in a file under
`STORAGE_TMP_DIR`. When the last byte arrives, the file goes through the same policy as a
multipart upload (`upload_check`, `blob_store`) and becomes a document or a new version.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, CipherContext, algorithms, modes
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from konnaxion.core.errors import (
    ApplicationError,
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from konnaxion.files.encryption import (
    CHUNK_SIZE,
    data_key_unwrap,
    data_key_wrap,
    new_data_key,
)
from konnaxion.files.incoming import (
    FileTooLarge,
    IncomingFile,
    max_upload_bytes,
    tmp_dir,
)
from konnaxion.keenkonnect.models import (
    AccessLevel,
    DocumentVersion,
    Project,
    ProjectResource,
    UploadSession,
)
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services import document_versioning, granular_permissions
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.checkout_rules import checkout_guard
from konnaxion.keenkonnect.services.version_labels import label_clean, label_ensure_free, note_clean
from konnaxion.users.models import User

BLOCK = 16


class TooManyOpenUploads(ApplicationError):
    code = "too_many_open_uploads"
    status = 429
    message = "You have too many unfinished uploads; finish or cancel one first."


def _cipher_at(session: UploadSession, offset: int) -> CipherContext:
    """An AES-CTR transform positioned at byte `offset` of the session's plaintext."""
    key = data_key_unwrap(bytes(session.wrapped_key), session.key_id)
    counter = int.from_bytes(bytes(session.nonce), "big") + offset // BLOCK
    transform = Cipher(
        algorithms.AES(key), modes.CTR((counter % (1 << 128)).to_bytes(BLOCK, "big"))
    ).encryptor()
    transform.update(b"\0" * (offset % BLOCK))
    return transform


def upload_session_create(
    *, project: Project, user: User, length: int, metadata: dict[str, str]
) -> UploadSession:
    """Open a resumable upload of `length` bytes. Metadata: `filename` (required), `title`,
    `description`, `comment`, `label`, `note`, and `resource` (an id) for a new version of that
    document, with `keep_checkout` ("1") to keep the holder's lock after it. A lock held by
    someone else, or a label or note that would be refused, is refused now, before any byte is
    sent.

    A user has at most `STOCKAGE_MAX_OPEN_UPLOADS_PER_USER` unexpired sessions, also against
    concurrent creations (the user's row is locked while counting). Raises FileTooLarge,
    ValidationFailed, PermissionDenied, NotFound, TooManyOpenUploads, DocumentLocked (the
    document is checked out by someone else; checked again when the upload completes).
    """
    if length > max_upload_bytes():
        raise FileTooLarge(details={"max_bytes": max_upload_bytes()})
    if not metadata.get("filename"):
        raise ValidationFailed(details={"fields": {"Upload-Metadata": "filename is required"}})
    label_clean(label=metadata.get("label", ""))
    note_clean(note=metadata.get("note", ""))
    resource = None
    if metadata.get("resource"):
        if not metadata["resource"].isdigit() or int(metadata["resource"]) > 2_147_483_647:
            raise ValidationFailed(details={"fields": {"Upload-Metadata": "resource is an id"}})
        resource = resource_get_visible(
            user=user, project=project, resource_id=int(metadata["resource"])
        )
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.WRITE)
        checkout_guard(resource_id=resource.pk, actor=user)
        label = label_clean(label=metadata.get("label", ""))
        label_ensure_free(resource_id=resource.pk, label=label)
    elif granular_permissions.project_level_of(user=user, project=project) < AccessLevel.WRITE:
        raise PermissionDenied("Only the project's owners and collaborators may upload.")
    session_id = uuid.uuid4()
    path = tmp_dir() / f"tus-{session_id.hex}.part"
    wrapped_key, key_id = data_key_wrap(new_data_key())
    try:
        with transaction.atomic():
            _ensure_upload_slot(user=user)
            path.touch(mode=0o600)
            return UploadSession.objects.create(
                id=session_id,
                project=project,
                user=user,
                resource=resource,
                length=length,
                metadata=metadata,
                temp_path=str(path),
                wrapped_key=wrapped_key,
                key_id=key_id,
                nonce=secrets.token_bytes(BLOCK),
                expires_at=timezone.now() + timedelta(hours=settings.TUS_UPLOAD_EXPIRY_HOURS),
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _ensure_upload_slot(*, user: User) -> None:
    """Raise TooManyOpenUploads when `user` already has the most open sessions allowed.

    Locks the user's row until the caller's transaction ends, so that two creations at the cap
    count one after the other instead of both seeing one slot left.
    """
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
    limit = settings.STOCKAGE_MAX_OPEN_UPLOADS_PER_USER
    open_uploads = UploadSession.objects.filter(user=user, expires_at__gt=timezone.now()).count()
    if open_uploads >= limit:
        raise TooManyOpenUploads(details={"max_open_uploads": limit})


def upload_session_get(*, user: User, project: Project, session_id: uuid.UUID) -> UploadSession:
    """The caller's unexpired session. Raises NotFound for anyone else's or an expired one."""
    session = UploadSession.objects.filter(
        pk=session_id, project=project, user=user, expires_at__gt=timezone.now()
    ).first()
    if session is None:
        raise NotFound("No such upload.")
    return session


def _remove(session: UploadSession) -> None:
    path = session.temp_path
    transaction.on_commit(lambda: Path(path).unlink(missing_ok=True))


def upload_session_append(
    *, session: UploadSession, offset: int, read: Callable[[int], bytes]
) -> tuple[UploadSession, ProjectResource | None, DocumentVersion | None]:
    """Append the request body (`read(n)`) at `offset`, which must be the session's offset.

    Returns the session and, once complete, the document or version it became. Raises Conflict
    (offset mismatch, more bytes than announced), and the upload policy's errors on completion.
    """
    with transaction.atomic():
        session = UploadSession.objects.select_for_update().get(pk=session.pk)
        if offset != session.offset:
            raise Conflict(
                "Upload-Offset does not match the upload's offset.",
                code="offset_mismatch",
                details={"offset": session.offset},
            )
        transform = _cipher_at(session, offset)
        remaining = session.length - offset
        written = 0
        with open(session.temp_path, "r+b") as handle:
            handle.seek(offset)
            try:
                while True:
                    data = read(4 * CHUNK_SIZE)
                    if not data:
                        break
                    if written + len(data) > remaining:
                        raise Conflict(
                            "More bytes than Upload-Length announced.", code="upload_too_long"
                        )
                    handle.write(transform.update(data))
                    written += len(data)
            except BaseException:
                handle.truncate(offset)
                raise
        session.offset = offset + written
        session.save(update_fields=["offset"])
    if session.offset < session.length:
        return session, None, None
    return (session, *_complete(session))


def _plaintext_chunks(session: UploadSession) -> Iterator[bytes]:
    transform = _cipher_at(session, 0)
    with open(session.temp_path, "rb") as handle:
        while chunk := handle.read(4 * CHUNK_SIZE):
            yield transform.update(chunk)


def _complete(session: UploadSession) -> tuple[ProjectResource, DocumentVersion | None]:
    """Turn a finished session into a document or a version, then forget the session."""
    metadata = session.metadata
    try:
        upload = IncomingFile(name=metadata["filename"])
        for chunk in _plaintext_chunks(session):
            upload.write(chunk)
        upload.finish()
        if session.resource_id is None:
            resource = storage.resource_create(
                project=session.project,
                upload=upload,
                actor=session.user,
                title=metadata.get("title", "")[:200],
                description=metadata.get("description", ""),
                label=metadata.get("label", ""),
                note=metadata.get("note", ""),
            )
            return resource, resource.current_version
        resource = resource_get_visible(
            user=session.user, project=session.project, resource_id=session.resource_id
        )
        version = document_versioning.version_create(
            resource=resource,
            upload=upload,
            actor=session.user,
            comment=metadata.get("comment", ""),
            keep_checkout=metadata.get("keep_checkout") in ("1", "true"),
            label=metadata.get("label", ""),
            note=metadata.get("note", ""),
        )
        return resource, version
    finally:
        with transaction.atomic():
            UploadSession.objects.filter(pk=session.pk).delete()
            _remove(session)


@transaction.atomic
def upload_session_terminate(*, session: UploadSession) -> None:
    """Delete the session and its data (tus termination)."""
    UploadSession.objects.filter(pk=session.pk).delete()
    _remove(session)


def upload_sessions_expire(*, stale_after: timedelta = timedelta(hours=1)) -> int:
    """Delete expired sessions and their data, and upload files that no session owns and that
    were untouched for `stale_after` (left by a server killed mid-upload). Idempotent."""
    expired = 0
    for session in UploadSession.objects.filter(expires_at__lte=timezone.now()):
        upload_session_terminate(session=session)
        expired += 1
    known = set(UploadSession.objects.values_list("temp_path", flat=True))
    cutoff = timezone.now().timestamp() - stale_after.total_seconds()
    for path in tmp_dir().glob("tus-*.part"):
        with contextlib.suppress(FileNotFoundError):
            if str(path) not in known and os.stat(path).st_mtime < cutoff:
                path.unlink()
    for path in tmp_dir().glob("upload-*.part"):
        # Multipart uploads' files left by a killed server (none lives longer than a request).
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_mtime < cutoff:
                path.unlink()
    return expired
