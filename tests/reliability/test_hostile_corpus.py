"""Real hostile files through the file policy, the sniffers and the blob store: each is stored
with its verified type or refused with a JSON error code; nothing else ever happens."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from konnaxion.core.errors import ApplicationError
from konnaxion.files.file_policy import CONTENT_TYPES
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_store, upload_check
from konnaxion.keenkonnect.analysis.errors import AnalysisFailed
from konnaxion.keenkonnect.analysis.pdf import pdf_analyse

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parent.parent / "data" / "hostile"
FILES = sorted(path for path in CORPUS.rglob("*") if path.is_file() and path.name != "README.md")
REFUSAL_CODES = {"file_type_not_allowed", "file_content_mismatch", "file_too_large"}


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path) -> Path:
    settings.STORAGE_TMP_DIR = str(tmp_path / "tmp")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "tmp"


def _store(content: bytes, name: str) -> tuple[str, str]:
    """("stored", content type) or ("refused", error code)."""
    upload = IncomingFile(name=name)
    try:
        upload.write(content)
        verified = upload_check(upload=upload)
        blob = blob_store(upload=upload, content_type=verified.content_type)
    except ApplicationError as error:
        json.dumps({"code": error.code, "message": error.message, "details": error.details})
        return "refused", error.code
    return "stored", blob.content_type


def test_the_corpus_is_present():
    assert len(FILES) >= 30, "run scripts/fetch_hostile_corpus.py"


@pytest.mark.parametrize("path", FILES, ids=lambda path: str(path.relative_to(CORPUS)))
def test_hostile_file_is_stored_with_its_type_or_refused_cleanly(path, _storage):
    # given the file under its own name and disguised under every accepted extension
    content = path.read_bytes()
    names = [path.name, *(f"{path.stem}{extension}" for extension in CONTENT_TYPES)]
    for name in names:
        # when
        outcome, value = _store(content, name)
        # then
        extension = os.path.splitext(name)[1].lower()
        if outcome == "stored":
            assert value == CONTENT_TYPES[extension]
            assert Blob.objects.filter(content_type=value).exists()
        else:
            assert value in REFUSAL_CODES, (name, value)
        assert os.listdir(_storage) == []


@pytest.mark.parametrize(
    "name", ["decompression_bomb.gif", "decompression_bomb.ico", "decompression_bomb_extents.gif"]
)
def test_decompression_bombs_are_never_stored_as_images(name):
    # given a Pillow decompression bomb disguised as PNG and JPEG
    content = (CORPUS / "pillow" / name).read_bytes()
    # when / then
    assert _store(content, "bomb.png") == ("refused", "file_content_mismatch")
    assert _store(content, "bomb.jpg") == ("refused", "file_content_mismatch")
    assert not Blob.objects.exists()


@pytest.mark.parametrize(
    ("relative", "content_type"),
    [
        ("pillow/hopper.png", "image/png"),
        ("pillow/hopper.jpg", "image/jpeg"),
        ("assimp/STL/Spider_binary.stl", "model/stl"),
        ("assimp/STL/Spider_ascii.stl", "model/stl"),
        ("assimp/glTF2/BoxTextured-glTF-Binary/BoxTextured.glb", "model/gltf-binary"),
    ],
)
def test_sound_files_of_the_corpus_are_stored_with_their_type(relative, content_type):
    # given
    path = CORPUS / relative
    # when
    outcome = _store(path.read_bytes(), path.name)
    # then
    assert outcome == ("stored", content_type)


PDFS = sorted((CORPUS / "pypdf").rglob("*.pdf"))
# Why the sandboxed analysis may refuse a PDF it cannot index (AnalysisFailed reasons).
ANALYSIS_REFUSALS = {
    "timeout",
    "memory_limit",
    "crashed",
    "pdf_invalid",
    "pdf_encrypted",
    "pdf_limit",
    "pdf_no_pages",
}


def test_the_pdf_corpus_is_present():
    assert len(PDFS) >= 30, "run scripts/fetch_hostile_corpus.py"


@pytest.mark.parametrize("path", PDFS, ids=lambda path: str(path.relative_to(CORPUS)))
def test_a_stored_pdf_is_indexed_or_fails_with_a_reason(path):
    # given a PDF of the corpus the file policy accepted
    outcome, value = _store(path.read_bytes(), path.name)
    if outcome == "refused":
        assert value in REFUSAL_CODES
        return
    # when the indexing task's analysis (a child process with its limits) reads it
    with path.open("rb") as handle:
        try:
            analysis = pdf_analyse(handle, preview_longest=256)
        except AnalysisFailed as failure:
            # then it fails with a reason, and this process lives on
            assert failure.reason in ANALYSIS_REFUSALS, failure.reason
            return
    # or it yields pages, text and a preview
    assert analysis.page_count == len(analysis.pages) >= 1
    assert analysis.preview_png.startswith(b"\x89PNG")
