"""The streaming sink of an upload: hashed, measured, size-capped and encrypted as it arrives.

An `IncomingFile` never holds more than one chunk of plaintext in memory. What it receives is
encrypted into a temporary file under `STORAGE_TMP_DIR`, so plaintext never reaches the disk.
Every failure path removes that file; so does closing or garbage-collecting an unused sink.

Where the blob storage is a local folder, the temporary file becomes the stored file (a hard
link) and is flushed to disk before its row is committed. So that this flush does not wait for
the whole upload at the end of the request, the disk starts writing each `WRITEBACK_BYTES` of
the file while the rest is still arriving (`posix_fadvise(POSIX_FADV_DONTNEED)`: on Linux it
starts the writeback of the dirty range; pages still dirty or being written stay cached).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import os
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage

from konnaxion.core.errors import ApplicationError, PayloadTooLarge
from konnaxion.files.encryption import CHUNK_SIZE, BytesLike, ChunkOpener, ChunkSealer
from konnaxion.files.encryption import new_data_key as _new_data_key
from konnaxion.files.reading import LocalFileSource, PlaintextFile


class FileTooLarge(PayloadTooLarge):
    code = "file_too_large"
    message = "The file is larger than the largest upload accepted."


class StorageFull(ApplicationError):
    code = "storage_full"
    status = 507
    message = "The server has no room left to store this file; try again later."


# How much of the temporary file is written before the disk is asked to start writing it.
WRITEBACK_BYTES = 8 * 1024 * 1024

# A full disk, or the quota of the user the server runs as.
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


@contextlib.contextmanager
def storage_full_as_error() -> Iterator[None]:
    """Turn a full disk (ENOSPC, EDQUOT) met inside the block into StorageFull (507)."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _FULL_ERRNOS:
            raise StorageFull() from exc
        raise


def max_upload_bytes() -> int:
    return settings.MAX_BLUEPRINT_UPLOAD_MB * 1024 * 1024


def tmp_dir() -> Path:
    path = Path(settings.STORAGE_TMP_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _writes_back_early() -> bool:
    """Whether the temporary file is the one to be flushed at the end (storage in a local
    folder, where it is linked) and the system can start that early."""
    return hasattr(os, "posix_fadvise") and isinstance(default_storage, FileSystemStorage)


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


class IncomingFile:
    """Receives an upload chunk by chunk; `finish()` seals it, `discard()` forgets it."""

    def __init__(self, *, name: str = "", max_bytes: int | None = None) -> None:
        self.name = name
        self.max_bytes = max_upload_bytes() if max_bytes is None else max_bytes
        self.size = 0
        self.data_key = _new_data_key()
        self.finished = False
        self.discarded = False
        self._sha256 = hashlib.sha256()
        self._pending = bytearray()
        self._sealer = ChunkSealer(self.data_key)
        with storage_full_as_error():
            fd, path = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=tmp_dir())
        self.path = Path(path)
        self._handle = os.fdopen(fd, "wb")
        self._finalizer = weakref.finalize(self, _remove, path)
        self._handle.write(self._sealer.header)  # buffered: a full disk shows on later writes
        # Offsets in the file: how far it is written, and how far its writeback was started.
        self._written = self._written_back = len(self._sealer.header)
        self._writeback = _writes_back_early()

    @property
    def sha256(self) -> str:
        if not self.finished:
            raise RuntimeError("The content address is known once the upload is finished.")
        return self._sha256.hexdigest()

    def write(self, data: BytesLike) -> None:
        """Take the next bytes of the upload. Raises FileTooLarge past `max_bytes`, StorageFull
        when the disk is full (the upload is then discarded)."""
        if self.finished or self.discarded:
            raise RuntimeError("This upload no longer accepts data.")
        if self.size + len(data) > self.max_bytes:
            self.discard()
            raise FileTooLarge(details={"max_bytes": self.max_bytes})
        with storage_full_as_error():
            self._write(data)

    def _write(self, data: BytesLike) -> None:
        try:
            self.size += len(data)
            self._sha256.update(data)
            sealed = self._seal_full_chunks(memoryview(data))
            self._handle.writelines(sealed)
            self._written += sum(map(len, sealed))
            if self._writeback and self._written - self._written_back >= WRITEBACK_BYTES:
                self._start_writeback()
        except BaseException:
            self.discard()
            raise

    def _start_writeback(self) -> None:
        """Have the disk start writing what was written since the last call (module docstring);
        the chunks sealed so far went past the writer's buffer, straight to the file."""
        os.posix_fadvise(
            self._handle.fileno(),
            self._written_back,
            self._written - self._written_back,
            os.POSIX_FADV_DONTNEED,
        )
        self._written_back = self._written

    def _seal_full_chunks(self, data: memoryview) -> list[bytes]:
        """Seal every full chunk that more bytes follow, straight from `data` where it can; the
        rest (up to one full chunk: it may turn out to be the final one) stays pending."""
        sealed: list[bytes] = []
        if self._pending:
            room = CHUNK_SIZE - len(self._pending)
            self._pending += data[:room]
            data = data[room:]
            if not data:
                return sealed
            sealed.append(self._sealer.seal(self._pending, final=False))
        full_chunks = (len(data) - 1) // CHUNK_SIZE
        for index in range(full_chunks):
            chunk = data[index * CHUNK_SIZE : (index + 1) * CHUNK_SIZE]
            sealed.append(self._sealer.seal(chunk, final=False))
        self._pending = bytearray(data[full_chunks * CHUNK_SIZE :])
        return sealed

    def finish(self) -> None:
        """Seal the final chunk; the upload's sha256 and size are then final."""
        if self.finished:
            return
        if self.discarded:
            raise RuntimeError("This upload was discarded.")
        try:
            with storage_full_as_error():
                self._handle.write(self._sealer.seal(bytes(self._pending), final=True))
                self._pending = bytearray()
                self._handle.close()
        except BaseException:
            self.discard()
            raise
        self.finished = True

    def open_plaintext(self) -> io.BufferedReader:
        """A seekable file of the received plaintext, decrypted on demand from the temp file."""
        self.finish()
        opener = ChunkOpener(self.data_key, self._sealer.header, self.size)
        return io.BufferedReader(PlaintextFile(LocalFileSource(self.path), opener), CHUNK_SIZE)

    def discard(self) -> None:
        """Remove the temporary file; idempotent."""
        self.discarded = True
        with contextlib.suppress(OSError):
            self._handle.close()
        self._finalizer()

    # Django closes the files of request.FILES at the end of every request.
    close = discard

    def __enter__(self) -> IncomingFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()
