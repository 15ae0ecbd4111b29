"""Files attached to Kontact's opportunities and applications: PDF, PNG or JPG, checked by
content, each at most OPPORTUNITY_ATTACHMENT_MAX_MB, stored as blobs of the platform's store.

One checking and storing path for both (opportunity_announcement and its applications)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from konnaxion.files.file_policy import FileTypeNotAllowed
from konnaxion.files.incoming import FileTooLarge, IncomingFile
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_store, upload_check

ATTACHMENT_EXTENSIONS = (".pdf", ".png", ".jpg")
Stored = TypeVar("Stored")


def attachment_max_bytes() -> int:
    return settings.OPPORTUNITY_ATTACHMENT_MAX_MB * 1024 * 1024


def attachments_store(
    *, uploads: list[IncomingFile], record: Callable[[Blob, str, str], Stored]
) -> list[Stored]:
    """Check and store every upload, then `record(blob, name, content_type)` its row; returns
    the rows. Raises PayloadTooLarge, UnsupportedMediaType; on any refusal every upload not yet
    stored is discarded (the caller's transaction rolls back the rows already made)."""
    pending = list(uploads)
    stored: list[Stored] = []
    try:
        while pending:
            upload = pending.pop(0)
            if upload.size > attachment_max_bytes():
                upload.discard()
                raise FileTooLarge(details={"max_bytes": attachment_max_bytes()})
            verified = upload_check(upload=upload)
            if verified.file_name.extension not in ATTACHMENT_EXTENSIONS:
                upload.discard()
                raise FileTypeNotAllowed(
                    details={"reason": "extension", "allowed": list(ATTACHMENT_EXTENSIONS)}
                )
            blob = blob_store(upload=upload, content_type=verified.content_type)
            stored.append(record(blob, verified.file_name.name, verified.content_type))
    finally:
        for upload in pending:
            upload.discard()
    return stored


def uploads_discard(uploads: list[IncomingFile]) -> None:
    """Throw away uploads a refused request brought (their temporary files)."""
    for upload in uploads:
        upload.discard()
