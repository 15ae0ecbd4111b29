"""The blob store: checked, encrypted, content-addressed storage of every uploaded file.

Documents, their previews, artworks, avatars and opportunity attachments all keep their bytes
here. An upload arrives in an `IncomingFile` (streamed, hashed and encrypted as it comes), is
checked against the file policy by `upload_check`, and becomes a `Blob` through `blob_store`,
which keeps identical content once. Blobs are read back decrypted on the fly, a byte range at a
time.
"""

from __future__ import annotations

import functools
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models.fields.reverse_related import ForeignObjectRel, ManyToManyRel
from django.utils import timezone

from konnaxion.files.encryption import (
    CHUNK_SIZE,
    ChunkOpener,
    current_master_key,
    data_key_unwrap,
    data_key_wrap,
)
from konnaxion.files.file_policy import FileName, file_name_normalise
from konnaxion.files.incoming import IncomingFile, storage_full_as_error
from konnaxion.files.models import Blob, storage_name_for
from konnaxion.files.placing import stored_file_put
from konnaxion.files.reading import (
    PlaintextFile,
    StorageSource,
    iter_plaintext,
    opener_for,
)
from konnaxion.files.sniffing import content_check

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


def blob_store(*, upload: IncomingFile, content_type: str, model: type[Blob] = Blob) -> Blob:
    """Store `upload` as a Blob, or reuse the Blob that already holds identical content.

    Race-safe: concurrent stores of one content produce one Blob and one stored file. The upload's
    temporary file is removed whatever happens; on failure no row and no stored file remain.
    `model` is the Blob model written through (a data migration passes its historical one).
    Raises StorageFull (507) when the storage has no room left.
    """
    stored_name = None
    saving = None
    try:
        upload.finish()
        with transaction.atomic():
            _lock_content(upload.sha256)
            existing = model.objects.select_for_update().filter(sha256=upload.sha256).first()
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
            return model.objects.create(
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


def blob_store_file(*, file: File, content_type: str, model: type[Blob] = Blob) -> Blob:
    """Store the whole content of the Django `file` as a Blob, as `blob_store` does: for content
    its caller has already received and checked (pictures re-encoded or sniffed, derived images,
    files moved from plain storage). No size cap is added. Raises StorageFull (507)."""
    upload = IncomingFile(name=file.name or "", max_bytes=file.size)
    try:
        for chunk in file.chunks():
            upload.write(chunk)
    except BaseException:
        upload.discard()
        raise
    return blob_store(upload=upload, content_type=content_type, model=model)


def _source_and_opener(blob: Blob) -> tuple[StorageSource, ChunkOpener]:
    source = StorageSource(default_storage, blob.storage_name)
    data_key = data_key_unwrap(bytes(blob.wrapped_key), blob.key_id)
    return source, opener_for(source, data_key=data_key, size=blob.size)


def blob_read(*, blob: Blob, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
    """Yield the plaintext bytes [start, stop) of `blob`, fetching and decrypting only the chunks
    that hold them. Raises BlobIntegrityError if the stored file was tampered with."""
    source, opener = _source_and_opener(blob)
    return iter_plaintext(source, opener, start=start, stop=stop)


def blob_is_stored(*, blob: Blob) -> bool:
    """Whether `blob`'s stored file is there (a stat on a local folder, a HEAD on S3)."""
    return default_storage.exists(blob.storage_name)


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
        if isinstance(field, ForeignObjectRel)
    ]
    for relation in relations:
        # A many-to-many relation's `through` model is always set once the models are loaded.
        if isinstance(relation, ManyToManyRel) and relation.through is not None:
            through = relation.through
            field = next(
                f for f in through._meta.get_fields() if getattr(f, "related_model", None) is Blob
            )
            referrers = through._base_manager.filter(**{field.name: models.OuterRef("pk")})
        else:
            referrers = relation.related_model._base_manager.filter(
                **{relation.field.name: models.OuterRef("pk")}
            )
        condition &= models.Q(~models.Exists(referrers))
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
            transaction.on_commit(functools.partial(default_storage.delete, name))
            deleted += 1
    if deleted:
        logger.info("Deleted %d unreferenced blobs.", deleted)
    return deleted


def blobs_delete_unreferenced(*, blob_ids: Iterable[int]) -> int:
    """Delete at once (row and file) those of `blob_ids` that nothing refers to any more: for a
    deletion that promised their removal (an account deleted with its artworks), which the
    grace of `blobs_collect_garbage` would delay. A blob still used elsewhere (the same content
    stored by someone else) is kept. Returns how many were deleted."""
    wanted = Blob.objects.filter(_unreferenced(), pk__in=sorted(set(blob_ids)))
    deleted = 0
    for sha256 in wanted.values_list("sha256", flat=True):
        with transaction.atomic():
            _lock_content(sha256)
            blob = wanted.select_for_update(skip_locked=True).filter(sha256=sha256).first()
            if blob is None:
                continue
            name = blob.storage_name
            blob.delete()
            transaction.on_commit(functools.partial(default_storage.delete, name))
            deleted += 1
    return deleted
