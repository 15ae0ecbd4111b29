"""Artworks: upload checked by content, owner-only edits, derived image sizes."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, ImageOps

from konnaxion.core.errors import PayloadTooLarge, PermissionDenied, ValidationFailed
from konnaxion.core.images import image_open
from konnaxion.core.queue import task_enqueue_on_commit
from konnaxion.kreative.models import KreativeArtwork
from konnaxion.kreative.services.intelligent_matching import (
    matching_statistics_invalidate_on_commit,
)
from konnaxion.kreative.services.media import media_sniff
from konnaxion.kreative.services.professional_profile import profile_get_or_create
from konnaxion.tags.services import tags_get_or_create

MediaType = KreativeArtwork.MediaType
EDITABLE_FIELDS = ("title", "description", "year", "medium", "style", "nsfw")


@transaction.atomic
def artwork_create(
    *,
    artist,
    title: str,
    media_file,
    media_type: str | None = None,
    description: str = "",
    year: int | None = None,
    medium: str = "",
    style: str = "",
    nsfw: bool | None = None,
    tags: list[str] | None = None,
) -> KreativeArtwork:
    """Store an artwork whose media type is read from the file's bytes.

    Images over ARTWORK_MAX_IMAGE_MB are refused; derived sizes are made after commit. The
    artist gets a profile (members-only by default) if they had none: an artwork is seen by
    whoever may see its artist's profile. Raises UnsupportedMediaType, PayloadTooLarge,
    ValidationFailed.
    """
    sniffed = media_sniff(media_file)
    if media_type and media_type != sniffed.media_type:
        raise ValidationFailed(
            f"The file's content is {sniffed.media_type}, not {media_type}.",
            code="media_type_mismatch",
            details={"fields": {"media_type": sniffed.media_type}},
        )
    limit = settings.ARTWORK_MAX_IMAGE_MB * 1024 * 1024
    if sniffed.media_type == MediaType.IMAGE and media_file.size > limit:
        raise PayloadTooLarge(
            f"Images are limited to {settings.ARTWORK_MAX_IMAGE_MB} MB.",
            code="file_too_large",
            details={"max_bytes": limit},
        )
    if nsfw is None and settings.NSFW_FLAG_REQUIRED:
        raise ValidationFailed(
            "Say whether the artwork is NSFW.", details={"fields": {"nsfw": "required"}}
        )
    profile_get_or_create(user=artist)
    artwork = KreativeArtwork.objects.create(
        artist=artist,
        title=title,
        description=description,
        media_file=media_file,
        media_type=sniffed.media_type,
        content_type=sniffed.content_type,
        year=year,
        medium=medium,
        style=style,
        nsfw=bool(nsfw),
    )
    if tags:
        artwork.tags.set(tags_get_or_create(names=tags))
        matching_statistics_invalidate_on_commit()
    if artwork.media_type == MediaType.IMAGE:
        artwork_derive_images_on_commit(artwork_id=artwork.pk)
    return artwork


def _ensure_owner(*, artwork: KreativeArtwork, actor) -> None:
    if artwork.artist_id != actor.pk:
        raise PermissionDenied("Only the artist may change this artwork.")


@transaction.atomic
def artwork_update(
    *, artwork: KreativeArtwork, actor, tags: list[str] | None = None, **fields: Any
) -> KreativeArtwork:
    """Change the artwork's details (not its file). Raises PermissionDenied for non-artists."""
    _ensure_owner(artwork=artwork, actor=actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(details={"fields": {name: "not editable" for name in unknown}})
    for name, value in fields.items():
        setattr(artwork, name, value)
    artwork.save()
    if tags is not None:
        artwork.tags.set(tags_get_or_create(names=tags))
        matching_statistics_invalidate_on_commit()
    return artwork


@transaction.atomic
def artwork_delete(*, artwork: KreativeArtwork, actor) -> None:
    """Delete the artwork; its files are removed once the deletion is committed."""
    _ensure_owner(artwork=artwork, actor=actor)
    names = [artwork.media_file.name, *artwork.derivatives.values()]
    had_tags = artwork.tags.exists()
    artwork.delete()
    if had_tags:
        matching_statistics_invalidate_on_commit()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names if name])


def derivative_name(*, artwork_id: int, size: int) -> str:
    return f"kreative/derived/{artwork_id}/{size}.webp"


def artwork_derive_images_on_commit(*, artwork_id: int) -> None:
    """After commit, ask a worker to make the artwork's derived sizes (`artwork_derive_images`)."""
    task_enqueue_on_commit("konnaxion.kreative.tasks.artwork_derive_images_task", artwork_id)


def artwork_derive_images(*, artwork: KreativeArtwork) -> dict[str, str]:
    """Write the ARTWORK_RESOLUTIONS sizes (longest side, never enlarged) as WebP files.

    Idempotent: the same names are rewritten. Returns {size: storage name}.
    """
    derived: dict[str, str] = {}
    with artwork.media_file.open("rb") as source, image_open(source) as original:
        image = ImageOps.exif_transpose(original)
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        for size in settings.ARTWORK_RESOLUTIONS:
            copy = image.copy()
            copy.thumbnail((size, size), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            copy.save(buffer, format="WEBP", quality=85)
            name = derivative_name(artwork_id=artwork.pk, size=size)
            if default_storage.exists(name):
                default_storage.delete(name)
            derived[str(size)] = default_storage.save(name, ContentFile(buffer.getvalue()))
    KreativeArtwork.objects.filter(pk=artwork.pk).update(derivatives=derived)
    artwork.derivatives = derived
    return derived
