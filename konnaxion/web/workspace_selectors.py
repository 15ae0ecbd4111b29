"""Reads of the Workspace tab: the rooms (collaboration sessions) a person may enter."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from konnaxion.kreative.models import CollabSession
from konnaxion.kreative.selectors import workspaces_of


def rooms_of(*, user) -> QuerySet[CollabSession]:
    """Sessions `user` hosts or takes part in: active ones first, then the latest started.

    Each row carries its host and `people` (the number of participants)."""
    if not user.is_authenticated:
        return CollabSession.objects.none()
    # The same rule as the workspace API and the room socket: hosted or invited, never across
    # a block from the host.
    return (
        workspaces_of(user=user)
        .annotate(people=Count("participants", distinct=True))
        .annotate(
            ended=Case(
                When(ended_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("ended", "-started_at", "-id")
    )


def room_visible_to(*, user, session_id: int) -> CollabSession | None:
    """The session if `user` hosts or takes part in it, else None (outsiders learn nothing)."""
    return rooms_of(user=user).filter(pk=session_id).first()


def room_participant_names(*, session: CollabSession) -> list[str]:
    """Usernames of the session's participants, the host first."""
    return list(
        session.participants.select_related("user")
        .order_by("role", "user__username")  # "host" sorts before "participant"
        .values_list("user__username", flat=True)
    )
