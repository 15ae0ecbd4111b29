"""PDF: text page by page, document metadata, page count and a first-page preview.

pypdf and pypdfium2 run in a child process (`pdf_child`) under `ANALYSIS_PDF_TIMEOUT_SECONDS`
of wall-clock time and `ANALYSIS_PDF_MEMORY_MB` of memory: a PDF that loops or balloons raises
`AnalysisFailed` and never takes the calling process down.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, BinaryIO

from django.conf import settings

from konnaxion.keenkonnect.analysis.sandbox import sandbox_run

CHILD_MODULE = "konnaxion.keenkonnect.analysis.pdf_child"


@dataclass(frozen=True)
class PdfAnalysis:
    """What a PDF says: `pages[i]` is the text of page i + 1."""

    page_count: int
    pages: list[str]
    metadata: dict[str, str]
    pdf_version: str
    page_size: list[float] | None
    text_truncated: bool
    preview_png: bytes | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe summary, without the text and the preview."""
        return {
            "page_count": self.page_count,
            "metadata": self.metadata,
            "pdf_version": self.pdf_version,
            "page_size": self.page_size,
            "text_truncated": self.text_truncated,
        }


def _run(
    handle: BinaryIO,
    operations: list[str],
    *,
    longest: int,
    timeout: float | None,
    memory_mb: int | None,
    page: int = 1,
) -> dict[str, Any]:
    return sandbox_run(
        module=CHILD_MODULE,
        request={
            "operations": operations,
            "longest": longest,
            "page": page,
            "max_text_chars": settings.ANALYSIS_MAX_TEXT_CHARS,
        },
        handle=handle,
        timeout=settings.ANALYSIS_PDF_TIMEOUT_SECONDS if timeout is None else timeout,
        memory_mb=settings.ANALYSIS_PDF_MEMORY_MB if memory_mb is None else memory_mb,
    )


def pdf_analyse(
    handle: BinaryIO,
    *,
    preview_longest: int | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
) -> PdfAnalysis:
    """Extract the text of every page and the metadata of the PDF in `handle`, and render its
    first page to a PNG `preview_longest` pixels on its longest side when asked.

    Raises AnalysisFailed (`timeout`, `memory_limit`, `crashed`, `pdf_invalid`, `pdf_encrypted`,
    `pdf_limit`, `pdf_no_pages`).
    """
    operations = ["extract"] + (["render"] if preview_longest else [])
    result = _run(
        handle, operations, longest=preview_longest or 0, timeout=timeout, memory_mb=memory_mb
    )
    extracted = result["extract"]
    preview = result.get("render")
    return PdfAnalysis(
        page_count=int(extracted["page_count"]),
        pages=[str(text) for text in extracted["pages"]],
        metadata={str(k): str(v) for k, v in extracted["metadata"].items()},
        pdf_version=str(extracted["pdf_version"]),
        page_size=extracted["page_size"],
        text_truncated=bool(extracted["text_truncated"]),
        preview_png=base64.b64decode(preview["png"]) if preview else None,
    )


def pdf_first_page_png(
    handle: BinaryIO, *, longest: int = 1024, timeout: float | None = None
) -> bytes:
    """The first page of the PDF in `handle` as a PNG, `longest` pixels on its longest side.

    Raises AnalysisFailed.
    """
    return pdf_page_png(handle, page=1, longest=longest, timeout=timeout)


def pdf_page_png(
    handle: BinaryIO, *, page: int, longest: int = 1024, timeout: float | None = None
) -> bytes:
    """Page `page` (1-based) of the PDF in `handle` as a PNG, `longest` pixels on its longest
    side.

    Raises AnalysisFailed (`pdf_no_such_page` too).
    """
    result = _run(handle, ["render"], longest=longest, timeout=timeout, memory_mb=None, page=page)
    return base64.b64decode(result["render"]["png"])
