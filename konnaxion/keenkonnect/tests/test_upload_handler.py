"""Multipart uploads stream through IncomingFileUploadHandler into the blob store."""

from __future__ import annotations

import hashlib
import os

import pytest
from django.test import Client

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.tests.files import pdf_bytes, stl_binary_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.urls("konnaxion.keenkonnect.tests.urls_upload")]


class NamedBytes:
    """What Django's test client needs to post a file part with a chosen name."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self._content = content

    def read(self) -> bytes:
        return self._content


def post(client: Client, name: str, content: bytes):
    # Django's test client encodes a real multipart/form-data body.
    return client.post("/upload/", data={"file": NamedBytes(name, content), "title": "Plan"})


def test_multipart_upload_becomes_a_blob(settings, upload_tmp_dir):
    # given: a 3 MB binary STL, and Django's own temporary upload folder watched
    settings.FILE_UPLOAD_TEMP_DIR = str(upload_tmp_dir.parent / "django-tmp")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    content = stl_binary_bytes(60_000)

    # when
    response = post(Client(), "Part.STL", content)

    # then
    assert response.status_code == 201, response.content
    assert response.json() == {
        "name": "Part.STL",
        "title": "Plan",
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "content_type": "model/stl",
        "upload_class": "IncomingFile",
    }
    assert Blob.objects.count() == 1
    assert os.listdir(upload_tmp_dir) == []
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []


def test_too_large_declared_body_is_refused_before_reading(settings, upload_tmp_dir):
    # given
    settings.MAX_BLUEPRINT_UPLOAD_MB = 1
    content = pdf_bytes() + b"%" * (3 * 1024 * 1024)

    # when
    response = post(Client(), "plan.pdf", content)

    # then
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    assert Blob.objects.count() == 0
    assert not upload_tmp_dir.exists() or os.listdir(upload_tmp_dir) == []


def test_too_large_file_is_refused_while_streaming(settings, upload_tmp_dir):
    # given: the body's size is within the multipart allowance, the file is not
    settings.MAX_BLUEPRINT_UPLOAD_MB = 1
    content = b"%PDF-" + b"x" * (1024 * 1024 + 10)

    # when
    response = post(Client(), "plan.pdf", content)

    # then
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    assert Blob.objects.count() == 0
    assert os.listdir(upload_tmp_dir) == []


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("plan.php.pdf", pdf_bytes(), "file_type_not_allowed"),
        ("plan.pdf", b"MZ\x90\x00 not a pdf", "file_content_mismatch"),
    ],
)
def test_refused_upload_is_a_json_415_and_leaves_nothing(upload_tmp_dir, name, content, code):
    # given / when
    response = post(Client(), name, content)

    # then
    assert response.status_code == 415
    assert response.json()["error"]["code"] == code
    assert Blob.objects.count() == 0
    assert os.listdir(upload_tmp_dir) == []
