"""Konservation: tradition entries are submitted by anyone signed in, approved by moderators."""

from __future__ import annotations

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from konnaxion.core.errors import Conflict, PermissionDenied
from konnaxion.core.permissions import is_moderator
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_store_file
from konnaxion.kreative.models import TraditionEntry
from konnaxion.kreative.services.media import media_file_name, media_sniff
from konnaxion.users.models import User


def tradition_entry_submit(
    *,
    submitted_by: User,
    title: str,
    description: str,
    region: str,
    media_file: File[bytes] | None = None,
) -> TraditionEntry:
    """A pending entry; its media, when given, must really be image, video or audio, and is
    stored as an encrypted blob with the type read from its content.

    Raises UnsupportedMediaType, StorageFull.
    """
    stored: dict[str, Blob | str] = {}
    if media_file is not None:
        content_type = media_sniff(media_file).content_type
        stored = {
            "media": blob_store_file(file=media_file, content_type=content_type),
            "media_name": media_file_name(media_file, default="media"),
            "media_content_type": content_type,
        }
    return TraditionEntry.objects.create(
        submitted_by=submitted_by, title=title, description=description, region=region, **stored
    )


@transaction.atomic
def tradition_entry_approve(*, entry: TraditionEntry, moderator: User) -> TraditionEntry:
    """Approve the entry, recording who and when. Raises PermissionDenied, Conflict."""
    if not is_moderator(moderator):
        raise PermissionDenied("Only moderators approve tradition entries.")
    entry = TraditionEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.approved:
        raise Conflict("This entry is already approved.", code="already_approved")
    entry.approved = True
    entry.approved_by = moderator
    entry.approved_at = timezone.now()
    entry.save(update_fields=["approved", "approved_by", "approved_at", "updated_at"])
    return entry


def tradition_entry_update(*, entry: TraditionEntry, actor: User, **fields: str) -> TraditionEntry:
    """The submitter edits a pending entry. Raises PermissionDenied, Conflict."""
    if entry.submitted_by_id != actor.pk:
        raise PermissionDenied("Only the submitter may change this entry.")
    if entry.approved:
        raise Conflict("Approved entries are archived and cannot change.", code="archived")
    for name in ("title", "description", "region"):
        if name in fields:
            setattr(entry, name, fields[name])
    entry.save()
    return entry
