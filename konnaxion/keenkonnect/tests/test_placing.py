"""Putting an encrypted upload into a local storage: linked, not copied, and flushed to disk."""

import os
from pathlib import Path

from django.core.files.storage import FileSystemStorage

from konnaxion.files.placing import stored_file_put


def _fsynced_paths(monkeypatch) -> list[str]:
    """Record the path behind every descriptor os.fsync is called with."""
    seen: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(descriptor: int) -> None:
        seen.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    return seen


def test_a_local_put_links_the_file_and_flushes_it_and_its_folder(tmp_path, monkeypatch):
    # given
    source = tmp_path / "incoming.bin"
    source.write_bytes(b"encrypted bytes")
    storage = FileSystemStorage(location=tmp_path / "blobs")
    fsynced = _fsynced_paths(monkeypatch)
    # when
    stored = stored_file_put(storage=storage, name="ab/cd/blob", path=source)
    # then
    target = Path(storage.path(stored))
    assert target.read_bytes() == b"encrypted bytes"
    assert os.stat(target).st_ino == os.stat(source).st_ino  # a link, no copy
    assert fsynced == [str(target), str(target.parent)]


def test_a_put_that_cannot_link_copies_and_still_flushes(tmp_path, monkeypatch):
    # given a filesystem refusing links
    source = tmp_path / "incoming.bin"
    source.write_bytes(b"encrypted bytes")
    storage = FileSystemStorage(location=tmp_path / "blobs")

    def no_link(*args, **kwargs):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_link)
    fsynced = _fsynced_paths(monkeypatch)
    # when
    stored = stored_file_put(storage=storage, name="ab/cd/blob", path=source)
    # then
    target = Path(storage.path(stored))
    assert target.read_bytes() == b"encrypted bytes"
    assert os.stat(target).st_ino != os.stat(source).st_ino
    assert fsynced == [str(target), str(target.parent)]
