"""secure_document_storage: the lifecycle of a project's documents.

A document (`ProjectResource`) is created with its first version from a checked upload, edited,
downloaded (each download audited), trashed, restored and purged. The bytes of every version are
blobs of the file store (`konnaxion.files.services`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from konnaxion.core.errors import NotFound, PermissionDenied, ValidationFailed
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_store, upload_check
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentVersion,
    Project,
    ProjectResource,
)
from konnaxion.keenkonnect.services import document_versioning, real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.checkout_rules import checkout_end, checkout_guard
from konnaxion.keenkonnect.services.granular_permissions import (
    ensure_level,
    ensure_level_now,
    project_level_of,
)
from konnaxion.keenkonnect.services.intelligent_indexing import (
    resource_index_enqueue,
    resource_vector_refresh,
)
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.keenkonnect.services.version_labels import label_clean, note_clean
from konnaxion.tags.services import TAG_MAX_LENGTH, tag_name_normalise
from konnaxion.users.models import User

if TYPE_CHECKING:  # a type that exists for the type checker only
    from konnaxion.keenkonnect.selectors import ResourceWithLevel


def resource_create(
    *,
    project: Project,
    upload: IncomingFile,
    actor: User,
    title: str = "",
    description: str = "",
    label: str = "",
    note: str = "",
) -> ProjectResource:
    """A new document with `upload` as version 1 (write level on the project needed), which may
    carry a label and a note.

    Raises PermissionDenied, ValidationFailed, FileTypeNotAllowed, FileContentMismatch; a
    refused upload leaves no row, no blob and no temporary file.
    """
    try:
        if project_level_of(user=actor, project=project) < AccessLevel.WRITE:
            raise PermissionDenied("Only the project's owners and collaborators may upload.")
        label, note = label_clean(label=label), note_clean(note=note)
        verified = upload_check(upload=upload)
    except BaseException:
        upload.discard()
        raise
    blob = blob_store(upload=upload, content_type=verified.content_type)
    with transaction.atomic():
        project_lock(project_id=project.pk)
        return resource_add_locked(
            project=project,
            blob=blob,
            content_type=verified.content_type,
            original_name=verified.file_name.name,
            added_by=actor,
            title=title,
            description=description,
            label=label,
            note=note,
        )


def resource_add_locked(
    *,
    project: Project,
    blob: Blob,
    content_type: str,
    original_name: str,
    added_by: User | None,
    title: str = "",
    description: str = "",
    label: str = "",
    note: str = "",
    audit_details: dict[str, Any] | None = None,
) -> ProjectResource:
    """Create a document with the checked, stored `blob` as version 1; audited, announced and
    queued for indexing. The caller holds the project's row lock in its transaction and has
    decided who may add it (`added_by` is None for a file received by link)."""
    resource = ProjectResource.objects.create(
        project=project,
        title=(title or original_name)[:200],
        description=description,
        added_by=added_by,
    )
    document_versioning.version_first_add(
        resource=resource,
        blob=blob,
        content_type=content_type,
        original_name=original_name,
        actor=added_by,
        label=label,
        note=note,
    )
    audit_record(
        project_id=project.pk,
        resource=resource,
        actor=added_by,
        action=AuditEvent.Action.UPLOAD,
        details={"version": 1, "sha256": blob.sha256, "size": blob.size, **(audit_details or {})},
    )
    _announce(resource=resource, type="resource.added", version=1, actor=added_by)
    resource_index_enqueue(resource=resource, version_number=1)
    return resource


def _announce(
    *, resource: ProjectResource, type: str, actor: User | None, version: int | None = None
) -> None:
    real_time_sync.event_record(
        project_id=resource.project_id,
        type=type,
        resource_id=resource.pk,
        version=version,
        actor=actor,
    )


def resource_update(
    *,
    resource: ResourceWithLevel,
    actor: User,
    title: str | None = None,
    description: str | None = None,
    tags: list[str] | None = None,
) -> ProjectResource:
    """Edit a document's title, description or tags (write level).
    Raises NotFound, PermissionDenied, ValidationFailed (tags), DocumentLocked."""
    ensure_level(resource=resource, needed=AccessLevel.WRITE)
    changed: dict[str, object] = {}
    if title is not None:
        changed["title"] = title
    if description is not None:
        changed["description"] = description
    if tags is not None:
        changed["tags"] = document_tags_clean(tags=tags)
    with transaction.atomic():
        project_lock(project_id=resource.project_id)
        ensure_level_now(user=actor, resource=resource, needed=AccessLevel.WRITE)
        if resource_lock(resource_id=resource.pk) is None:
            raise NotFound("No such document.")
        checkout_guard(resource_id=resource.pk, actor=actor)
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
        resource_vector_refresh(resource_ids=[resource.pk])
        _announce(resource=resource, type="resource.updated", actor=actor)
    return resource


MAX_DOCUMENT_TAGS = 20


def document_tags_clean(*, tags: list[str]) -> list[str]:
    """`tags` with their spaces normalised and repeats (case aside) dropped, in order.
    Raises ValidationFailed for more than MAX_DOCUMENT_TAGS tags or a blank or too long one."""
    cleaned: dict[str, str] = {}
    for raw in tags:
        name = tag_name_normalise(raw)
        if not name or len(name) > TAG_MAX_LENGTH:
            raise ValidationFailed(
                f"Tag names must be 1 to {TAG_MAX_LENGTH} characters.",
                details={"fields": {"tags": [str(raw)[:80]]}},
            )
        cleaned.setdefault(name.lower(), name)
    if len(cleaned) > MAX_DOCUMENT_TAGS:
        raise ValidationFailed(
            f"At most {MAX_DOCUMENT_TAGS} tags.", details={"fields": {"tags": "too many"}}
        )
    return list(cleaned.values())


def resource_download(
    *,
    resource: ResourceWithLevel,
    actor: User | AnonymousUser,
    version_number: int | None = None,
) -> DocumentVersion:
    """The version to send (the current one by default), recorded in the audit log.

    Raises NotFound for an unreadable resource, an unknown version, or a document purged since
    it was read.
    """
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
def resource_trash(*, resource: ResourceWithLevel, actor: User) -> ResourceWithLevel:
    """Move a document to the trash (write level); restorable for STOCKAGE_TRASH_DAYS days.
    The holder's own lock ends with it. Raises NotFound, PermissionDenied, DocumentLocked."""
    ensure_level(resource=resource, needed=AccessLevel.WRITE)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.WRITE)
    if resource_lock(resource_id=resource.pk) is None:
        raise NotFound("No such document.")
    own_checkout = checkout_guard(resource_id=resource.pk, actor=actor)
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
    if own_checkout is not None:
        checkout_end(checkout=own_checkout, actor=actor, reason="trashed")
    _announce(resource=resource, type="resource.trashed", actor=actor)
    resource.refresh_from_db(fields=["trashed_at", "trashed_by"])
    return resource


def _trash_deadline() -> datetime:
    return timezone.now() - timedelta(days=settings.STOCKAGE_TRASH_DAYS)


@transaction.atomic
def resource_restore_from_trash(*, resource: ResourceWithLevel, actor: User) -> ResourceWithLevel:
    """Take a document out of the trash (write level) within STOCKAGE_TRASH_DAYS days.

    Raises NotFound (not trashed, or trashed too long ago), PermissionDenied.
    """
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
def resource_purge(*, resource: ResourceWithLevel, actor: User) -> None:
    """Delete a document, its versions and entries for good (admin level). Its blobs are then
    collected by `blobs_collect_garbage` once nothing refers to them. Raises NotFound,
    PermissionDenied, DocumentLocked (checked out by someone else)."""
    ensure_level(resource=resource, needed=AccessLevel.ADMIN)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.ADMIN)
    if resource_lock(resource_id=resource.pk) is None:
        raise NotFound("No such document.")
    checkout_guard(resource_id=resource.pk, actor=actor)
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
