"""Generated files for the analysis tests: hostile PDFs and images, plus the real files of
`konnaxion.keenkonnect.samples` (re-exported here)."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from konnaxion.keenkonnect.samples import (  # noqa: F401 - re-exported for the tests
    _stream,
    cube_triangles,
    gltf_from_triangles,
    multipage_pdf,
    pdf_document,
    stl_ascii,
    stl_binary,
    uv_sphere,
)


def pdf_with_content(content: bytes, *, compress: bool = True) -> bytes:
    """A one-page PDF whose page draws `content` (a raw content stream)."""
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
            _stream(content, compress=compress),
        ]
    )


def pdf_self_referencing() -> bytes:
    """A page tree whose node lists itself as its own kid."""
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ]
    )


def pdf_deeply_nested(depth: int = 200_000) -> bytes:
    """A catalog holding an array nested `depth` levels deep."""
    nested = b"[" * depth + b"]" * depth
    return pdf_document(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Nested " + nested + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        ]
    )


def image_with_rectangle(
    size: tuple[int, int] = (120, 80),
    box: tuple[int, int, int, int] | None = None,
    *,
    image_format: str = "PNG",
    mode: str = "RGB",
    exif: dict[int, object] | None = None,
) -> bytes:
    """A light-grey image (a gradient, so it has structure) with an optional dark `box`."""
    width, height = size
    gradient = np.add.outer(
        np.arange(height) * 60 // max(height, 1), np.arange(width) * 60 // max(width, 1)
    )
    array = (130 + gradient).astype(np.uint8)  # at most 250
    image = Image.fromarray(array, "L").convert(mode)
    if box is not None:
        left, top, right, bottom = box
        image.paste(Image.new(mode, (right - left, bottom - top)), (left, top))
    out = io.BytesIO()
    save = {"format": image_format}
    if exif:
        exif_data = Image.Exif()
        for tag, value in exif.items():
            exif_data[tag] = value
        save["exif"] = exif_data
    image.save(out, **save)
    return out.getvalue()
