"""Reading encrypted blobs: only the chunks a byte range needs are fetched and decrypted."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from django.core.files.storage import Storage

from konnaxion.files.encryption import (
    CHUNK_SIZE,
    HEADER_SIZE,
    SEALED_CHUNK_SIZE,
    BlobIntegrityError,
    ChunkOpener,
    sealed_size,
)

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

READ_PIECE = 1024 * 1024


class CiphertextSource(Protocol):
    def read_range(self, offset: int, length: int) -> Iterator[bytes]:
        """Yield the stored bytes [offset, offset + length) in pieces."""


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


class _BucketStorage(Protocol):
    """What a ranged read uses of django-storages' `S3Storage` (an untyped library)."""

    bucket: Any  # boto3's Bucket resource

    def _normalize_name(self, name: str) -> str: ...


class LocalFileSource:
    """Ciphertext in a file on this machine (an upload being received)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def read_range(self, offset: int, length: int) -> Iterator[bytes]:
        with open(self.path, "rb") as handle:
            handle.seek(offset)
            yield from _read_pieces(handle, length)


class StorageSource:
    """Ciphertext in Django's storage: a ranged GET on S3, a seek in a local file otherwise.

    django-storages' `S3File` downloads the whole object before the first read, so S3 is read
    through the bucket's ranged GET instead.
    """

    def __init__(self, storage: Storage, name: str) -> None:
        self.storage = storage
        self.name = name

    def read_range(self, offset: int, length: int) -> Iterator[bytes]:
        if length <= 0:
            return
        bucket = getattr(self.storage, "bucket", None)
        if bucket is not None:
            # The key under `location`.
            key = cast(_BucketStorage, self.storage)._normalize_name(self.name)
            body = bucket.Object(key).get(Range=f"bytes={offset}-{offset + length - 1}")["Body"]
            try:
                yield from _read_pieces(body, length)
            finally:
                body.close()
            return
        with self.storage.open(self.name, "rb") as handle:
            handle.seek(offset)
            yield from _read_pieces(handle, length)


def _read_pieces(handle: _Readable, length: int) -> Iterator[bytes]:
    remaining = length
    while remaining > 0:
        piece = handle.read(min(READ_PIECE, remaining))
        if not piece:
            raise BlobIntegrityError("The stored blob is shorter than its recorded size.")
        remaining -= len(piece)
        yield piece


def _read_exact(source: CiphertextSource, offset: int, length: int) -> bytes:
    return b"".join(source.read_range(offset, length))


def opener_for(source: CiphertextSource, *, data_key: bytes, size: int) -> ChunkOpener:
    """Read the header of the blob in `source` and return its chunk opener."""
    return ChunkOpener(data_key, _read_exact(source, 0, HEADER_SIZE), size)


def iter_plaintext(
    source: CiphertextSource, opener: ChunkOpener, *, start: int = 0, stop: int | None = None
) -> Iterator[bytes]:
    """Yield the plaintext bytes [start, stop) of a blob, decrypting only the chunks needed."""
    stop = opener.size if stop is None else min(stop, opener.size)
    if start < 0 or start > stop:
        raise ValueError("A byte range must satisfy 0 <= start <= stop.")
    if start == stop:
        return
    first, last = start // CHUNK_SIZE, (stop - 1) // CHUNK_SIZE
    offset = HEADER_SIZE + first * SEALED_CHUNK_SIZE
    end = min(HEADER_SIZE + (last + 1) * SEALED_CHUNK_SIZE, sealed_size(opener.size))
    buffer = bytearray()
    index = first
    for piece in source.read_range(offset, end - offset):
        buffer += piece
        while len(buffer) >= SEALED_CHUNK_SIZE or (index == last and len(buffer) == end - offset):
            take = min(SEALED_CHUNK_SIZE, len(buffer))
            plaintext = opener.open(index, bytes(buffer[:take]))
            del buffer[:take]
            chunk_start = index * CHUNK_SIZE
            yield plaintext[max(start - chunk_start, 0) : stop - chunk_start]
            offset += take
            index += 1
            if index > last:
                return
    raise BlobIntegrityError("The stored blob ended before its last chunk.")


class PlaintextFile(io.RawIOBase):
    """A seekable, read-only file of a blob's plaintext, decrypted chunk by chunk on demand."""

    def __init__(self, source: CiphertextSource, opener: ChunkOpener) -> None:
        self._source = source
        self._opener = opener
        self._position = 0
        self._cached_index = -1
        self._cached = b""

    @property
    def size(self) -> int:
        return self._opener.size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self.size}[whence]
        if base + offset < 0:
            raise ValueError("Negative seek position.")
        self._position = base + offset
        return self._position

    def readinto(self, buffer: WriteableBuffer) -> int:
        if self._position >= self.size:
            return 0
        index = self._position // CHUNK_SIZE
        if index != self._cached_index:
            sealed_offset = HEADER_SIZE + index * SEALED_CHUNK_SIZE
            length = min(SEALED_CHUNK_SIZE, sealed_size(self.size) - sealed_offset)
            self._cached = self._opener.open(
                index, _read_exact(self._source, sealed_offset, length)
            )
            self._cached_index = index
        within = self._position - index * CHUNK_SIZE
        with memoryview(buffer) as target:
            piece = self._cached[within : within + len(target)]
            target[: len(piece)] = piece
        self._position += len(piece)
        return len(piece)
