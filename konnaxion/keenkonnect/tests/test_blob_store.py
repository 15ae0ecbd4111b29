"""blob_store and blob reads, on the local folder and on S3 (SeaweedFS)."""

from __future__ import annotations

import hashlib
import os
import threading

import pytest
from django.core.files.storage import default_storage
from django.db import connection

from konnaxion.core.errors import PayloadTooLarge
from konnaxion.files.encryption import CHUNK_SIZE, HEADER_SIZE, sealed_size
from konnaxion.files.file_policy import FileContentMismatch, FileTypeNotAllowed
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_open, blob_read, blob_store, upload_check
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, stored_blob

pytestmark = pytest.mark.django_db


def sample(size: int) -> bytes:
    return hashlib.shake_256(b"konnaxion").digest(size)


@pytest.mark.parametrize("size", [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, 3 * CHUNK_SIZE + 17])
def test_stored_blob_reads_back_identical(storage_backend, upload_tmp_dir, size):
    # given
    content = sample(size)

    # when
    blob = stored_blob(content)

    # then
    assert blob.sha256 == hashlib.sha256(content).hexdigest()
    assert blob.size == size
    assert blob.storage_name == f"blobs/{blob.sha256[:2]}/{blob.sha256[2:4]}/{blob.sha256}"
    assert b"".join(blob_read(blob=blob)) == content
    assert default_storage.size(blob.storage_name) == sealed_size(size)
    assert os.listdir(upload_tmp_dir) == []


def test_stored_file_is_encrypted(storage_backend):
    # given
    content = b"confidential blueprint " * 5000

    # when
    blob = stored_blob(content)

    # then
    with default_storage.open(blob.storage_name, "rb") as handle:
        stored = handle.read()
    assert b"confidential blueprint" not in stored
    assert len(stored) == sealed_size(len(content))


@pytest.mark.parametrize(
    ("start", "stop"),
    [
        (0, 1),
        (10, 20),
        (CHUNK_SIZE - 5, CHUNK_SIZE + 5),
        (CHUNK_SIZE, 2 * CHUNK_SIZE),
        (2 * CHUNK_SIZE + 100, 4 * CHUNK_SIZE + 3),
        (4 * CHUNK_SIZE, 4 * CHUNK_SIZE + 3),
        (17, None),
        (5, 5),
    ],
)
def test_range_reads_return_exact_bytes(storage_backend, start, stop):
    # given
    content = sample(4 * CHUNK_SIZE + 3)
    blob = stored_blob(content)

    # when
    piece = b"".join(blob_read(blob=blob, start=start, stop=stop))

    # then
    assert piece == content[start:stop]


def test_blob_open_is_seekable(storage_backend):
    # given
    content = sample(3 * CHUNK_SIZE)
    blob = stored_blob(content)

    # when
    with blob_open(blob=blob) as handle:
        handle.seek(CHUNK_SIZE + 7)
        middle = handle.read(100)
        handle.seek(-10, os.SEEK_END)
        tail = handle.read()

    # then
    assert middle == content[CHUNK_SIZE + 7 : CHUNK_SIZE + 107]
    assert tail == content[-10:]


def test_identical_content_is_stored_once(storage_backend, upload_tmp_dir):
    # given
    content = sample(CHUNK_SIZE + 5)
    first = stored_blob(content)

    # when
    second = stored_blob(content)

    # then
    assert second.pk == first.pk
    assert Blob.objects.count() == 1
    assert second.last_stored_at >= first.last_stored_at
    assert b"".join(blob_read(blob=second)) == content
    assert os.listdir(upload_tmp_dir) == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_stores_of_identical_content_make_one_blob(storage_backend):
    # given: two uploads of the same content, stored at the same moment from two threads
    content = sample(2 * CHUNK_SIZE + 1)
    uploads = [incoming_file(content), incoming_file(content)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def store(upload):
        try:
            barrier.wait()
            results.append(blob_store(upload=upload, content_type="application/pdf").pk)
        except Exception as exc:  # reported below, so that a failure is not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=store, args=(upload,)) for upload in uploads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert errors == []
    assert len(set(results)) == 1
    blob = Blob.objects.get()
    assert b"".join(blob_read(blob=blob)) == content


def test_too_large_upload_leaves_nothing(storage_backend, upload_tmp_dir):
    # given
    upload = IncomingFile(name="plan.pdf", max_bytes=3 * CHUNK_SIZE)
    upload.write(sample(2 * CHUNK_SIZE))

    # when
    with pytest.raises(PayloadTooLarge) as refused:
        upload.write(sample(CHUNK_SIZE + 1))

    # then
    assert (refused.value.code, refused.value.status) == ("file_too_large", 413)
    assert os.listdir(upload_tmp_dir) == []
    assert Blob.objects.count() == 0


def test_default_maximum_is_the_setting(settings):
    # given
    settings.MAX_BLUEPRINT_UPLOAD_MB = 2

    # when
    upload = IncomingFile(name="plan.pdf")

    # then
    assert upload.max_bytes == 2 * 1024 * 1024
    upload.discard()


def test_checked_upload_gets_its_verified_type(storage_backend):
    # given
    upload = incoming_file(pdf_bytes(), name="Plan.PDF")

    # when
    verified = upload_check(upload=upload)
    blob = blob_store(upload=upload, content_type=verified.content_type)

    # then
    assert verified.file_name.name == "Plan.PDF"
    assert blob.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("plan.exe", pdf_bytes(), FileTypeNotAllowed),
        ("plan.png", pdf_bytes(), FileContentMismatch),
    ],
)
def test_refused_upload_leaves_no_temporary_file(upload_tmp_dir, name, content, error):
    # given
    upload = incoming_file(content, name=name)

    # when
    with pytest.raises(error):
        upload_check(upload=upload)

    # then
    assert os.listdir(upload_tmp_dir) == []
    assert Blob.objects.count() == 0


def test_failed_store_leaves_no_row_no_file(storage_backend, upload_tmp_dir):
    # given: a content type too long for its column makes the row fail after the file is saved
    upload = incoming_file(sample(1000))
    name = f"blobs/{upload.sha256[:2]}/{upload.sha256[2:4]}/{upload.sha256}"

    # when
    with pytest.raises(Exception, match="value too long"):
        blob_store(upload=upload, content_type="x" * 500)

    # then
    assert Blob.objects.count() == 0
    assert not default_storage.exists(name)
    assert os.listdir(upload_tmp_dir) == []


def test_streaming_holds_no_whole_file_in_memory():
    # given: 48 MB arriving in 1 MB pieces
    import tracemalloc

    piece = sample(1024 * 1024)
    upload = IncomingFile(name="big.stl", max_bytes=64 * 1024 * 1024)

    # when
    tracemalloc.start()
    for _ in range(48):
        upload.write(piece)
    upload.finish()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    # then
    assert upload.size == 48 * 1024 * 1024
    assert peak < 4 * 1024 * 1024
    upload.discard()


def test_a_local_store_starts_writing_the_upload_to_disk_as_it_arrives(
    storage_backend, upload_tmp_dir, monkeypatch
):
    # given: 20 MB and a few bytes arriving in 1 MB pieces, each writeback asked for recorded
    asked: list[tuple[str, int, int, int]] = []
    real_fadvise = os.posix_fadvise

    def recording_fadvise(descriptor: int, offset: int, length: int, advice: int) -> None:
        asked.append((os.readlink(f"/proc/self/fd/{descriptor}"), offset, length, advice))
        real_fadvise(descriptor, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", recording_fadvise)
    content = sample(20 * 1024 * 1024 + 17)
    upload = IncomingFile(name="big.stl")
    written_back = []

    # when
    for start in range(0, len(content), 1024 * 1024):
        upload.write(content[start : start + 1024 * 1024])
        written_back.append(len(asked))
    temporary_path = str(upload.path)
    blob = blob_store(upload=upload, content_type="model/stl")

    # then: the same bytes are stored, whatever the disk was asked to do
    assert b"".join(blob_read(blob=blob)) == content
    if storage_backend != "local":
        assert asked == []  # the temporary file is copied to S3, never kept: no writeback
        return
    assert [(path, advice) for path, _offset, _length, advice in asked] == [
        (temporary_path, os.POSIX_FADV_DONTNEED)
    ] * 2
    # contiguous ranges from the end of the header, each of at least WRITEBACK_BYTES, asked for
    # while the upload was still arriving (after about 8 and 16 of its 21 pieces)
    assert asked[0][1] == HEADER_SIZE
    assert asked[1][1] == asked[0][1] + asked[0][2]
    assert all(length >= 8 * 1024 * 1024 for _path, _offset, length, _advice in asked)
    assert written_back.index(1) == 8 and written_back.index(2) == 16
