"""Putting a received, already encrypted upload into the blob storage without copying it twice.

On a local folder the encrypted temporary file is hard-linked under its storage name: no byte is
copied, and the upload still owns (and removes) its temporary name. Where a link cannot be made
(the temporary folder on another filesystem, a storage that is not a local folder such as S3)
the file is saved through the storage API, which streams it (S3: a multipart upload).

On a local folder the stored file and its folder entry are flushed to disk before this returns,
so the row committed next never points at a blob a crash could leave incomplete.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage

# A link across filesystems, or on a filesystem that has none: copy instead.
_NO_LINK_ERRNOS = frozenset({errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP})


def stored_file_put(*, storage: Storage, name: str, path: Path) -> str:
    """Store the file at `path` under `name` (which must be free); returns the stored name.

    Raises OSError (ENOSPC and the like) from the storage; a failed put may leave part of a
    copy under `name`, for the caller to delete.
    """
    if isinstance(storage, FileSystemStorage):
        try:
            stored = _link(storage, name, path)
        except OSError as exc:
            if exc.errno not in _NO_LINK_ERRNOS:
                raise
        else:
            _flush(Path(storage.path(stored)))
            return stored
    with open(path, "rb") as handle:
        stored = storage.save(name, File(handle, name=name))
    if isinstance(storage, FileSystemStorage):
        _flush(Path(storage.path(stored)))
    return stored


def _flush(path: Path) -> None:
    """fsync the file's data and the folder entry naming it."""
    for target, flags in ((path, os.O_RDONLY), (path.parent, os.O_RDONLY | os.O_DIRECTORY)):
        descriptor = os.open(target, flags)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _link(storage: FileSystemStorage, name: str, path: Path) -> str:
    target = Path(storage.path(name))
    mode = storage.directory_permissions_mode
    if mode is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        # As FileSystemStorage._save does: the mode applies to every folder it creates.
        old_umask = os.umask(0o777 & ~mode)
        try:
            target.parent.mkdir(mode=mode, parents=True, exist_ok=True)
        finally:
            os.umask(old_umask)
    os.link(path, target)
    if storage.file_permissions_mode is not None:
        os.chmod(target, storage.file_permissions_mode)
    return name
