"""Version labels and notes: naming a revision ("Rev B - sent to fabricator") and explaining it.

A version's `comment` is what its uploader said when uploading: it belongs to the history and is
never edited. Its `label` and `note` are its annotation, set at upload or later by anyone with
write level; who set the label and when is kept on the version, every change in the audit log.
A label is unique among a document's versions (case aside) and keeps its version from retention.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from konnaxion.core.errors import Conflict, NotFound, ValidationFailed
from konnaxion.keenkonnect.models import AccessLevel, AuditEvent, DocumentVersion
from konnaxion.keenkonnect.models.documents import (
    VERSION_LABEL_MAX_LENGTH,
    VERSION_NOTE_MAX_LENGTH,
)
from konnaxion.keenkonnect.services import real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.granular_permissions import ensure_level, ensure_level_now
from konnaxion.keenkonnect.services.intelligent_indexing import resource_vector_refresh
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.users.models import User

if TYPE_CHECKING:  # a type that exists for the type checker only
    from konnaxion.keenkonnect.selectors import ResourceWithLevel


class LabelTaken(Conflict):
    code = "label_taken"
    message = "Another version of this document already has this label."


def _has_control_characters(text: str, *, allow_newlines: bool) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(unicodedata.category(char) == "Cc" and char not in allowed for char in text)


def label_clean(*, label: str) -> str:
    """`label` with surrounding spaces removed ("" removes the label). Raises ValidationFailed
    for a label too long or holding control characters."""
    label = label.strip()
    if len(label) > VERSION_LABEL_MAX_LENGTH or _has_control_characters(
        label, allow_newlines=False
    ):
        raise ValidationFailed(
            details={
                "fields": {"label": f"at most {VERSION_LABEL_MAX_LENGTH} characters, on one line"}
            }
        )
    return label


def note_clean(*, note: str) -> str:
    """`note` with trailing spaces removed. Raises ValidationFailed when it is too long or holds
    control characters other than line breaks and tabs."""
    note = note.rstrip()
    if len(note) > VERSION_NOTE_MAX_LENGTH or _has_control_characters(note, allow_newlines=True):
        raise ValidationFailed(
            details={"fields": {"note": f"at most {VERSION_NOTE_MAX_LENGTH} characters"}}
        )
    return note


def label_ensure_free(*, resource_id: int, label: str, except_number: int | None = None) -> None:
    """Raise LabelTaken when another version of the document carries `label` (case aside)."""
    if not label:
        return
    others = DocumentVersion.objects.annotate(lowered=Lower("label")).filter(
        resource_id=resource_id, lowered=label.lower()
    )
    if except_number is not None:
        others = others.exclude(number=except_number)
    if others.exists():
        raise LabelTaken(details={"fields": {"label": "already used by another version"}})


@transaction.atomic
def version_annotate(
    *,
    resource: ResourceWithLevel,
    number: int,
    actor: User,
    label: str | None = None,
    note: str | None = None,
) -> DocumentVersion:
    """Set the label and/or the note of version `number` of `resource` (write level); None
    leaves a field as it is, "" clears it. A change is audited and announced to the project
    (`resource.version_labelled`); an unchanged annotation records nothing.

    Raises NotFound (no such document or version), PermissionDenied, ValidationFailed,
    LabelTaken (409).
    """
    ensure_level(resource=resource, needed=AccessLevel.WRITE)
    label = None if label is None else label_clean(label=label)
    note = None if note is None else note_clean(note=note)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.WRITE)
    if resource_lock(resource_id=resource.pk) is None:
        raise NotFound("No such document.")
    version = (
        DocumentVersion.objects.select_for_update(no_key=True)
        .filter(resource_id=resource.pk, number=number)
        .first()
    )
    if version is None:
        raise NotFound("No such version.")
    changed: list[str] = []
    if label is not None and label != version.label:
        label_ensure_free(resource_id=resource.pk, label=label, except_number=number)
        version.label = label
        version.labelled_by = actor if label else None
        version.labelled_at = timezone.now() if label else None
        changed += ["label", "labelled_by", "labelled_at"]
    if note is not None and note != version.note:
        version.note = note
        changed.append("note")
    if not changed:
        return version
    version.save(update_fields=changed)
    audit_record(
        project_id=resource.project_id,
        resource=resource,
        actor=actor,
        action=AuditEvent.Action.ANNOTATE,
        details={
            "version": number,
            "fields": sorted({"label" if name.startswith("label") else name for name in changed}),
            "label": version.label,
        },
    )
    if "label" in changed:
        resource_vector_refresh(resource_ids=[resource.pk])
    real_time_sync.event_record(
        project_id=resource.project_id,
        type="resource.version_labelled",
        resource_id=resource.pk,
        version=number,
        actor=actor,
    )
    return version
