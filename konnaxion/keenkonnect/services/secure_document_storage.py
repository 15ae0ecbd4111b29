"""secure_document_storage: checked, encrypted, content-addressed storage of uploaded files.

An upload arrives in an `IncomingFile` (streamed, hashed and encrypted as it comes), is checked
against the file policy by `upload_check`, and becomes a `Blob` through `blob_store`, which keeps
identical content once. Blobs are read back decrypted on the fly, a byte range at a time.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from konnaxion.core.errors import NotFound, PermissionDenied
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    Blob,
    DocumentVersion,
    Project,
    ProjectResource,
    storage_name_for,
)
from konnaxion.keenkonnect.services import real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.keenkonnect.storage.encryption import (
    CHUNK_SIZE,
    current_master_key,
    data_key_unwrap,
    data_key_wrap,
)
from konnaxion.keenkonnect.storage.file_policy import FileName, file_name_normalise
from konnaxion.keenkonnect.storage.incoming import IncomingFile, storage_full_as_error
from konnaxion.keenkonnect.storage.placing import stored_file_put
from konnaxion.keenkonnect.storage.reading import (
    PlaintextFile,
    StorageSource,
    iter_plaintext,
    opener_for,
)
from konnaxion.keenkonnect.storage.sniffing import content_check

logger = logging.getLogger(__name__)

# First key of the two-key advisory locks that serialise stores of one content.
_BLOB_LOCK_CLASS = 0x4B4E58  # "KNX"


@dataclass(frozen=True)
class VerifiedUpload:
    """An upload that passed the file policy: its normalised name and verified content type."""

    file_name: FileName
    content_type: str


def upload_check(*, upload: IncomingFile) -> VerifiedUpload:
    """Check `upload`'s name and content against the file policy.

    Raises FileTypeNotAllowed or FileContentMismatch (415), after discarding the upload.
    """
    try:
        file_name = file_name_normalise(upload.name)
        with upload.open_plaintext() as handle:
            content_type = content_check(handle, size=upload.size, extension=file_name.extension)
    except BaseException:
        upload.discard()
        raise
    return VerifiedUpload(file_name=file_name, content_type=content_type)


def _lock_content(sha256: str) -> None:
    """Serialise, until the end of the transaction, every store of this content."""
    objid = int.from_bytes(bytes.fromhex(sha256[:8]), "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_BLOB_LOCK_CLASS, objid])


def blob_store(*, upload: IncomingFile, content_type: str) -> Blob:
    """Store `upload` as a Blob, or reuse the Blob that already holds identical content.

    Race-safe: concurrent stores of one content produce one Blob and one stored file. The upload's
    temporary file is removed whatever happens; on failure no row and no stored file remain.
    Raises StorageFull (507) when the storage has no room left.
    """
    stored_name = None
    saving = None
    try:
        upload.finish()
        with transaction.atomic():
            _lock_content(upload.sha256)
            existing = Blob.objects.select_for_update().filter(sha256=upload.sha256).first()
            if existing is not None:
                existing.last_stored_at = timezone.now()
                existing.save(update_fields=["last_stored_at"])
                return existing
            name = storage_name_for(upload.sha256)
            if default_storage.exists(name):
                # Left by a store whose transaction rolled back: this upload's key replaces it.
                default_storage.delete(name)
            saving = name
            with storage_full_as_error():
                stored_name = stored_file_put(storage=default_storage, name=name, path=upload.path)
            if stored_name != name:
                raise RuntimeError(f"The storage saved {name} as {stored_name}.")
            wrapped_key, key_id = data_key_wrap(upload.data_key)
            return Blob.objects.create(
                sha256=upload.sha256,
                size=upload.size,
                content_type=content_type,
                storage_name=name,
                wrapped_key=wrapped_key,
                key_id=key_id,
            )
    except BaseException:
        if stored_name is not None:
            default_storage.delete(stored_name)
        elif saving is not None:
            # A save that failed midway (a full disk) may leave part of the file behind.
            default_storage.delete(saving)
        raise
    finally:
        upload.discard()


def _source_and_opener(blob: Blob):
    source = StorageSource(default_storage, blob.storage_name)
    data_key = data_key_unwrap(bytes(blob.wrapped_key), blob.key_id)
    return source, opener_for(source, data_key=data_key, size=blob.size)


def blob_read(*, blob: Blob, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    """Yield the plaintext bytes [start, stop) of `blob`, fetching and decrypting only the chunks
    that hold them. Raises BlobIntegrityError if the stored file was tampered with."""
    source, opener = _source_and_opener(blob)
    return iter_plaintext(source, opener, start=start, stop=stop)


def blob_open(*, blob: Blob) -> io.BufferedReader:
    """A seekable, read-only file of `blob`'s plaintext, decrypted on demand."""
    source, opener = _source_and_opener(blob)
    return io.BufferedReader(PlaintextFile(source, opener), CHUNK_SIZE)


def blob_keys_rotate(*, batch_size: int = 200) -> int:
    """Re-wrap every data key not yet under the current master key; no blob file is rewritten.

    Returns how many keys were re-wrapped. Raises BlobIntegrityError for a key whose master key
    is not configured.
    """
    current = current_master_key()
    rotated = 0
    while True:
        with transaction.atomic():
            batch = list(
                Blob.objects.select_for_update(skip_locked=True)
                .exclude(key_id=current.key_id)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return rotated
            for blob in batch:
                data_key = data_key_unwrap(bytes(blob.wrapped_key), blob.key_id)
                blob.wrapped_key, blob.key_id = data_key_wrap(data_key)
            Blob.objects.bulk_update(batch, ["wrapped_key", "key_id"])
            rotated += len(batch)


def _unreferenced() -> models.Q:
    """Blobs no row refers to, whatever the relation: found through Blob._meta.related_objects,
    hidden ones (`related_name="+"`) included."""
    condition = models.Q()
    relations = [
        field
        for field in Blob._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and field.is_relation
    ]
    for relation in relations:
        if relation.many_to_many:
            through = relation.through
            field = next(
                f for f in through._meta.get_fields() if getattr(f, "related_model", None) is Blob
            )
            referrers = through._base_manager.filter(**{field.name: models.OuterRef("pk")})
        else:
            referrers = relation.related_model._base_manager.filter(
                **{relation.field.name: models.OuterRef("pk")}
            )
        condition &= ~models.Exists(referrers)
    return condition


def blobs_collect_garbage(*, grace: timedelta | None = None) -> int:
    """Delete the blobs (row and file) that nothing refers to and that were last stored longer
    than `grace` ago (`BLOB_GC_GRACE_HOURS`). Idempotent; returns how many were deleted."""
    grace = timedelta(hours=settings.BLOB_GC_GRACE_HOURS) if grace is None else grace
    cutoff = timezone.now() - grace
    candidates = Blob.objects.filter(_unreferenced(), last_stored_at__lt=cutoff)
    deleted = 0
    for sha256 in candidates.values_list("sha256", flat=True).iterator():
        with transaction.atomic():
            _lock_content(sha256)
            # Checked again under the lock: a store may have reused it or a row may refer to it.
            blob = candidates.select_for_update(skip_locked=True).filter(sha256=sha256).first()
            if blob is None:
                continue
            name = blob.storage_name
            blob.delete()
            transaction.on_commit(lambda name=name: default_storage.delete(name))
            deleted += 1
    if deleted:
        logger.info("Deleted %d unreferenced blobs.", deleted)
    return deleted


# Resources: the documents of a project ------------------------------------------------------


def resource_create(
    *, project: Project, upload: IncomingFile, actor, title: str = "", description: str = ""
) -> ProjectResource:
    """A new document with `upload` as version 1 (write level on the project needed).

    Raises PermissionDenied, FileTypeNotAllowed, FileContentMismatch; a refused upload leaves
    no row, no blob and no temporary file.
    """
    from konnaxion.keenkonnect.services.granular_permissions import project_level_of

    try:
        if project_level_of(user=actor, project=project) < AccessLevel.WRITE:
            raise PermissionDenied("Only the project's owners and collaborators may upload.")
        verified = upload_check(upload=upload)
    except BaseException:
        upload.discard()
        raise
    blob = blob_store(upload=upload, content_type=verified.content_type)
    with transaction.atomic():
        project_lock(project_id=project.pk)
        resource = ProjectResource.objects.create(
            project=project,
            title=(title or verified.file_name.name)[:200],
            description=description,
            added_by=actor,
        )
        version = DocumentVersion.objects.create(
            resource=resource,
            number=1,
            blob=blob,
            size=blob.size,
            sha256=blob.sha256,
            content_type=verified.content_type,
            original_name=verified.file_name.name,
            uploaded_by=actor,
        )
        resource.current_version = version
        resource.current_content_type = version.content_type
        resource.save(update_fields=["current_version", "current_content_type"])
        audit_record(
            project_id=project.pk,
            resource=resource,
            actor=actor,
            action=AuditEvent.Action.UPLOAD,
            details={"version": 1, "sha256": blob.sha256, "size": blob.size},
        )
        _announce(resource=resource, type="resource.added", version=1, actor=actor)
        _index_later(resource=resource, version_number=1)
    return resource


def _announce(*, resource: ProjectResource, type: str, actor, version: int | None = None) -> None:
    real_time_sync.event_record(
        project_id=resource.project_id,
        type=type,
        resource_id=resource.pk,
        version=version,
        actor=actor,
    )


def _index_later(*, resource: ProjectResource, version_number: int) -> None:
    from konnaxion.keenkonnect.services.intelligent_indexing import resource_index_enqueue

    resource_index_enqueue(resource=resource, version_number=version_number)


def resource_update(
    *, resource: ProjectResource, actor, title: str | None = None, description: str | None = None
) -> ProjectResource:
    """Edit a document's title or description (write level). Raises NotFound, PermissionDenied."""
    from konnaxion.keenkonnect.services.granular_permissions import ensure_level, ensure_level_now

    ensure_level(resource=resource, needed=AccessLevel.WRITE)
    changed = {}
    if title is not None:
        changed["title"] = title
    if description is not None:
        changed["description"] = description
    with transaction.atomic():
        project_lock(project_id=resource.project_id)
        ensure_level_now(user=actor, resource=resource, needed=AccessLevel.WRITE)
        if resource_lock(resource_id=resource.pk) is None:
            raise NotFound("No such document.")
        for name, value in changed.items():
            setattr(resource, name, value)
        resource.save(update_fields=[*changed, "updated_at"])
        audit_record(
            project_id=resource.project_id,
            resource=resource,
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            details={"fields": sorted(changed)},
        )
        from konnaxion.keenkonnect.services.intelligent_indexing import resource_vector_refresh

        resource_vector_refresh(resource_ids=[resource.pk])
        _announce(resource=resource, type="resource.updated", actor=actor)
    return resource


def resource_download(
    *, resource: ProjectResource, actor, version_number: int | None = None
) -> DocumentVersion:
    """The version to send (the current one by default), recorded in the audit log.

    Raises NotFound for an unreadable resource, an unknown version, or a document purged since
    it was read.
    """
    from konnaxion.keenkonnect.services.granular_permissions import ensure_level

    ensure_level(resource=resource, needed=AccessLevel.READ)
    if version_number is None:
        version = resource.current_version
    else:
        version = (
            DocumentVersion.objects.filter(resource=resource, number=version_number)
            .select_related("blob")
            .first()
        )
    if version is None:
        raise NotFound("No such version.")
    try:
        with transaction.atomic():
            audit_record(
                project_id=resource.project_id,
                resource=resource,
                actor=actor,
                action=AuditEvent.Action.DOWNLOAD,
                details={"version": version.number},
            )
    except IntegrityError as gone:
        # Purged (or its project deleted) since it was read: nothing to send any more.
        raise NotFound("No such document.") from gone
    return version


@transaction.atomic
def resource_trash(*, resource: ProjectResource, actor) -> ProjectResource:
    """Move a document to the trash (write level); restorable for STOCKAGE_TRASH_DAYS days."""
    from konnaxion.keenkonnect.services.granular_permissions import ensure_level, ensure_level_now

    ensure_level(resource=resource, needed=AccessLevel.WRITE)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.WRITE)
    updated = ProjectResource.objects.filter(pk=resource.pk, trashed_at__isnull=True).update(
        trashed_at=timezone.now(), trashed_by=actor
    )
    if not updated:
        raise NotFound("No such document.")
    audit_record(
        project_id=resource.project_id,
        resource=resource,
        actor=actor,
        action=AuditEvent.Action.TRASH,
    )
    _announce(resource=resource, type="resource.trashed", actor=actor)
    resource.refresh_from_db(fields=["trashed_at", "trashed_by"])
    return resource


def _trash_deadline():
    return timezone.now() - timedelta(days=settings.STOCKAGE_TRASH_DAYS)


@transaction.atomic
def resource_restore_from_trash(*, resource: ProjectResource, actor) -> ProjectResource:
    """Take a document out of the trash (write level) within STOCKAGE_TRASH_DAYS days.

    Raises NotFound (not trashed, or trashed too long ago), PermissionDenied.
    """
    from konnaxion.keenkonnect.services.granular_permissions import ensure_level, ensure_level_now

    ensure_level(resource=resource, needed=AccessLevel.WRITE)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.WRITE)
    updated = ProjectResource.objects.filter(
        pk=resource.pk, trashed_at__isnull=False, trashed_at__gte=_trash_deadline()
    ).update(trashed_at=None, trashed_by=None)
    if not updated:
        raise NotFound("No such document in the trash.")
    audit_record(
        project_id=resource.project_id,
        resource=resource,
        actor=actor,
        action=AuditEvent.Action.UNTRASH,
    )
    _announce(resource=resource, type="resource.added", actor=actor)
    resource.refresh_from_db(fields=["trashed_at", "trashed_by"])
    return resource


@transaction.atomic
def resource_purge(*, resource: ProjectResource, actor) -> None:
    """Delete a document, its versions and entries for good (admin level). Its blobs are then
    collected by `blobs_collect_garbage` once nothing refers to them."""
    from konnaxion.keenkonnect.services.granular_permissions import ensure_level, ensure_level_now

    ensure_level(resource=resource, needed=AccessLevel.ADMIN)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.ADMIN)
    if resource_lock(resource_id=resource.pk) is None:
        raise NotFound("No such document.")
    audit_record(
        project_id=resource.project_id,
        resource=None,
        actor=actor,
        action=AuditEvent.Action.PURGE,
        details={"resource": resource.pk, "title": resource.title},
    )
    _announce(resource=resource, type="resource.removed", actor=actor)
    ProjectResource.objects.filter(pk=resource.pk).delete()


def resources_purge_expired_trash() -> int:
    """Purge the documents trashed more than STOCKAGE_TRASH_DAYS days ago. Idempotent."""
    purged = 0
    expired = ProjectResource.objects.filter(trashed_at__lt=_trash_deadline())
    for pk, project_id, title in expired.values_list("pk", "project_id", "title"):
        with transaction.atomic():
            try:
                project_lock(project_id=project_id)
            except NotFound:
                continue  # the project was deleted meanwhile, with its documents
            locked = resource_lock(resource_id=pk)
            if locked is None or not (locked.trashed_at and locked.trashed_at < _trash_deadline()):
                continue
            audit_record(
                project_id=project_id,
                resource=None,
                actor=None,
                action=AuditEvent.Action.PURGE,
                details={"resource": pk, "title": title, "reason": "trash expired"},
            )
            real_time_sync.event_record(
                project_id=project_id,
                type="resource.removed",
                resource_id=pk,
                version=None,
                actor=None,
            )
            ProjectResource.objects.filter(pk=pk).delete()
            purged += 1
    return purged
