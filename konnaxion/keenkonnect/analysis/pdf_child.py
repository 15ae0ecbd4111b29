"""The PDF analysis child process (`python -m konnaxion.keenkonnect.analysis.pdf_child`).

pypdf and pypdfium2 parse the hostile file here, under the limits `sandbox` sets; the parent
only ever receives JSON.
"""

from __future__ import annotations

import base64
import io
import logging
from typing import Any, BinaryIO

import pypdf
import pypdfium2
from pypdf.errors import FileNotDecryptedError, LimitReachedError

from konnaxion.keenkonnect.analysis.sandbox_child import ChildRefusal, child_main

MAX_METADATA_VALUE = 2000


def _reader(source: BinaryIO) -> pypdf.PdfReader:
    reader = pypdf.PdfReader(source)
    if reader.is_encrypted:
        try:
            if not reader.decrypt(""):
                raise ChildRefusal("pdf_encrypted", "The PDF is protected by a password.")
        except (FileNotDecryptedError, NotImplementedError) as exc:
            raise ChildRefusal("pdf_encrypted", "The PDF is protected by a password.") from exc
    return reader


def _metadata(reader: pypdf.PdfReader) -> dict[str, str]:
    metadata = {}
    for key, value in (reader.metadata or {}).items():
        text = str(value)[:MAX_METADATA_VALUE]
        metadata[str(key).lstrip("/")] = text
    return metadata


def extract(source: BinaryIO, request: dict[str, Any]) -> dict[str, Any]:
    reader = _reader(source)
    budget = int(request["max_text_chars"])
    pages, truncated = [], False
    page_count = len(reader.pages)
    for page in reader.pages:
        text = "" if budget <= 0 else (page.extract_text() or "")
        text = "\n".join(line.rstrip() for line in text.splitlines())
        if len(text) > budget:
            text, truncated = text[:budget], True
        elif budget <= 0:
            truncated = True
        budget -= len(text)
        pages.append(text)
    first = reader.pages[0].mediabox if page_count else None
    return {
        "page_count": page_count,
        "pages": pages,
        "metadata": _metadata(reader),
        "pdf_version": reader.pdf_header.lstrip("%"),
        "page_size": [round(float(first.width), 2), round(float(first.height), 2)]
        if first
        else None,
        "text_truncated": truncated,
    }


def render_page(source: BinaryIO, request: dict[str, Any]) -> dict[str, Any]:
    """Page `request["page"]` (1-based, the first by default) as a PNG `longest` pixels wide or
    high."""
    document = pypdfium2.PdfDocument(source)
    try:
        if len(document) == 0:
            raise ChildRefusal("pdf_no_pages", "The PDF has no pages.")
        number = int(request.get("page") or 1)
        if not 1 <= number <= len(document):
            raise ChildRefusal("pdf_no_such_page", f"The PDF has no page {number}.")
        page = document[number - 1]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise ChildRefusal("pdf_invalid", f"The PDF's page {number} has no size.")
        scale = int(request["longest"]) / max(width, height)
        image = page.render(scale=scale, fill_color=(255, 255, 255, 255)).to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, format="PNG", optimize=True)
        return {"png": base64.b64encode(out.getvalue()).decode(), "size": list(image.size)}
    finally:
        document.close()


def _guarded(operation):
    def run(source: BinaryIO, request: dict[str, Any]) -> dict[str, Any]:
        try:
            return operation(source, request)
        except (ChildRefusal, MemoryError):
            raise
        except LimitReachedError as exc:
            raise ChildRefusal("pdf_limit", f"The PDF exceeds a parser limit: {exc}") from exc
        except RecursionError as exc:
            raise ChildRefusal("pdf_invalid", "The PDF's objects are nested too deeply.") from exc
        except Exception as exc:
            # The file is hostile or broken and the parsers raise anything at all on such input
            # (KeyError, TypeError, PdfiumError...): in this child every failure is the file's.
            raise ChildRefusal(
                "pdf_invalid", f"The PDF cannot be read ({type(exc).__name__}: {exc})"[:500]
            ) from exc

    return run


if __name__ == "__main__":
    logging.disable(logging.CRITICAL)  # pypdf logs every oddity of a broken file
    child_main({"extract": _guarded(extract), "render": _guarded(render_page)})
