"""Reads of Kreative, prefetched and permission-filtered."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from konnaxion.core.permissions import is_moderator
from konnaxion.kreative.models import (
    CollabSession,
    Gallery,
    GalleryArtwork,
    KreativeArtwork,
    Tag,
    TraditionEntry,
)


def tags_listed() -> QuerySet[Tag]:
    return Tag.objects.all()


def artworks_listed() -> QuerySet[KreativeArtwork]:
    return KreativeArtwork.objects.select_related("artist").prefetch_related("tags")


def galleries_listed() -> QuerySet[Gallery]:
    """Galleries with their artworks in gallery order."""
    entries = GalleryArtwork.objects.select_related("artwork").order_by("order")
    return Gallery.objects.select_related("created_by").prefetch_related(
        Prefetch("entries", queryset=entries)
    )


def traditions_visible_to(*, user) -> QuerySet[TraditionEntry]:
    """Approved entries, plus one's own pending ones; moderators see every entry."""
    queryset = TraditionEntry.objects.select_related("submitted_by", "approved_by")
    if is_moderator(user):
        return queryset
    return queryset.filter(Q(approved=True) | Q(submitted_by=user))


def collab_sessions_listed() -> QuerySet[CollabSession]:
    return CollabSession.objects.select_related("host", "final_artwork")
