"""Encrypted pieces of a file being received over several requests, kept in the shared storage.

A resumable upload arrives in pieces, possibly through different servers. Each piece is
received like any upload (an `IncomingFile`: its own random data key, sealed in the blob format)
and stored in Django's default storage (the S3 bucket or the local media folder), which every
server sees, under a name its caller chooses. The piece's data key, wrapped under the master
key, is returned to be kept in the database: the storage alone holds no readable byte.
"""

from __future__ import annotations

import base64
import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.core.files.storage import FileSystemStorage, default_storage

from konnaxion.files.encryption import data_key_unwrap, data_key_wrap
from konnaxion.files.incoming import IncomingFile, storage_full_as_error
from konnaxion.files.placing import stored_file_put
from konnaxion.files.reading import StorageSource, iter_plaintext, opener_for


@dataclass(frozen=True)
class StoredPart:
    """A stored piece: its storage name, plaintext size and wrapped data key (JSON-friendly)."""

    name: str
    size: int
    wrapped_key: str  # base64
    key_id: str

    def as_json(self) -> dict[str, str | int]:
        return {
            "name": self.name,
            "size": self.size,
            "wrapped_key": self.wrapped_key,
            "key_id": self.key_id,
        }

    @classmethod
    def from_json(cls, data: dict[str, str | int]) -> StoredPart:
        return cls(
            name=str(data["name"]),
            size=int(data["size"]),
            wrapped_key=str(data["wrapped_key"]),
            key_id=str(data["key_id"]),
        )


def stored_part_put(*, name: str, upload: IncomingFile) -> StoredPart:
    """Seal `upload` and store it under `name` (which must be free); its temporary file is
    removed whatever happens, and a failed store leaves nothing under `name`. Raises StorageFull
    (507) when the storage has no room left."""
    stored_name = None
    try:
        upload.finish()
        with storage_full_as_error():
            stored_name = stored_file_put(storage=default_storage, name=name, path=upload.path)
        if stored_name != name:
            raise RuntimeError(f"The storage saved {name} as {stored_name}.")
        wrapped_key, key_id = data_key_wrap(upload.data_key)
        return StoredPart(
            name=name,
            size=upload.size,
            wrapped_key=base64.b64encode(wrapped_key).decode(),
            key_id=key_id,
        )
    except BaseException:
        default_storage.delete(stored_name or name)
        raise
    finally:
        upload.discard()


def stored_part_read(*, part: StoredPart) -> Iterator[bytes]:
    """Yield the plaintext of `part`, a chunk at a time. Raises BlobIntegrityError if the stored
    piece was tampered with or truncated."""
    source = StorageSource(default_storage, part.name)
    data_key = data_key_unwrap(base64.b64decode(part.wrapped_key), part.key_id)
    return iter_plaintext(source, opener_for(source, data_key=data_key, size=part.size))


def stored_parts_delete(*, names: list[str]) -> None:
    """Delete stored pieces (missing ones are ignored)."""
    for name in names:
        default_storage.delete(name)


def stored_parts_list(*, prefix: str) -> Iterator[tuple[str, datetime]]:
    """Every stored name under `prefix/` (one folder level below it) with its modification time.

    On a local folder, the emptied folders are removed on the way."""
    try:
        folders, _files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for folder in folders:
        path = f"{prefix}/{folder}"
        try:
            _subfolders, files = default_storage.listdir(path)
        except FileNotFoundError:
            continue
        for file in files:
            name = f"{path}/{file}"
            try:
                yield name, default_storage.get_modified_time(name)
            except FileNotFoundError:
                continue
        if not files and isinstance(default_storage, FileSystemStorage):
            with contextlib.suppress(OSError):
                os.rmdir(default_storage.path(path))
