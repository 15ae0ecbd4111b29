"""A full disk while an upload is received or a blob is written: 507 storage_full, nothing left."""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from konnaxion.core.api.exceptions import exception_handler
from konnaxion.files.incoming import IncomingFile, StorageFull
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_store

pytestmark = pytest.mark.django_db

DISK_SIZE = 1024 * 1024
UPLOAD_SIZE = 2 * DISK_SIZE


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A real 1 MiB filesystem (tmpfs), mounted for the test."""
    mount_point = Path(tempfile.mkdtemp(prefix="kx-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_SIZE}", "tmpfs", str(mount_point)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a small filesystem here (needs root): {mounted.stderr!r}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)
    mount_point.rmdir()


def _content(size: int) -> bytes:
    return hashlib.shake_256(b"full disk").digest(size)


def _receive(content: bytes) -> IncomingFile:
    upload = IncomingFile(name="plan.stl")
    for start in range(0, len(content), 64 * 1024):
        upload.write(content[start : start + 64 * 1024])
    return upload


def _files_under(path: Path) -> list[Path]:
    return [item for item in path.rglob("*") if item.is_file()]


def test_full_upload_folder_is_storage_full_with_no_temp_file(settings, small_disk):
    # given uploads are received on a disk smaller than the upload
    settings.STORAGE_TMP_DIR = str(small_disk / "tmp")
    # when
    with pytest.raises(StorageFull) as caught:
        _receive(_content(UPLOAD_SIZE))
    # then the error is the clean 507 and the partial temporary file is gone
    assert caught.value.code == "storage_full"
    assert caught.value.status == 507
    assert _files_under(small_disk) == []
    response = exception_handler(caught.value, {})
    assert response.status_code == 507
    assert response.data["error"]["code"] == "storage_full"


def test_full_blob_storage_is_storage_full_with_no_row_and_no_file(settings, small_disk, tmp_path):
    # given uploads are received on a roomy disk, and blobs stored on a full one
    settings.STORAGE_TMP_DIR = str(tmp_path / "tmp")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(small_disk / "media")},
        },
    }
    upload = _receive(_content(UPLOAD_SIZE))
    # when
    with pytest.raises(StorageFull):
        blob_store(upload=upload, content_type="model/stl")
    # then no row, no partial blob file, no temporary file
    assert not Blob.objects.exists()
    assert _files_under(small_disk) == []
    assert os.listdir(tmp_path / "tmp") == []


def test_a_blob_fits_once_room_is_made(settings, small_disk, tmp_path):
    # given a full blob storage refused a large upload
    settings.STORAGE_TMP_DIR = str(tmp_path / "tmp")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(small_disk / "media")},
        },
    }
    with pytest.raises(StorageFull):
        blob_store(upload=_receive(_content(UPLOAD_SIZE)), content_type="model/stl")
    # when a small one arrives
    blob = blob_store(upload=_receive(_content(DISK_SIZE // 4)), content_type="model/stl")
    # then it is stored: the failed one left nothing that takes room
    assert Blob.objects.get() == blob
    assert len(_files_under(small_disk)) == 1
