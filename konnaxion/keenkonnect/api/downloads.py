"""HTTP details of document downloads: byte ranges and RFC 6266 file names."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse, JsonResponse

from konnaxion.core.errors import error_body
from konnaxion.core.streaming import SyncStreamingResponse
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_read
from konnaxion.keenkonnect.models import DocumentVersion

_RANGE = re.compile(r"^bytes=([0-9]*)-([0-9]*)$")
# A position with more digits than this is past the end of any file (a blob is at most some
# hundreds of megabytes); parsing it as an int would only cost time.
_MAX_DIGITS = 18


def byte_range(header: str | None, size: int) -> tuple[int, int] | bool | None:
    """The [start, stop) a `Range` header asks for; None to send everything (no header, or one
    we do not serve, such as several ranges); False when it cannot be satisfied."""
    if not header:
        return None
    match = _RANGE.match(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        if len(last) > _MAX_DIGITS:
            return 0, size
        suffix = int(last)
        if suffix == 0:
            return False
        return max(0, size - suffix), size
    if len(first) > _MAX_DIGITS:
        return False
    start = int(first)
    if last and len(last) > _MAX_DIGITS:
        last = ""
    stop = size if not last else min(int(last) + 1, size)
    if last and int(last) < start:
        return None
    if start >= size:
        return False
    return start, stop


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the exact name as `filename*` (RFC 6266)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9._ -]", "_", ascii_name).strip() or "download"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_response(
    version: DocumentVersion, range_header: str | None, if_none_match: str | None
):
    """A streamed, decrypted answer for `version`: 200, 206 for a range, 304, or 416 (the JSON
    error body `range_not_satisfiable`)."""
    return blob_response(
        version.blob,
        file_name=version.original_name,
        content_type=version.content_type,
        range_header=range_header,
        if_none_match=if_none_match,
    )


def blob_response(
    blob: Blob,
    *,
    file_name: str,
    content_type: str,
    range_header: str | None,
    if_none_match: str | None,
):
    """A blob streamed and decrypted as an attachment: 200, 206 for a range, 304, or 416."""
    size = blob.size
    etag = f'"{blob.sha256}"'
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": content_disposition(file_name),
        "Cache-Control": "private, no-cache",
    }
    if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
        return HttpResponse(status=304, headers=headers)
    wanted = byte_range(range_header, size)
    if wanted is False:
        return JsonResponse(
            error_body(
                "range_not_satisfiable",
                "The requested range is not satisfiable.",
                {"size": size},
            ),
            status=416,
            headers={**headers, "Content-Range": f"bytes */{size}"},
        )
    start, stop = wanted if wanted else (0, size)
    response = SyncStreamingResponse(
        blob_read(blob=blob, start=start, stop=stop),
        status=206 if wanted else 200,
        content_type=content_type,
        headers={**headers, "Content-Length": str(stop - start)},
    )
    if wanted:
        response["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    return response
