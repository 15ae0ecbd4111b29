"""Answers carrying a stored file of Kontact (avatars, artworks and their derived sizes, tradition
media): a blob of the platform's file store, decrypted as it is sent.

The storage (a local folder or an S3 bucket) is never exposed: each file is reached through a
view that has already decided, with a selector, that the caller may see it.
"""

from __future__ import annotations

import hashlib

from django.http import HttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header

from konnaxion.core.errors import NotFound
from konnaxion.core.streaming import SyncStreamingResponse
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_is_stored, blob_read

# Browsers show these themselves; anything else is offered as a download.
INLINE_TYPES = ("image/", "video/", "audio/")


# The addresses the API gives for files: root-relative, like every other address it gives (the
# search results' `url`), and always those of the views below, never of the storage.


def artwork_media_url(artwork_id: int, *, size: int | str | None = None) -> str:
    """`/api/kreative/artworks/<id>/media/`, with `?size=` for a derived size."""
    url = reverse("kreative-artwork-media", args=[artwork_id])
    return f"{url}?size={size}" if size else url


def avatar_url(username: str) -> str:
    """`/api/profiles/<username>/avatar/`."""
    return reverse("kontact-profile-avatar", args=[username])


def tradition_media_url(entry_id: int) -> str:
    """`/api/kreative/traditions/<id>/media/`."""
    return reverse("kreative-tradition-media", args=[entry_id])


def stored_file_response(
    *,
    blob: Blob | None,
    content_type: str,
    file_name: str,
    version: str,
    if_none_match: str | None,
) -> HttpResponse:
    """The decrypted `blob` with its type, a strong ETag and `private, no-cache` (the browser
    keeps it but asks again, so a profile hidden since is not shown from its cache): 200 or 304.

    `version` changes whenever the file may have (the owner's last update). Raises NotFound
    when there is no file (never stored, or its stored copy gone)."""
    if blob is None or not blob_is_stored(blob=blob):
        raise NotFound("No such file.")
    digest = hashlib.sha256(f"{blob.sha256}\n{blob.size}\n{version}".encode()).hexdigest()[:40]
    etag = f'"{digest}"'
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
        return HttpResponse(status=304, headers=headers)
    inline = content_type.startswith(INLINE_TYPES)
    return SyncStreamingResponse(
        blob_read(blob=blob),
        content_type=content_type if inline else "application/octet-stream",
        headers={
            **headers,
            "Content-Length": str(blob.size),
            "Content-Disposition": content_disposition_header(not inline, file_name),
        },
    )
