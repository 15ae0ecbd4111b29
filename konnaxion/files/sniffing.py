"""Content sniffers: is a file really of the type its extension says?

Each sniffer reads only what it needs from a seekable binary file (the header, the trailer, the
GLB chunk headers); only glTF JSON is parsed whole, up to `GLTF_MAX_JSON_MB`. Every refusal is
`FileContentMismatch` (415) with a `reason` in its details.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from typing import BinaryIO

from django.conf import settings

from konnaxion.core.images import UNREADABLE, ImageTooLarge, ImageUnreadable, image_open
from konnaxion.files.file_policy import CONTENT_TYPES, FileContentMismatch

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
GLB_MAGIC = b"glTF"
GLB_JSON_CHUNK = 0x4E4F534A
GLB_BIN_CHUNK = 0x004E4942
PDF_TRAILER_WINDOW = 1024
STL_HEADER_SIZE = 84
STL_TRIANGLE_SIZE = 50
STL_TEXT_WINDOW = 1024


def _refuse(reason: str, message: str | None = None) -> FileContentMismatch:
    return FileContentMismatch(message, details={"reason": reason})


def _read_at(handle: BinaryIO, offset: int, length: int) -> bytes:
    handle.seek(offset)
    return handle.read(length)


def sniff_pdf(handle: BinaryIO, size: int) -> None:
    """`%PDF-` at the very start (no prefix to hide another format) and `%%EOF` near the end."""
    if _read_at(handle, 0, 5) != b"%PDF-":
        raise _refuse("pdf_header", "The file does not start with a PDF header.")
    tail = _read_at(handle, max(0, size - PDF_TRAILER_WINDOW), PDF_TRAILER_WINDOW)
    if b"%%EOF" not in tail:
        raise _refuse("pdf_trailer", "The file does not end with a PDF trailer.")


def _sniff_image(handle: BinaryIO, *, signature: bytes, image_format: str) -> None:
    if _read_at(handle, 0, len(signature)) != signature:
        raise _refuse(
            "image_signature", f"The file does not start with a {image_format} signature."
        )
    limit = settings.BLUEPRINT_MAX_IMAGE_PIXELS
    try:
        with image_open(handle, formats=[image_format], max_pixels=limit) as image:
            if image_format == "PNG":
                image.verify()  # checks every chunk's CRC without decoding the pixels
    except ImageTooLarge as exc:
        raise _refuse("pixel_flood", exc.message) from exc
    except ImageUnreadable as exc:
        raise _refuse("image_header", f"The {image_format} image cannot be decoded.") from exc
    except UNREADABLE as exc:  # from verify()
        raise _refuse("image_header", f"The {image_format} image cannot be decoded.") from exc


def sniff_png(handle: BinaryIO, size: int) -> None:
    _sniff_image(handle, signature=PNG_SIGNATURE, image_format="PNG")


def sniff_jpeg(handle: BinaryIO, size: int) -> None:
    _sniff_image(handle, signature=JPEG_SIGNATURE, image_format="JPEG")


def _gltf_json_check(raw: bytes, *, embedded_buffer: bool) -> None:
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise _refuse("gltf_json", "The glTF JSON cannot be parsed.") from exc
    if not isinstance(document, dict):
        raise _refuse("gltf_json", "The glTF JSON is not an object.")
    asset = document.get("asset")
    if not isinstance(asset, dict) or not isinstance(asset.get("version"), str):
        raise _refuse("gltf_asset", "The glTF has no asset.version.")
    for collection in ("buffers", "images"):
        items = document.get(collection, [])
        if not isinstance(items, list):
            raise _refuse("gltf_json", f"The glTF {collection} is not a list.")
        for position, item in enumerate(items):
            if not isinstance(item, dict):
                raise _refuse("gltf_json", f"The glTF {collection}[{position}] is not an object.")
            uri = item.get("uri")
            if uri is None:
                # Only a GLB's first buffer may live in its BIN chunk; images use bufferViews.
                if collection == "buffers" and not (embedded_buffer and position == 0):
                    raise _refuse("gltf_uri", "A glTF buffer has neither a URI nor a BIN chunk.")
                continue
            if not isinstance(uri, str) or not uri.startswith("data:"):
                raise _refuse(
                    "gltf_external_uri",
                    "The glTF refers to an external resource; only data: URIs are accepted.",
                )


def _json_limit() -> int:
    return settings.GLTF_MAX_JSON_MB * 1024 * 1024


def sniff_gltf(handle: BinaryIO, size: int) -> None:
    """A JSON glTF with `asset.version` and only embedded (`data:`) resources."""
    if size > _json_limit():
        raise _refuse("gltf_too_large", "The glTF JSON is too large; upload it as GLB.")
    _gltf_json_check(_read_at(handle, 0, size), embedded_buffer=False)


def sniff_glb(handle: BinaryIO, size: int) -> None:
    """GLB magic, version 2, a total length equal to the file size and chunks that tile it."""
    header = _read_at(handle, 0, 12)
    if len(header) < 12 or header[:4] != GLB_MAGIC:
        raise _refuse("glb_magic", "The file does not start with the GLB magic.")
    _magic, version, length = struct.unpack("<4sII", header)
    if version != 2:
        raise _refuse("glb_version", f"GLB version {version} is not supported (only 2).")
    if length != size:
        raise _refuse("glb_length", "The GLB header's length differs from the file size.")
    offset, chunks, json_chunk, has_bin = 12, 0, b"", False
    while offset < size:
        chunk_header = _read_at(handle, offset, 8)
        if len(chunk_header) < 8:
            raise _refuse("glb_chunk", "A GLB chunk header is truncated.")
        chunk_length, chunk_type = struct.unpack("<II", chunk_header)
        end = offset + 8 + chunk_length
        if chunk_length % 4 or end > size:
            raise _refuse("glb_chunk", "A GLB chunk's length is inconsistent with the file.")
        if chunks == 0:
            if chunk_type != GLB_JSON_CHUNK:
                raise _refuse("glb_chunk", "The first GLB chunk is not JSON.")
            if chunk_length > _json_limit():
                raise _refuse("gltf_too_large", "The GLB's JSON chunk is too large.")
            json_chunk = _read_at(handle, offset + 8, chunk_length)
        elif chunks == 1 and chunk_type == GLB_BIN_CHUNK:
            has_bin = True
        offset, chunks = end, chunks + 1
    if not chunks:
        raise _refuse("glb_chunk", "The GLB has no JSON chunk.")
    _gltf_json_check(json_chunk.rstrip(b" "), embedded_buffer=has_bin)


def sniff_stl(handle: BinaryIO, size: int) -> None:
    """Binary STL whose size is 84 + 50 x its triangle count, or ASCII `solid ... endsolid`."""
    if size >= STL_HEADER_SIZE:
        (triangles,) = struct.unpack("<I", _read_at(handle, 80, 4))
        if size == STL_HEADER_SIZE + STL_TRIANGLE_SIZE * triangles:
            return
    head = _read_at(handle, 0, STL_TEXT_WINDOW)
    tail = _read_at(handle, max(0, size - STL_TEXT_WINDOW), STL_TEXT_WINDOW)
    try:
        head_text, tail_text = head.decode("ascii"), tail.decode("ascii")
    except UnicodeDecodeError as exc:
        raise _refuse("stl_format", "The file is neither binary nor ASCII STL.") from exc
    last_line = tail_text.rstrip().rpartition("\n")[2].strip()
    if not head_text.lstrip().startswith("solid") or not last_line.startswith("endsolid"):
        raise _refuse("stl_format", "The file is neither binary nor ASCII STL.")


SNIFFERS: dict[str, Callable[[BinaryIO, int], None]] = {
    ".pdf": sniff_pdf,
    ".png": sniff_png,
    ".jpg": sniff_jpeg,
    ".glb": sniff_glb,
    ".gltf": sniff_gltf,
    ".stl": sniff_stl,
}


def content_check(handle: BinaryIO, *, size: int, extension: str) -> str:
    """Check that the content of `handle` is of type `extension`; return its content type.

    Raises FileContentMismatch.
    """
    if size == 0:
        raise _refuse("empty", "The file is empty.")
    SNIFFERS[extension](handle, size)
    return CONTENT_TYPES[extension]
