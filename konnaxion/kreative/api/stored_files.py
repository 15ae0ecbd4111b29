"""Answers carrying a file of the default storage (avatars, artworks and their derived sizes).

The storage (a local folder or an S3 bucket) is never exposed as a directory: each file is
reached through a view that has already decided, with a selector, that the caller may see it.
"""

from __future__ import annotations

import hashlib

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.urls import reverse

from konnaxion.core.errors import NotFound

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
    *, name: str, content_type: str, version: str, if_none_match: str | None
) -> HttpResponse:
    """The stored file `name` with its type, a strong ETag and `private, no-cache` (the browser
    keeps it but asks again, so a profile hidden since is not shown from its cache): 200 or 304.

    `version` changes whenever the file may have (the owner's last update). Raises NotFound."""
    if not name or not default_storage.exists(name):  # never stored, or gone since
        raise NotFound("No such file.")
    size = default_storage.size(name)
    digest = hashlib.sha256(f"{name}\n{size}\n{version}".encode()).hexdigest()[:40]
    etag = f'"{digest}"'
    headers = {
        "ETag": etag,
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    if if_none_match and etag in [tag.strip() for tag in if_none_match.split(",")]:
        return HttpResponse(status=304, headers=headers)
    inline = content_type.startswith(INLINE_TYPES)
    return FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=name.rsplit("/", 1)[-1],
        headers=headers,
    )
