"""document_versioning: sequential revisions of a document, restore, and version retention.

Numbers are allocated under a row lock of the resource, so concurrent uploads get contiguous,
unique numbers; the blob is stored before the lock is taken, so the lock is held briefly. History
is never rewritten: restoring adds a version that points at the old blob (no copy).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_store, upload_check
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentVersion,
    ProjectResource,
    RetentionPolicy,
)
from konnaxion.keenkonnect.services import notices, real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.checkout_rules import checkout_end, checkout_guard
from konnaxion.keenkonnect.services.document_diff import document_diff, pdf_page_overlay
from konnaxion.keenkonnect.services.granular_permissions import ensure_level, ensure_level_now
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index_enqueue
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.keenkonnect.services.version_labels import (
    label_clean,
    label_ensure_free,
    note_clean,
)
from konnaxion.users.models import User

if TYPE_CHECKING:  # a type that exists for the type checker only
    from konnaxion.keenkonnect.selectors import ResourceWithLevel


class VersionConflict(ApplicationError):
    code = "version_conflict"
    status = 412
    message = "The document has a newer version than the one you last saw."


def _version_add(
    *,
    resource: ProjectResource,
    number: int,
    blob: Blob,
    content_type: str,
    original_name: str,
    actor: User | None,
    comment: str = "",
    label: str = "",
    note: str = "",
) -> DocumentVersion:
    """Record version `number` of `resource` and make it current (the resource is locked);
    `label` and `note` were cleaned by the caller and the label checked free under the lock."""
    label_ensure_free(resource_id=resource.pk, label=label)
    version = DocumentVersion.objects.create(
        resource=resource,
        number=number,
        blob=blob,
        size=blob.size,
        sha256=blob.sha256,
        content_type=content_type,
        original_name=original_name,
        uploaded_by=actor,
        comment=comment,
        label=label,
        note=note,
        labelled_by=actor if label else None,
        labelled_at=timezone.now() if label else None,
    )
    ProjectResource.objects.filter(pk=resource.pk).update(
        current_version=version,
        current_content_type=version.content_type,
        updated_at=timezone.now(),
    )
    resource.current_version = version
    resource.current_content_type = version.content_type
    return version


def version_first_add(
    *,
    resource: ProjectResource,
    blob: Blob,
    content_type: str,
    original_name: str,
    actor: User | None,
    label: str = "",
    note: str = "",
) -> DocumentVersion:
    """Record version 1 of a document being created (in its creation's transaction, which
    audits, announces and indexes the new document as a whole). Its uploader watches it."""
    notices.document_watch(resource=resource, user=actor)
    return _version_add(
        resource=resource,
        number=1,
        blob=blob,
        content_type=content_type,
        original_name=original_name,
        actor=actor,
        label=label,
        note=note,
    )


def _append(
    *,
    resource: ResourceWithLevel,
    blob: Blob,
    content_type: str,
    original_name: str,
    actor: User,
    comment: str,
    expected_number: int | None,
    action: str,
    details: dict[str, Any],
    check_in: bool = False,
    label: str = "",
    note: str = "",
) -> DocumentVersion:
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.WRITE)
    locked = resource_lock(resource_id=resource.pk)
    if locked is None:
        raise NotFound("No such document.")
    own_checkout = checkout_guard(resource_id=resource.pk, actor=actor)
    latest = locked.versions.aggregate(latest=Max("number"))["latest"] or 0
    if expected_number is not None and expected_number != latest:
        raise VersionConflict(details={"current_version": latest, "expected": expected_number})
    version = _version_add(
        resource=resource,
        number=latest + 1,
        blob=blob,
        content_type=content_type,
        original_name=original_name,
        actor=actor,
        comment=comment,
        label=label,
        note=note,
    )
    audit_record(
        project_id=resource.project_id,
        resource=resource,
        actor=actor,
        action=action,
        details={"version": version.number, **details},
    )
    real_time_sync.event_record(
        project_id=resource.project_id,
        type="resource.restored"
        if action == AuditEvent.Action.RESTORE
        else "resource.version_added",
        resource_id=resource.pk,
        version=version.number,
        actor=actor,
    )
    resource_index_enqueue(resource=resource, version_number=version.number)
    if check_in and own_checkout is not None:
        checkout_end(checkout=own_checkout, actor=actor, reason="checked_in")
    notices.version_added_notify(resource=resource, version_number=version.number, actor=actor)
    return version


def version_create(
    *,
    resource: ResourceWithLevel,
    upload: IncomingFile,
    actor: User,
    comment: str = "",
    expected_number: int | None = None,
    keep_checkout: bool = False,
    label: str = "",
    note: str = "",
) -> DocumentVersion:
    """Store `upload` as the next revision of `resource` (write level), with an optional label
    and note. `expected_number` is the version the client last saw (If-Match): a stale one
    raises VersionConflict (412). A document checked out by someone else raises DocumentLocked
    (423); the holder's upload checks it in unless `keep_checkout`.

    Raises NotFound, PermissionDenied, ValidationFailed, LabelTaken, FileTypeNotAllowed,
    FileContentMismatch, VersionConflict, DocumentLocked; on refusal nothing of the upload
    remains (an orphan blob is collected later).
    """
    try:
        ensure_level(resource=resource, needed=AccessLevel.WRITE)
        label, note = label_clean(label=label), note_clean(note=note)
        # Checked before storing, so a refused upload leaves no blob; checked again under lock.
        checkout_guard(resource_id=resource.pk, actor=actor)
        label_ensure_free(resource_id=resource.pk, label=label)
        if expected_number is not None:
            # Checked before storing, so a stale upload leaves no blob; checked again under lock.
            latest = resource.versions.aggregate(latest=Max("number"))["latest"] or 0
            if expected_number != latest:
                raise VersionConflict(
                    details={"current_version": latest, "expected": expected_number}
                )
        verified = upload_check(upload=upload)
    except BaseException:
        upload.discard()
        raise
    blob = blob_store(upload=upload, content_type=verified.content_type)
    with transaction.atomic():
        return _append(
            resource=resource,
            blob=blob,
            content_type=verified.content_type,
            original_name=verified.file_name.name,
            actor=actor,
            comment=comment,
            expected_number=expected_number,
            action=AuditEvent.Action.VERSION,
            details={"sha256": blob.sha256, "size": blob.size},
            check_in=not keep_checkout,
            label=label,
            note=note,
        )


@transaction.atomic
def version_restore(
    *, resource: ResourceWithLevel, number: int, actor: User, comment: str = ""
) -> DocumentVersion:
    """Add a new version with the content of version `number` (write level), in constant time:
    the new row points at the same blob; the holder's lock stays. Raises NotFound,
    PermissionDenied, DocumentLocked."""
    ensure_level(resource=resource, needed=AccessLevel.WRITE)
    old = DocumentVersion.objects.filter(resource=resource, number=number).first()
    if old is None:
        raise NotFound("No such version.")
    return _append(
        resource=resource,
        blob=old.blob,
        content_type=old.content_type,
        original_name=old.original_name,
        actor=actor,
        comment=comment or f"Restored from version {number}",
        expected_number=None,
        action=AuditEvent.Action.RESTORE,
        details={"restored_from": number},
    )


def versions_to_drop(*, resource: ProjectResource, policy: RetentionPolicy) -> list[int]:
    """Primary keys of the versions `policy` no longer keeps: those neither among the last
    `keep_last` nor younger than `keep_days` days; pinned, labelled and current versions always
    stay (a label names a revision someone meant to keep: "Rev B - sent to fabricator")."""
    versions = DocumentVersion.objects.filter(resource=resource, pinned=False, label="")
    if resource.current_version_id is not None:
        versions = versions.exclude(pk=resource.current_version_id)
    kept_pks: set[int] = set()
    if policy.keep_last:
        kept_pks |= set(
            DocumentVersion.objects.filter(resource=resource)
            .order_by("-number")
            .values_list("pk", flat=True)[: policy.keep_last]
        )
    if policy.keep_days:
        cutoff = timezone.now() - timedelta(days=policy.keep_days)
        kept_pks |= set(
            DocumentVersion.objects.filter(resource=resource, created_at__gte=cutoff).values_list(
                "pk", flat=True
            )
        )
    return [pk for pk in versions.values_list("pk", flat=True) if pk not in kept_pks]


def versions_apply_retention() -> int:
    """Delete the versions each project's retention policy no longer keeps (their blobs are then
    garbage-collected). Idempotent; returns how many versions were deleted."""
    deleted = 0
    for policy in RetentionPolicy.objects.all():
        resources = ProjectResource.objects.filter(project_id=policy.project_id)
        for resource in resources:
            with transaction.atomic():
                locked = resource_lock(resource_id=resource.pk)
                if locked is None:
                    continue
                doomed = versions_to_drop(resource=locked, policy=policy)
                if doomed:
                    DocumentVersion.objects.filter(pk__in=doomed).delete()
                    deleted += len(doomed)
    return deleted


def _version_pair(
    *, resource: ResourceWithLevel, from_number: int, to_number: int
) -> tuple[DocumentVersion, DocumentVersion]:
    ensure_level(resource=resource, needed=AccessLevel.READ)
    versions = {
        version.number: version
        for version in DocumentVersion.objects.filter(
            resource=resource, number__in=(from_number, to_number)
        ).select_related("blob", "uploaded_by")
    }
    if from_number not in versions or to_number not in versions:
        raise NotFound("No such version.")
    return versions[from_number], versions[to_number]


def version_diff(
    *, resource: ResourceWithLevel, from_number: int, to_number: int
) -> dict[str, Any]:
    """The type-aware diff of two versions of `resource` (read level), the one computation the
    API and the web front show. Raises NotFound for a version that does not exist."""
    old, new = _version_pair(resource=resource, from_number=from_number, to_number=to_number)
    return document_diff(old=old.blob, new=new.blob, old_meta=_meta(old), new_meta=_meta(new))


def version_diff_highlight(
    *, resource: ResourceWithLevel, from_number: int, to_number: int, page: int | None = None
) -> Blob:
    """The PNG highlighting what changed between two image versions or, with `page`, on that
    page of the newer of two PDF versions (a changed page the diff offers an overlay of).
    Raises NotFound when there is no such picture, AnalysisFailed when a page cannot be drawn."""
    old, new = _version_pair(resource=resource, from_number=from_number, to_number=to_number)
    diff = document_diff(old=old.blob, new=new.blob, old_meta=_meta(old), new_meta=_meta(new))
    if page is not None:
        pages = (diff.get("pdf") or {}).get("pages") or []
        match = next((p for p in pages if p["new_page"] == page and p["overlay"]), None)
        if match is None:
            raise NotFound("This page has no highlighted changes.")
        return pdf_page_overlay(
            old=old.blob, new=new.blob, old_page=match["old_page"], new_page=page
        )
    highlight = (diff.get("image") or {}).get("highlight")
    blob = highlight and Blob.objects.filter(sha256=highlight["sha256"]).first()
    if not blob:
        raise NotFound("These versions have no highlighted changes.")
    return blob


def _meta(version: DocumentVersion) -> dict[str, Any]:
    return {
        "version": version.number,
        "uploaded_by": getattr(version.uploaded_by, "username", None),
        "uploaded_at": version.created_at,
        "file_name": version.original_name,
        "comment": version.comment,
        "label": version.label,
    }
