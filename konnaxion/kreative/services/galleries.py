"""Galleries: curated by their creator, artworks kept in a stable order."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from konnaxion.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from konnaxion.kreative.models import Gallery, GalleryArtwork, KreativeArtwork
from konnaxion.kreative.selectors import artworks_visible_to
from konnaxion.kreative.services.limits import limit_check, owner_lock
from konnaxion.users.models import User


@transaction.atomic
def gallery_create(*, creator: User, title: str, description: str = "", theme: str = "") -> Gallery:
    """A new, empty gallery curated by `creator`. Raises LimitReached (409 too_many_galleries)
    past GALLERY_MAX_PER_USER galleries."""
    owner_lock(creator)
    limit_check(
        used=Gallery.objects.filter(created_by=creator).count(),
        limit=settings.GALLERY_MAX_PER_USER,
        code="too_many_galleries",
        message="You already curate as many galleries as allowed: delete one first.",
    )
    return Gallery.objects.create(
        created_by=creator, title=title, description=description, theme=theme
    )


def _ensure_curator(*, gallery: Gallery, actor: User) -> None:
    if gallery.created_by_id != actor.pk:
        raise PermissionDenied("Only the gallery's curator may change it.")


def gallery_update(*, gallery: Gallery, actor: User, **fields: str) -> Gallery:
    """Change title, description or theme. Raises PermissionDenied."""
    _ensure_curator(gallery=gallery, actor=actor)
    for name in ("title", "description", "theme"):
        if name in fields:
            setattr(gallery, name, fields[name])
    gallery.save()
    return gallery


def gallery_delete(*, gallery: Gallery, actor: User) -> None:
    _ensure_curator(gallery=gallery, actor=actor)
    gallery.delete()


@transaction.atomic
def gallery_artwork_add(
    *, gallery: Gallery, artwork: KreativeArtwork, actor: User, order: int | None = None
) -> GalleryArtwork:
    """Place `artwork` at the end of the gallery, or at `order` (later ones move down).

    Raises PermissionDenied, Conflict when the artwork is already in the gallery.
    """
    _ensure_curator(gallery=gallery, actor=actor)
    gallery = Gallery.objects.select_for_update().get(pk=gallery.pk)
    if GalleryArtwork.objects.filter(gallery=gallery, artwork=artwork).exists():
        raise Conflict("The artwork is already in this gallery.", code="already_in_gallery")
    entries = list(GalleryArtwork.objects.filter(gallery=gallery).order_by("order"))
    position = len(entries) if order is None else min(max(order, 0), len(entries))
    entry = GalleryArtwork(gallery=gallery, artwork=artwork, order=position)
    entries.insert(position, entry)
    _renumber(entries)
    return entry


@transaction.atomic
def gallery_artwork_remove(*, gallery: Gallery, artwork_id: int, actor: User) -> None:
    """Take an artwork out of the gallery and close the gap. Raises NotFound, PermissionDenied."""
    _ensure_curator(gallery=gallery, actor=actor)
    gallery = Gallery.objects.select_for_update().get(pk=gallery.pk)
    deleted, _ = GalleryArtwork.objects.filter(gallery=gallery, artwork_id=artwork_id).delete()
    if not deleted:
        raise NotFound("The artwork is not in this gallery.")
    _renumber(list(GalleryArtwork.objects.filter(gallery=gallery).order_by("order")))


@transaction.atomic
def gallery_artworks_reorder(*, gallery: Gallery, artwork_ids: list[int], actor: User) -> None:
    """Set the order of every artwork of the gallery that `actor` may see; those hidden from
    them (their artist's profile) keep their places. Raises ValidationFailed, PermissionDenied."""
    _ensure_curator(gallery=gallery, actor=actor)
    gallery = Gallery.objects.select_for_update().get(pk=gallery.pk)
    entries = list(GalleryArtwork.objects.filter(gallery=gallery).order_by("order"))
    visible = set(
        artworks_visible_to(user=actor)
        .filter(pk__in=[entry.artwork_id for entry in entries])
        .values_list("pk", flat=True)
    )
    shown = {entry.artwork_id: entry for entry in entries if entry.artwork_id in visible}
    if sorted(artwork_ids) != sorted(shown) or len(set(artwork_ids)) != len(artwork_ids):
        raise ValidationFailed(
            "Give every artwork of the gallery exactly once.",
            details={"fields": {"artwork_ids": "must list the gallery's artworks"}},
        )
    wanted = iter(artwork_ids)
    _renumber([shown[next(wanted)] if entry.artwork_id in visible else entry for entry in entries])


def _renumber(entries: list[GalleryArtwork]) -> None:
    # The (gallery, order) constraint is deferred, so positions may collide until commit.
    for position, entry in enumerate(entries):
        if entry.pk is None or entry.order != position:
            entry.order = position
            entry.save()
