"""Artworks: upload checked by content, owner-only edits, derived image sizes. Files are blobs of
the platform's file store (`konnaxion.files`): a deleted artwork or a replaced derived size
leaves its blobs to the garbage collection."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from PIL import Image, ImageOps

from konnaxion.core.errors import PayloadTooLarge, PermissionDenied, ValidationFailed
from konnaxion.core.images import image_open
from konnaxion.core.queue import task_enqueue_on_commit
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_open, blob_store_file
from konnaxion.kreative.models import ArtworkDerivative, KreativeArtwork
from konnaxion.kreative.services.intelligent_matching import (
    matching_statistics_invalidate_on_commit,
)
from konnaxion.kreative.services.media import media_file_name, media_sniff
from konnaxion.kreative.services.professional_profile import profile_get_or_create
from konnaxion.tags.services import tags_get_or_create
from konnaxion.users.models import User

MediaType = KreativeArtwork.MediaType
EDITABLE_FIELDS = ("title", "description", "year", "medium", "style", "nsfw")


@transaction.atomic
def artwork_create(
    *,
    artist: User,
    title: str,
    media_file: File[bytes],
    media_type: str | None = None,
    description: str = "",
    year: int | None = None,
    medium: str = "",
    style: str = "",
    nsfw: bool | None = None,
    tags: list[str] | None = None,
) -> KreativeArtwork:
    """Store an artwork whose media type is read from the file's bytes; the file becomes an
    encrypted blob (identical files share one).

    Images over ARTWORK_MAX_IMAGE_MB are refused; derived sizes are made after commit. The
    artist gets a profile (members-only by default) if they had none: an artwork is seen by
    whoever may see its artist's profile. Raises UnsupportedMediaType, PayloadTooLarge,
    ValidationFailed, StorageFull.
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
    # Every refusal comes before the file is stored.
    tag_rows = tags_get_or_create(names=tags) if tags else []
    profile_get_or_create(user=artist)
    artwork = KreativeArtwork.objects.create(
        artist=artist,
        title=title,
        description=description,
        media=blob_store_file(file=media_file, content_type=sniffed.content_type),
        media_name=media_file_name(media_file, default="artwork"),
        media_type=sniffed.media_type,
        content_type=sniffed.content_type,
        year=year,
        medium=medium,
        style=style,
        nsfw=bool(nsfw),
    )
    if tag_rows:
        artwork.tags.set(tag_rows)
        matching_statistics_invalidate_on_commit()
    if artwork.media_type == MediaType.IMAGE:
        artwork_derive_images_on_commit(artwork_id=artwork.pk)
    return artwork


def _ensure_owner(*, artwork: KreativeArtwork, actor: User) -> None:
    if artwork.artist_id != actor.pk:
        raise PermissionDenied("Only the artist may change this artwork.")


@transaction.atomic
def artwork_update(
    *, artwork: KreativeArtwork, actor: User, tags: list[str] | None = None, **fields: Any
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
def artwork_delete(*, artwork: KreativeArtwork, actor: User) -> None:
    """Delete the artwork and its derived sizes; their blobs, once nothing else refers to them,
    are removed by the blob garbage collection (`blobs_collect_garbage`)."""
    _ensure_owner(artwork=artwork, actor=actor)
    # Locked first: a derivation running meanwhile finishes before, or then finds it gone.
    KreativeArtwork.objects.select_for_update().filter(pk=artwork.pk).values_list("pk").first()
    had_tags = artwork.tags.exists()
    artwork.delete()
    if had_tags:
        matching_statistics_invalidate_on_commit()


def artwork_derive_images_on_commit(*, artwork_id: int) -> None:
    """After commit, ask a worker to make the artwork's derived sizes (`artwork_derive_images`)."""
    task_enqueue_on_commit("konnaxion.kreative.tasks.artwork_derive_images_task", artwork_id)


def artwork_derive_images(*, artwork: KreativeArtwork) -> dict[str, Blob]:
    """Store the ARTWORK_RESOLUTIONS sizes (longest side, never enlarged) as WebP blobs, one
    `ArtworkDerivative` row per size.

    Idempotent: a size made again points at the same blob. Returns {size: blob}; stops at an
    artwork deleted meanwhile (the blobs just stored are left to the garbage collection).
    """
    derived: dict[str, Blob] = {}
    media = artwork.media
    if media is None:  # its file was lost before the blob store
        return derived
    with blob_open(blob=media) as source, image_open(source) as original:
        image = ImageOps.exif_transpose(original)
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        for size in settings.ARTWORK_RESOLUTIONS:
            copy = image.copy()
            copy.thumbnail((size, size), Image.Resampling.LANCZOS)
            buffer = io.BytesIO()
            copy.save(buffer, format="WEBP", quality=85)
            blob = blob_store_file(file=ContentFile(buffer.getvalue()), content_type="image/webp")
            if not _derivative_set(artwork=artwork, size=size, blob=blob):
                break
            derived[str(size)] = blob
    return derived


@transaction.atomic
def _derivative_set(*, artwork: KreativeArtwork, size: int, blob: Blob) -> bool:
    """Point the artwork's `size` at `blob`; False when the artwork is gone. Its row is locked
    so that a deletion either comes first or waits for this."""
    locked = KreativeArtwork.objects.select_for_update(no_key=True).filter(pk=artwork.pk)
    if locked.values_list("pk", flat=True).first() is None:
        return False
    ArtworkDerivative.objects.update_or_create(
        artwork_id=artwork.pk, size=size, defaults={"blob": blob}
    )
    return True
