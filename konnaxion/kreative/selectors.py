"""Reads of Kreative, prefetched and permission-filtered."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from konnaxion.core.permissions import is_moderator
from konnaxion.kreative.models import (
    CollabChatMessage,
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


def collab_room_access(*, user, session_id: int) -> str | None:
    """How `user` may join the session's room: "editor", "viewer" (ended session) or None.

    Until invitations exist, only the host may join.
    """
    session = CollabSession.objects.filter(pk=session_id).values("host_id", "ended_at").first()
    if session is None or session["host_id"] != user.pk:
        return None
    return "viewer" if session["ended_at"] is not None else "editor"


def collab_chat_history(
    *, session_id: int, before_id: int | None = None, limit: int = 50
) -> tuple[list[CollabChatMessage], bool]:
    """A page of the room's chat, oldest first, ending just before `before_id` (the newest page
    without it), and whether older messages remain."""
    messages = CollabChatMessage.objects.filter(session_id=session_id).select_related("author")
    if before_id is not None:
        messages = messages.filter(pk__lt=before_id)
    page = list(messages.order_by("-id")[: limit + 1])
    return list(reversed(page[:limit])), len(page) > limit
