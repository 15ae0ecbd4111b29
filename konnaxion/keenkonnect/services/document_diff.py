"""document_diff: a type-aware, structured, JSON-safe diff of two stored versions of a document.

Every diff has the common fields (size, same-content flag, content type, uploader, dates, the
versions' metadata); two PDFs, two images or two models also get a section of their own (see
docs/analysis.md for the shape). The content part depends only on the two blobs, so it is
cached under their SHA-256s and `DIFF_FORMAT_VERSION`; the versions' metadata is added per call.
"""

from __future__ import annotations

import difflib
import io
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache

from konnaxion.files.incoming import IncomingFile
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_open, blob_store
from konnaxion.keenkonnect.analysis.errors import AnalysisFailed
from konnaxion.keenkonnect.analysis.images import image_analyse, image_compare
from konnaxion.keenkonnect.analysis.meshes import MESH_CONTENT_TYPES, mesh_analyse
from konnaxion.keenkonnect.analysis.pdf import PdfAnalysis, pdf_analyse, pdf_page_png
from konnaxion.keenkonnect.analysis.pdf_compare import PageMatch, lines_side_by_side, pages_align

DIFF_FORMAT_VERSION = 2
MAX_DIFF_LINES_PER_PAGE = 2000
# A page overlay is drawn from both pages rendered this many pixels on their longest side.
OVERLAY_LONGEST = 1024
IMAGE_TYPES = {"image/png", "image/jpeg"}
MESH_NUMBERS = ("triangle_count", "vertex_count", "surface_area", "volume")
MESH_VALUES = ("closed", "bounding_box", "format", "generator", "solid_name")
GLTF_COLLECTIONS = ("nodes", "meshes", "materials")


def kind_of(content_type: str) -> str:
    """The family a content type is diffed as: `pdf`, `image`, `mesh` or `other`."""
    if content_type == "application/pdf":
        return "pdf"
    if content_type in IMAGE_TYPES:
        return "image"
    if content_type in MESH_CONTENT_TYPES:
        return "mesh"
    return "other"


def _json_safe(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item) for item in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _pair(old: Any, new: Any) -> dict[str, Any]:
    pair = {"old": old, "new": new, "changed": old != new}
    numbers = [value for value in (old, new) if isinstance(value, int | float)]
    if len(numbers) == 2 and not any(isinstance(value, bool) for value in numbers):
        pair["delta"] = round(new - old, 6)
    return pair


def _mapping_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {
        "added": {key: new[key] for key in sorted(new.keys() - old.keys())},
        "removed": {key: old[key] for key in sorted(old.keys() - new.keys())},
        "changed": {
            key: {"old": old[key], "new": new[key]}
            for key in sorted(old.keys() & new.keys())
            if old[key] != new[key]
        },
    }


def _failure(side: str, failed: AnalysisFailed) -> dict[str, Any]:
    return {"error": {"side": side, "reason": failed.reason, "message": failed.message}}


def _unified(old_text: str, new_text: str, match: PageMatch) -> list[str]:
    """The page's unified diff, as the API gave it before side-by-side rows existed."""
    return list(
        difflib.unified_diff(
            old_text.splitlines(),
            new_text.splitlines(),
            fromfile=f"old/page-{match.old_page or 0}",
            tofile=f"new/page-{match.new_page or 0}",
            lineterm="",
        )
    )


def _page_entry(before: PdfAnalysis, after: PdfAnalysis, match: PageMatch) -> dict[str, Any]:
    old_text = before.pages[match.old_page - 1] if match.old_page else ""
    new_text = after.pages[match.new_page - 1] if match.new_page else ""
    rows: list[dict[str, Any]] = []
    rows_truncated = False
    if match.status != "moved":
        rows, rows_truncated = lines_side_by_side(
            old_text, new_text, max_rows=MAX_DIFF_LINES_PER_PAGE
        )
    lines = [] if match.status == "moved" else _unified(old_text, new_text, match)
    return {
        "page": match.new_page or match.old_page,
        "old_page": match.old_page,
        "new_page": match.new_page,
        "status": match.status,
        "similarity": match.similarity,
        "rows": rows,
        "rows_truncated": rows_truncated,
        "overlay": False,
        "diff": "\n".join(lines[:MAX_DIFF_LINES_PER_PAGE]),
        "diff_truncated": len(lines) > MAX_DIFF_LINES_PER_PAGE,
    }


def _pdf_section(old: Blob, new: Blob) -> dict[str, Any]:
    analyses = {}
    for side, blob in (("old", old), ("new", new)):
        try:
            with blob_open(blob=blob) as handle:
                analyses[side] = pdf_analyse(handle)
        except AnalysisFailed as failed:
            return _failure(side, failed)
    before, after = analyses["old"], analyses["new"]
    matches, unchanged = pages_align(before.pages, after.pages)
    pages = [_page_entry(before, after, match) for match in matches]
    changed = [page for page in pages if page["status"] == "changed"]
    for page in changed[: settings.ANALYSIS_PDF_OVERLAY_PAGES]:
        page["overlay"] = True
    return {
        "page_count": _pair(before.page_count, after.page_count),
        "pdf_version": _pair(before.pdf_version, after.pdf_version),
        "metadata": _mapping_changes(before.metadata, after.metadata),
        "pages": pages,
        "unchanged_pages": unchanged,
        "text_truncated": before.text_truncated or after.text_truncated,
    }


def _highlight_store(png: bytes) -> Blob:
    upload = IncomingFile(name="highlight.png")
    upload.write(png)
    return blob_store(upload=upload, content_type="image/png")


def _image_section(old: Blob, new: Blob) -> dict[str, Any]:
    analyses = {}
    for side, blob in (("old", old), ("new", new)):
        try:
            with blob_open(blob=blob) as handle:
                analyses[side] = image_analyse(handle)
        except AnalysisFailed as failed:
            return _failure(side, failed)
    try:
        with blob_open(blob=old) as old_handle, blob_open(blob=new) as new_handle:
            comparison = image_compare(old_handle, new_handle)
    except AnalysisFailed as failed:
        return _failure("both", failed)
    highlight = _highlight_store(comparison.highlight_png)
    before, after = analyses["old"], analyses["new"]
    return {
        **{key: _pair(before[key], after[key]) for key in ("format", "width", "height", "mode")},
        "exif": _mapping_changes(before["exif"], after["exif"]),
        "perceptual_hash": _pair(before["perceptual_hash"], after["perceptual_hash"]),
        "hash_distance": comparison.hash_distance,
        "changed_fraction": comparison.changed_fraction,
        "boxes": comparison.boxes,
        "box_count": comparison.box_count,
        "highlight": {
            "sha256": highlight.sha256,
            "size": highlight.size,
            "content_type": highlight.content_type,
        },
    }


def _named_changes(old: dict[str, str], new: dict[str, str]) -> dict[str, list[str]]:
    return {
        "added": sorted(new.keys() - old.keys()),
        "removed": sorted(old.keys() - new.keys()),
        "changed": sorted(key for key in old.keys() & new.keys() if old[key] != new[key]),
    }


def _mesh_section(old: Blob, new: Blob) -> dict[str, Any]:
    analyses = {}
    for side, blob in (("old", old), ("new", new)):
        try:
            with blob_open(blob=blob) as handle:
                analyses[side] = mesh_analyse(handle, content_type=blob.content_type)
        except AnalysisFailed as failed:
            return _failure(side, failed)
    before, after = analyses["old"], analyses["new"]
    section = {
        key: _pair(before.get(key), after.get(key))
        for key in (*MESH_NUMBERS, *MESH_VALUES)
        if key in before or key in after
    }
    if "signatures" in before and "signatures" in after:
        for collection in GLTF_COLLECTIONS:
            section[collection] = _named_changes(
                before["signatures"][collection], after["signatures"][collection]
            )
    return section


SECTIONS = {"pdf": _pdf_section, "image": _image_section, "mesh": _mesh_section}


def _cache_key(old: Blob, new: Blob) -> str:
    return f"document_diff:v{DIFF_FORMAT_VERSION}:{old.sha256}:{new.sha256}"


def _content_section(old: Blob, new: Blob, kind: str) -> dict[str, Any] | None:
    """The type-specific part, from the cache when it is there (and its highlight still is)."""
    if old.sha256 == new.sha256 or kind not in SECTIONS:
        return None
    key = _cache_key(old, new)
    section = cache.get(key)
    highlight = (section or {}).get("highlight")
    if section is not None and (
        highlight is None or Blob.objects.filter(sha256=highlight["sha256"]).exists()
    ):
        return section
    section = SECTIONS[kind](old, new)
    cache.set(key, section, settings.ANALYSIS_DIFF_CACHE_SECONDS)
    return section


def document_diff(*, old: Blob, new: Blob, old_meta: dict, new_meta: dict) -> dict[str, Any]:
    """The structured diff of `old` and `new` (JSON-safe). `old_meta` / `new_meta` describe the
    versions (`version`, `uploaded_by`, `uploaded_at`, `file_name`...). Blobs of different
    families get only the common fields. Never raises for a file that cannot be analysed: its
    section says `{"error": {"side", "reason", "message"}}`. May store the highlight PNG of two
    images as a Blob (referenced by SHA-256)."""
    old_kind, new_kind = kind_of(old.content_type), kind_of(new.content_type)
    kind = old_kind if old_kind == new_kind else "mixed"
    old_meta, new_meta = _json_safe(old_meta), _json_safe(new_meta)
    diff: dict[str, Any] = {
        "format_version": DIFF_FORMAT_VERSION,
        "kind": kind,
        "same_content": old.sha256 == new.sha256,
        "old": {**old_meta, "sha256": old.sha256},
        "new": {**new_meta, "sha256": new.sha256},
        "size": _pair(old.size, new.size),
        "content_type": _pair(old.content_type, new.content_type),
        "uploader": _pair(old_meta.get("uploaded_by"), new_meta.get("uploaded_by")),
        "dates": _pair(old_meta.get("uploaded_at"), new_meta.get("uploaded_at")),
    }
    section = _content_section(old, new, kind)
    if section is not None:
        diff[kind] = section
    return diff


def pdf_page_overlay(*, old: Blob, new: Blob, old_page: int, new_page: int) -> Blob:
    """A PNG of page `new_page` of the PDF `new`, faded, with what changed since page
    `old_page` of `old` in red: both pages rendered in the PDF child and compared as images
    (`image_compare`). Stored as a Blob referenced by nothing, cached (failures too) like the
    diff. Raises AnalysisFailed."""
    key = f"{_cache_key(old, new)}:overlay:{old_page}:{new_page}"
    cached = cache.get(key)
    if isinstance(cached, dict):
        raise AnalysisFailed(cached["reason"], cached["message"])
    blob = Blob.objects.filter(sha256=cached).first() if cached else None
    if blob is not None:
        return blob
    try:
        pictures = []
        for document, number in ((old, old_page), (new, new_page)):
            with blob_open(blob=document) as handle:
                pictures.append(pdf_page_png(handle, page=number, longest=OVERLAY_LONGEST))
        comparison = image_compare(io.BytesIO(pictures[0]), io.BytesIO(pictures[1]))
    except AnalysisFailed as failed:
        failure = {"reason": failed.reason, "message": failed.message}
        cache.set(key, failure, settings.ANALYSIS_DIFF_CACHE_SECONDS)
        raise
    highlight = _highlight_store(comparison.highlight_png)
    cache.set(key, highlight.sha256, settings.ANALYSIS_DIFF_CACHE_SECONDS)
    return highlight
