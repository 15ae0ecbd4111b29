"""The file policy: names, extensions and content sniffing, on real small files."""

from __future__ import annotations

import io
import struct
import zlib

import pytest

from konnaxion.files.file_policy import (
    FileContentMismatch,
    FileTypeNotAllowed,
    file_name_normalise,
)
from konnaxion.files.sniffing import content_check
from konnaxion.keenkonnect.tests import files as factories


@pytest.mark.parametrize(
    ("raw", "name", "extension"),
    [
        ("plan.pdf", "plan.pdf", ".pdf"),
        ("PLAN.PDF", "PLAN.PDF", ".pdf"),
        ("Site Plan.JpG", "Site Plan.JpG", ".jpg"),
        ("../../etc/part.stl", "part.stl", ".stl"),
        ("C:\\Users\\ana\\model.glb", "model.glb", ".glb"),
        ("/abs/path/scene.gltf", "scene.gltf", ".gltf"),
        ("plan v1.2.pdf", "plan v1.2.pdf", ".pdf"),
        ("  padded.png  ", "padded.png", ".png"),
        ("plan.pdf.", "plan.pdf", ".pdf"),
        ("Cafe\u0301.pdf", "Caf\u00e9.pdf", ".pdf"),  # NFD becomes NFC
    ],
)
def test_accepted_names_are_normalised(raw, name, extension):
    # given / when
    file_name = file_name_normalise(raw)

    # then
    assert (file_name.name, file_name.extension) == (name, extension)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty_name"),
        ("   ", "empty_name"),
        ("../", "empty_name"),
        ("..", "empty_name"),
        (".pdf", "empty_name"),
        ("plan\x00.pdf", "control_character"),
        ("plan\n.pdf", "control_character"),
        ("gpj.\u202eexe.pdf", "control_character"),  # right-to-left override disguise
        ("plan.pdf.exe", "extension"),
        ("x.php.png", "double_extension"),
        ("report.exe.pdf", "double_extension"),
        ("photo.jpeg", "extension"),
        ("archive.zip", "extension"),
        ("noextension", "extension"),
        ("a" * 300 + ".pdf", "name_too_long"),
    ],
)
def test_refused_names(raw, reason):
    # given / when
    with pytest.raises(FileTypeNotAllowed) as refused:
        file_name_normalise(raw)

    # then
    assert refused.value.code == "file_type_not_allowed"
    assert refused.value.status == 415
    assert refused.value.details["reason"] == reason


def test_extensions_follow_the_setting(settings):
    # given
    settings.ALLOWED_BLUEPRINT_TYPES = [".PDF"]

    # when / then
    assert file_name_normalise("plan.pdf").extension == ".pdf"
    with pytest.raises(FileTypeNotAllowed):
        file_name_normalise("part.stl")


def check(content: bytes, extension: str) -> str:
    return content_check(io.BytesIO(content), size=len(content), extension=extension)


@pytest.mark.parametrize(
    ("content", "extension", "content_type"),
    [
        (factories.pdf_bytes(), ".pdf", "application/pdf"),
        (factories.png_bytes(), ".png", "image/png"),
        (factories.jpeg_bytes(), ".jpg", "image/jpeg"),
        (factories.glb_bytes(), ".glb", "model/gltf-binary"),
        (factories.gltf_bytes(), ".gltf", "model/gltf+json"),
        (factories.stl_binary_bytes(), ".stl", "model/stl"),
        (factories.stl_binary_bytes(0), ".stl", "model/stl"),
        (factories.stl_ascii_bytes(), ".stl", "model/stl"),
    ],
)
def test_real_files_pass_with_their_content_type(content, extension, content_type):
    # given / when / then
    assert check(content, extension) == content_type


def png_with_size(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height: a pixel flood needs no pixel data to refuse."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def corrupt_png_crc() -> bytes:
    content = bytearray(factories.png_bytes())
    content[-20] ^= 0xFF  # inside the IDAT data: its CRC no longer matches
    return bytes(content)


def truncated_glb() -> bytes:
    return factories.glb_bytes()[:-8]


def glb_with_length(length: int) -> bytes:
    content = bytearray(factories.glb_bytes())
    content[8:12] = struct.pack("<I", length)
    return bytes(content)


def glb_version(version: int) -> bytes:
    content = bytearray(factories.glb_bytes())
    content[4:8] = struct.pack("<I", version)
    return bytes(content)


def gltf_with(uri: str) -> bytes:
    return factories.gltf_bytes(buffer_uri=uri)


def gltf_image_uri(uri: str) -> bytes:
    document = factories.gltf_document(
        "data:application/octet-stream;base64,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    )
    document["images"] = [{"uri": uri}]
    return factories.gltf_bytes(document=document)


def glb_with_external_uri() -> bytes:
    document = factories.gltf_document("http://example.test/buffer.bin")
    return factories.glb_bytes(document=document)


@pytest.mark.parametrize(
    ("content", "extension", "reason"),
    [
        (b"", ".pdf", "empty"),
        (factories.png_bytes(), ".pdf", "pdf_header"),
        (b"junk" + factories.pdf_bytes(), ".pdf", "pdf_header"),  # polyglot prefix
        (factories.pdf_bytes()[:-200], ".pdf", "pdf_trailer"),
        (factories.pdf_bytes() + b"\x00" * 4096, ".pdf", "pdf_trailer"),
        (factories.pdf_bytes(), ".png", "image_signature"),
        (factories.jpeg_bytes(), ".png", "image_signature"),
        (factories.png_bytes(), ".jpg", "image_signature"),
        (factories.png_bytes()[:30], ".png", "image_header"),
        (corrupt_png_crc(), ".png", "image_header"),
        (factories.jpeg_bytes()[:4], ".jpg", "image_header"),
        (png_with_size(20_000, 20_000), ".png", "pixel_flood"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, ".png", "image_header"),
        (factories.pdf_bytes(), ".glb", "glb_magic"),
        (glb_version(1), ".glb", "glb_version"),
        (truncated_glb(), ".glb", "glb_length"),
        (glb_with_length(10_000), ".glb", "glb_length"),
        (factories.glb_bytes()[:12] + b"\x00" * 4, ".glb", "glb_length"),
        (glb_with_external_uri(), ".glb", "gltf_external_uri"),
        (b"{not json", ".gltf", "gltf_json"),
        (b"[1, 2]", ".gltf", "gltf_json"),
        (b'{"asset": {}}', ".gltf", "gltf_asset"),
        (gltf_with("buffer.bin"), ".gltf", "gltf_external_uri"),
        (gltf_with("../secret.bin"), ".gltf", "gltf_external_uri"),
        (gltf_with("/etc/passwd"), ".gltf", "gltf_external_uri"),
        (gltf_with("file:///etc/passwd"), ".gltf", "gltf_external_uri"),
        (gltf_with("https://example.test/b.bin"), ".gltf", "gltf_external_uri"),
        (gltf_with("http://127.0.0.1/b.bin"), ".gltf", "gltf_external_uri"),
        (gltf_image_uri("texture.png"), ".gltf", "gltf_external_uri"),
        (factories.stl_binary_bytes(3)[:-1], ".stl", "stl_format"),
        (b"solid part\n facet normal 0 0 1\n", ".stl", "stl_format"),
        (factories.png_bytes(), ".stl", "stl_format"),
    ],
)
def test_hostile_or_mismatched_content_is_refused(content, extension, reason):
    # given / when
    with pytest.raises(FileContentMismatch) as refused:
        check(content, extension)

    # then
    assert refused.value.code == "file_content_mismatch"
    assert refused.value.status == 415
    assert refused.value.details["reason"] == reason


def test_pixel_limit_follows_the_setting(settings):
    # given
    settings.BLUEPRINT_MAX_IMAGE_PIXELS = 32 * 24 - 1

    # when / then
    with pytest.raises(FileContentMismatch) as refused:
        check(factories.png_bytes((32, 24)), ".png")
    assert refused.value.details["reason"] == "pixel_flood"


def test_gltf_json_limit_follows_the_setting(settings):
    # given
    settings.GLTF_MAX_JSON_MB = 0

    # when / then
    with pytest.raises(FileContentMismatch) as refused:
        check(factories.gltf_bytes(), ".gltf")
    assert refused.value.details["reason"] == "gltf_too_large"


def test_sniffers_read_only_what_they_need():
    # given: a 40 MB binary STL, counted by how many bytes are read from it
    triangles = 800_000
    content = factories.stl_binary_bytes(triangles)

    class CountingFile(io.BytesIO):
        read_bytes = 0

        def read(self, size=-1):
            data = super().read(size)
            CountingFile.read_bytes += len(data)
            return data

    # when
    content_type = content_check(CountingFile(content), size=len(content), extension=".stl")

    # then
    assert content_type == "model/stl"
    assert CountingFile.read_bytes == 4
