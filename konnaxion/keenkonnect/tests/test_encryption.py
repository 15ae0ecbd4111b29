"""Encryption at rest: tampered, reordered, truncated or swapped chunks never decrypt."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from konnaxion.files.encryption import (
    CHUNK_SIZE,
    HEADER_SIZE,
    SEALED_CHUNK_SIZE,
    BlobIntegrityError,
    data_key_unwrap,
)
from konnaxion.files.services import blob_read
from konnaxion.keenkonnect.tests.files import stored_blob
from konnaxion.runtime.services import local_storage_key

pytestmark = pytest.mark.django_db


def sample(size: int, seed: bytes = b"konnaxion") -> bytes:
    return hashlib.shake_256(seed).digest(size)


def rewrite(name: str, content: bytes) -> None:
    default_storage.delete(name)
    default_storage.save(name, ContentFile(content))


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def chunk(sealed: bytes, index: int) -> bytes:
    start = HEADER_SIZE + index * SEALED_CHUNK_SIZE
    return sealed[start : start + SEALED_CHUNK_SIZE]


def swap_chunks(sealed: bytes) -> bytes:
    header = sealed[:HEADER_SIZE]
    return (
        header + chunk(sealed, 1) + chunk(sealed, 0) + sealed[HEADER_SIZE + 2 * SEALED_CHUNK_SIZE :]
    )


def flip_byte(sealed: bytes) -> bytes:
    tampered = bytearray(sealed)
    tampered[HEADER_SIZE + 100] ^= 1
    return bytes(tampered)


def drop_last_chunk(sealed: bytes) -> bytes:
    return sealed[: HEADER_SIZE + 2 * SEALED_CHUNK_SIZE]


def flip_header(sealed: bytes) -> bytes:
    tampered = bytearray(sealed)
    tampered[HEADER_SIZE - 1] ^= 1  # the file id, bound into every chunk
    return bytes(tampered)


@pytest.mark.parametrize("tamper", [swap_chunks, flip_byte, drop_last_chunk, flip_header])
def test_tampered_blob_does_not_decrypt(settings, tmp_path, tamper):
    # given
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    blob = stored_blob(sample(3 * CHUNK_SIZE - 10))
    rewrite(blob.storage_name, tamper(stored_bytes(blob.storage_name)))

    # when / then
    with pytest.raises(BlobIntegrityError):
        b"".join(blob_read(blob=blob))


def test_truncation_at_a_chunk_boundary_is_detected(settings, tmp_path):
    # given: a blob cut after its second chunk, and its row claiming only two chunks' worth
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    blob = stored_blob(sample(3 * CHUNK_SIZE - 10))
    rewrite(blob.storage_name, drop_last_chunk(stored_bytes(blob.storage_name)))
    blob.size = 2 * CHUNK_SIZE

    # when / then: the second chunk was not sealed as the final one
    with pytest.raises(BlobIntegrityError):
        b"".join(blob_read(blob=blob))


def test_chunk_from_another_blob_does_not_decrypt(settings, tmp_path):
    # given: two blobs; the first chunk of one is put into the other
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    first = stored_blob(sample(2 * CHUNK_SIZE, b"first"))
    second = stored_blob(sample(2 * CHUNK_SIZE, b"second"))
    first_sealed, second_sealed = (
        stored_bytes(first.storage_name),
        stored_bytes(second.storage_name),
    )
    mixed = second_sealed[:HEADER_SIZE] + chunk(first_sealed, 0) + chunk(second_sealed, 1)
    rewrite(second.storage_name, mixed)

    # when / then
    with pytest.raises(BlobIntegrityError):
        b"".join(blob_read(blob=second, start=0, stop=10))


def test_unknown_master_key_is_refused(settings):
    # given
    blob = stored_blob(sample(100))
    settings.KONNAXION_STORAGE_KEY = "A" * 43 + "="

    # when / then
    with pytest.raises(BlobIntegrityError, match="not configured"):
        data_key_unwrap(bytes(blob.wrapped_key), blob.key_id)


def test_local_storage_key_is_made_once_and_private(tmp_path):
    # given / when
    first = local_storage_key(tmp_path)
    second = local_storage_key(tmp_path)

    # then
    assert first == second
    assert len(__import__("base64").b64decode(first)) == 32
    assert stat.S_IMODE(os.stat(tmp_path / "storage_key").st_mode) == 0o600
