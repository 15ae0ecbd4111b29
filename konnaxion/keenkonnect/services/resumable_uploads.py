"""Resumable uploads (tus 1.0: core, creation, termination, expiration) for Stockage.

A session's bytes arrive in any number of PATCH requests, through any of the servers. Each
accepted PATCH body is one part, stored encrypted (`konnaxion.files.parts`: its own data key,
the blob format) in the shared storage under `uploads/<session>/`; the session row lists the
parts in order with their wrapped keys, so no server keeps anything of its own. A part is
committed with a conditional update of the row (`offset` still the one the PATCH started
from): of two PATCHes at the same offset, one wins and the other gets 409. When the last byte
arrives, the parts are read back in order into an `IncomingFile` and go through the same policy
as a multipart upload (`upload_check`, `blob_store`) to become a document or a new version.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

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
from konnaxion.files.encryption import CHUNK_SIZE
from konnaxion.files.incoming import FileTooLarge, IncomingFile, max_upload_bytes, tmp_dir
from konnaxion.files.parts import (
    StoredPart,
    stored_part_put,
    stored_part_read,
    stored_parts_delete,
    stored_parts_list,
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

# The private prefix of the parts in the default storage; nothing else is stored under it.
PARTS_PREFIX = "uploads"


class TooManyOpenUploads(ApplicationError):
    code = "too_many_open_uploads"
    status = 429
    message = "You have too many unfinished uploads; finish or cancel one first."


def _part_name(session_id: uuid.UUID, offset: int) -> str:
    """A fresh name for the part starting at `offset` (two racing PATCHes never share one)."""
    return f"{PARTS_PREFIX}/{session_id.hex}/{offset:015d}-{secrets.token_hex(8)}"


def _parts_of(session: UploadSession) -> list[StoredPart]:
    return [StoredPart.from_json(part) for part in session.parts]


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
    with transaction.atomic():
        _ensure_upload_slot(user=user)
        return UploadSession.objects.create(
            id=uuid.uuid4(),
            project=project,
            user=user,
            resource=resource,
            length=length,
            metadata=metadata,
            expires_at=timezone.now() + timedelta(hours=settings.TUS_UPLOAD_EXPIRY_HOURS),
        )


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


def _remove_parts_on_commit(parts: list[StoredPart]) -> None:
    names = [part.name for part in parts]
    transaction.on_commit(lambda: stored_parts_delete(names=names))


def _receive_part(
    *, session: UploadSession, offset: int, read: Callable[[int], bytes]
) -> StoredPart | None:
    """Store the request body as the part at `offset`; None for an empty body."""
    remaining = session.length - offset
    upload = IncomingFile(name=f"part-{offset}", max_bytes=remaining)
    try:
        while data := read(4 * CHUNK_SIZE):
            upload.write(data)
    except FileTooLarge as error:
        raise Conflict(
            "More bytes than Upload-Length announced.", code="upload_too_long"
        ) from error
    except BaseException:
        upload.discard()
        raise
    if upload.size == 0:
        upload.discard()
        return None
    return stored_part_put(name=_part_name(session.pk, offset), upload=upload)


def _offset_conflict(session_id: uuid.UUID) -> ApplicationError:
    current = UploadSession.objects.filter(pk=session_id, expires_at__gt=timezone.now()).first()
    if current is None:
        return NotFound("No such upload.")
    return Conflict(
        "Upload-Offset does not match the upload's offset.",
        code="offset_mismatch",
        details={"offset": current.offset},
    )


def upload_session_append(
    *, session: UploadSession, offset: int, read: Callable[[int], bytes]
) -> tuple[UploadSession, ProjectResource | None, DocumentVersion | None]:
    """Append the request body (`read(n)`) at `offset`, which must be the session's offset.

    The body is stored as one part in the shared storage while no lock is held, then committed
    with one conditional update of the row; a PATCH that another one overtook (same offset, or
    the session cancelled or expired meanwhile) deletes its part and fails. The PATCH that
    brings the last byte deletes the row instead, so the upload completes exactly once.

    Returns the session and, once complete, the document or version it became. Raises Conflict
    (offset mismatch, more bytes than announced), NotFound, and the upload policy's errors on
    completion.
    """
    if offset != session.offset:
        raise _offset_conflict(session.pk)
    part = _receive_part(session=session, offset=offset, read=read)
    parts = session.parts + ([part.as_json()] if part else [])
    new_offset = offset + (part.size if part else 0)
    current = UploadSession.objects.filter(
        pk=session.pk, offset=offset, expires_at__gt=timezone.now()
    )
    try:
        if new_offset < session.length:
            won = current.update(offset=new_offset, parts=parts) == 1
        else:
            won = current.delete()[0] == 1
    except BaseException:
        if part:
            stored_parts_delete(names=[part.name])
        raise
    if not won:
        if part:
            stored_parts_delete(names=[part.name])
        raise _offset_conflict(session.pk)
    session.offset, session.parts = new_offset, parts
    if new_offset < session.length:
        return session, None, None
    return (session, *_complete(session))


def _plaintext_chunks(session: UploadSession) -> Iterator[bytes]:
    for part in _parts_of(session):
        yield from stored_part_read(part=part)


def _complete(session: UploadSession) -> tuple[ProjectResource, DocumentVersion | None]:
    """Turn a finished session (its row already deleted) into a document or a version, then
    delete its parts, whatever the outcome."""
    metadata = session.metadata
    try:
        upload = IncomingFile(name=metadata["filename"])
        try:
            for chunk in _plaintext_chunks(session):
                upload.write(chunk)
            upload.finish()
        except BaseException:
            upload.discard()
            raise
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
        stored_parts_delete(names=[part.name for part in _parts_of(session)])


@transaction.atomic
def upload_session_terminate(*, session: UploadSession) -> None:
    """Delete the session and its parts (tus termination)."""
    locked = UploadSession.objects.select_for_update().filter(pk=session.pk).first()
    if locked is None:
        return
    locked.delete()
    _remove_parts_on_commit(_parts_of(locked))


def upload_sessions_expire(*, stale_after: timedelta = timedelta(hours=1)) -> int:
    """Delete expired sessions and their parts, whichever server stored them, then the parts no
    session lists that are older than `stale_after` (left by a server killed between storing a
    part and committing it), and the temporary files of this server older than that. Idempotent.
    Returns the number of sessions expired."""
    expired = 0
    for session in UploadSession.objects.filter(expires_at__lte=timezone.now()):
        upload_session_terminate(session=session)
        expired += 1
    cutoff = timezone.now() - stale_after
    orphans = [
        name
        for name, modified in stored_parts_list(prefix=PARTS_PREFIX)
        if modified < cutoff and not _is_listed(name)
    ]
    stored_parts_delete(names=orphans)
    for pattern in ("upload-*.part", "tus-*.part"):
        # Upload files of a killed server (none lives longer than a request), and those of
        # resumable uploads from before their parts moved to the shared storage.
        for path in tmp_dir().glob(pattern):
            with contextlib.suppress(FileNotFoundError):
                if os.stat(path).st_mtime < cutoff.timestamp():
                    path.unlink()
    return expired


def _is_listed(name: str) -> bool:
    """Whether a live session lists the part `name` (checked after its age, so a part committed
    since it was listed is seen here)."""
    folder = name.split("/")[-2]
    try:
        session_id = uuid.UUID(hex=folder)
    except ValueError:
        return False
    session = UploadSession.objects.filter(pk=session_id).first()
    return session is not None and any(part["name"] == name for part in session.parts)
