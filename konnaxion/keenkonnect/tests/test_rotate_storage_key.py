"""rotate_storage_key re-wraps data keys under the new master key and rewrites no blob."""

from __future__ import annotations

import base64
import io
import os

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from konnaxion.files.encryption import BlobIntegrityError, key_id_of
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_read
from konnaxion.keenkonnect.tests.files import stored_blob

pytestmark = pytest.mark.django_db


def test_rotation_rewraps_keys_without_rewriting_blobs(settings, storage_backend):
    # given: two blobs under the old key
    old_key, new_key = os.urandom(32), os.urandom(32)
    settings.KONNAXION_STORAGE_KEY = base64.b64encode(old_key).decode()
    contents = [b"first blueprint" * 1000, b"second blueprint" * 3000]
    blobs = [stored_blob(content) for content in contents]
    files_before = [_stored(blob) for blob in blobs]
    settings.KONNAXION_STORAGE_KEY = base64.b64encode(new_key).decode()
    settings.KONNAXION_STORAGE_OLD_KEYS = [base64.b64encode(old_key).decode()]
    output = io.StringIO()

    # when
    call_command("rotate_storage_key", stdout=output)

    # then: every key is under the new master key, the old key is no longer needed
    assert "Re-wrapped 2 data keys" in output.getvalue()
    assert set(Blob.objects.values_list("key_id", flat=True)) == {key_id_of(new_key)}
    settings.KONNAXION_STORAGE_OLD_KEYS = []
    for blob, content, before in zip(
        Blob.objects.order_by("pk"), contents, files_before, strict=True
    ):
        assert b"".join(blob_read(blob=blob)) == content
        assert _stored(blob) == before


def test_rotation_is_idempotent(settings):
    # given
    stored_blob(b"blueprint")
    call_command("rotate_storage_key", stdout=io.StringIO())
    output = io.StringIO()

    # when
    call_command("rotate_storage_key", stdout=output)

    # then
    assert "Re-wrapped 0 data keys" in output.getvalue()


def test_without_the_old_key_blobs_cannot_be_read(settings):
    # given
    blob = stored_blob(b"blueprint")
    settings.KONNAXION_STORAGE_KEY = base64.b64encode(os.urandom(32)).decode()

    # when / then
    with pytest.raises(BlobIntegrityError):
        call_command("rotate_storage_key", stdout=io.StringIO())
    with pytest.raises(BlobIntegrityError):
        b"".join(blob_read(blob=blob))


def _stored(blob: Blob) -> bytes:
    with default_storage.open(blob.storage_name, "rb") as handle:
        return handle.read()
