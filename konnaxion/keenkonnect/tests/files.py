"""Real, small blueprint files of every accepted type, and stored blobs, for tests."""

from __future__ import annotations

import base64
import io
import json
import struct

from PIL import Image

from konnaxion.files.incoming import IncomingFile
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_store


def pdf_bytes(text: str = "Blueprint") -> bytes:
    """A minimal, valid one-page PDF with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(out, format=image_format)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    return image_bytes("PNG", size)


def jpeg_bytes(size: tuple[int, int] = (32, 24)) -> bytes:
    return image_bytes("JPEG", size)


TRIANGLE = struct.pack("<12f", 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0)


def triangle_buffer() -> bytes:
    return struct.pack("<9f", 0, 0, 0, 1, 0, 0, 0, 1, 0)


def gltf_document(buffer_uri: str | None) -> dict:
    buffer = {"byteLength": 36}
    if buffer_uri is not None:
        buffer["uri"] = buffer_uri
    return {
        "asset": {"version": "2.0", "generator": "konnaxion tests"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0}],
        "meshes": [{"primitives": [{"attributes": {"POSITION": 0}}]}],
        "buffers": [buffer],
        "bufferViews": [{"buffer": 0, "byteLength": 36}],
        "accessors": [
            {
                "bufferView": 0,
                "componentType": 5126,
                "count": 3,
                "type": "VEC3",
                "min": [0, 0, 0],
                "max": [1, 1, 0],
            }
        ],
    }


def gltf_bytes(buffer_uri: str | None = None, document: dict | None = None) -> bytes:
    if document is None:
        if buffer_uri is None:
            encoded = base64.b64encode(triangle_buffer()).decode()
            buffer_uri = f"data:application/octet-stream;base64,{encoded}"
        document = gltf_document(buffer_uri)
    return json.dumps(document).encode()


def glb_bytes(document: dict | None = None, binary: bytes | None = None) -> bytes:
    document = gltf_document(None) if document is None else document
    binary = triangle_buffer() if binary is None else binary
    json_chunk = json.dumps(document).encode()
    json_chunk += b" " * (-len(json_chunk) % 4)
    binary += b"\x00" * (-len(binary) % 4)
    body = struct.pack("<II", len(json_chunk), 0x4E4F534A) + json_chunk
    body += struct.pack("<II", len(binary), 0x004E4942) + binary
    return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body


def stl_binary_bytes(triangles: int = 2) -> bytes:
    header = b"konnaxion test part".ljust(80, b" ")
    facet = TRIANGLE + b"\x00\x00"
    return header + struct.pack("<I", triangles) + facet * triangles


def stl_ascii_bytes() -> bytes:
    return (
        b"solid part\n"
        b"  facet normal 0 0 1\n    outer loop\n"
        b"      vertex 0 0 0\n      vertex 1 0 0\n      vertex 0 1 0\n"
        b"    endloop\n  endfacet\n"
        b"endsolid part\n"
    )


def incoming_file(content: bytes, *, name: str = "plan.pdf", piece: int = 7000) -> IncomingFile:
    """An upload received in pieces of `piece` bytes, as from a socket."""
    upload = IncomingFile(name=name)
    for start in range(0, len(content), piece):
        upload.write(content[start : start + piece])
    upload.finish()
    return upload


def stored_blob(content: bytes, *, content_type: str = "application/pdf") -> Blob:
    return blob_store(upload=incoming_file(content), content_type=content_type)
