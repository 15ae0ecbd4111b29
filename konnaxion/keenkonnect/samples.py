"""Small, real blueprint files generated in code: multi-page PDFs with text, meshes as STL
(binary and ASCII) and glTF/GLB. The demo data and the tests use them; nothing here is hostile."""

from __future__ import annotations

import base64
import io
import json
import math
import struct
import zlib

import numpy as np


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_document(
    objects: list[bytes], *, root: int = 1, info: int | None = None, header: bytes = b"%PDF-1.7"
) -> bytes:
    """A PDF of `objects` (numbered from 1) with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if info is not None:
        trailer += b" /Info %d 0 R" % info
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def _stream(content: bytes, *, compress: bool = False) -> bytes:
    if compress:
        content = zlib.compress(content)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + (
            content + b"\nendstream"
        )
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def multipage_pdf(
    pages: list[str], *, title: str | None = None, author: str | None = None
) -> bytes:
    """A PDF with one page per string of `pages` (lines split on newlines), in Helvetica."""
    first_page = 4
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled below
        # WinAnsiEncoding: the text's Latin-1 bytes are its letters (é, ñ...), not the font's
        # standard encoding's (where é would read Ø).
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    kids = []
    for text in pages:
        page_number = first_page + len(objects) - 3
        lines = " ".join(f"({_escape(line)}) Tj 0 -16 Td" for line in text.splitlines() or [""])
        content = f"BT /F1 12 Tf 72 720 Td {lines} ET".encode("latin-1")
        page = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_number + 1)
        )
        kids.append(b"%d 0 R" % page_number)
        objects += [page, _stream(content)]
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    info = None
    if title or author:
        entries = b""
        if title:
            entries += b" /Title (" + _escape(title).encode("latin-1") + b")"
        if author:
            entries += b" /Author (" + _escape(author).encode("latin-1") + b")"
        objects.append(b"<<" + entries + b" >>")
        info = len(objects)
    return pdf_document(objects, info=info)


def cube_triangles(size: float = 2.0, origin: tuple[float, float, float] = (0, 0, 0)) -> np.ndarray:
    """The 12 outward-facing triangles of an axis-aligned cube, shape (12, 3, 3)."""
    corners = np.array(
        [[x, y, z] for x in (0, 1) for y in (0, 1) for z in (0, 1)], dtype=np.float64
    ) * size + np.asarray(origin, dtype=np.float64)
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    triangles = []
    for a, b, c, d in quads:
        triangles += [(a, b, c), (a, c, d)]
    return corners[np.array(triangles)]


def stl_binary(triangles: np.ndarray, *, header: bytes = b"konnaxion part") -> bytes:
    records = np.zeros(
        len(triangles), dtype=[("normal", "<f4", 3), ("v", "<f4", (3, 3)), ("a", "<u2")]
    )
    records["v"] = triangles
    return header.ljust(80, b" ") + struct.pack("<I", len(triangles)) + records.tobytes()


def stl_ascii(triangles: np.ndarray, *, name: str = "part") -> bytes:
    lines = [f"solid {name}"]
    for triangle in triangles:
        lines += ["  facet normal 0 0 0", "    outer loop"]
        lines += [f"      vertex {x:g} {y:g} {z:g}" for x, y, z in triangle]
        lines += ["    endloop", "  endfacet"]
    lines.append(f"endsolid {name}")
    return ("\n".join(lines) + "\n").encode()


def uv_sphere(rows: int = 16, columns: int = 32, radius: float = 1.0) -> np.ndarray:
    """A closed, outward-facing sphere as triangles, shape (n, 3, 3)."""

    def point(row: int, column: int) -> tuple[float, float, float]:
        if row in (0, rows):  # one pole vertex, and the seam column shared: a welded mesh
            return (0.0, 0.0, radius if row == 0 else -radius)
        theta, phi = math.pi * row / rows, 2 * math.pi * (column % columns) / columns
        return (
            radius * math.sin(theta) * math.cos(phi),
            radius * math.sin(theta) * math.sin(phi),
            radius * math.cos(theta),
        )

    triangles = []
    for row in range(rows):
        for column in range(columns):
            a, b = point(row, column), point(row + 1, column)
            c, d = point(row + 1, column + 1), point(row, column + 1)
            if row != 0:
                triangles.append((a, b, d))
            if row != rows - 1:
                triangles.append((b, c, d))
    return np.array(triangles, dtype=np.float64)


def gltf_from_triangles(
    meshes: dict[str, np.ndarray],
    *,
    materials: dict[str, dict] | None = None,
    mesh_materials: dict[str, str] | None = None,
    translations: dict[str, list[float]] | None = None,
    generator: str = "konnaxion",
    binary: bool = False,
) -> bytes:
    """A glTF (JSON with data: URIs) or GLB: one node per named mesh, indexed positions."""
    materials = materials or {}
    mesh_materials = mesh_materials or {}
    translations = translations or {}
    material_names = list(materials)
    blob = bytearray()
    document: dict = {
        "asset": {"version": "2.0", "generator": generator},
        "scene": 0,
        "scenes": [{"nodes": list(range(len(meshes)))}],
        "nodes": [],
        "meshes": [],
        "materials": [{"name": name, **body} for name, body in materials.items()],
        "accessors": [],
        "bufferViews": [],
    }
    for index, (name, triangles) in enumerate(meshes.items()):
        vertices, inverse = np.unique(triangles.reshape(-1, 3), axis=0, return_inverse=True)
        positions = vertices.astype("<f4").tobytes()
        indices = inverse.reshape(-1).astype("<u4").tobytes()
        for data, target in ((positions, 34962), (indices, 34963)):
            document["bufferViews"].append(
                {"buffer": 0, "byteOffset": len(blob), "byteLength": len(data), "target": target}
            )
            blob += data + b"\x00" * (-len(data) % 4)
        document["accessors"] += [
            {
                "bufferView": len(document["bufferViews"]) - 2,
                "componentType": 5126,
                "count": len(vertices),
                "type": "VEC3",
                "min": vertices.min(axis=0).tolist(),
                "max": vertices.max(axis=0).tolist(),
            },
            {
                "bufferView": len(document["bufferViews"]) - 1,
                "componentType": 5125,
                "count": inverse.size,
                "type": "SCALAR",
            },
        ]
        primitive = {"attributes": {"POSITION": 2 * index}, "indices": 2 * index + 1}
        if name in mesh_materials:
            primitive["material"] = material_names.index(mesh_materials[name])
        document["meshes"].append({"name": name, "primitives": [primitive]})
        node = {"name": f"{name} node", "mesh": index}
        if name in translations:
            node["translation"] = translations[name]
        document["nodes"].append(node)
    if binary:
        document["buffers"] = [{"byteLength": len(blob)}]
        json_chunk = json.dumps(document).encode()
        json_chunk += b" " * (-len(json_chunk) % 4)
        body = struct.pack("<II", len(json_chunk), 0x4E4F534A) + json_chunk
        body += struct.pack("<II", len(blob), 0x004E4942) + bytes(blob)
        return struct.pack("<4sII", b"glTF", 2, 12 + len(body)) + body
    uri = "data:application/octet-stream;base64," + base64.b64encode(bytes(blob)).decode()
    document["buffers"] = [{"byteLength": len(blob), "uri": uri}]
    return json.dumps(document).encode()
