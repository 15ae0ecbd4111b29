"""Collaboration sessions: hosted by one user, ended by their host."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from konnaxion.core.errors import Conflict, PermissionDenied, ValidationFailed
from konnaxion.kreative.models import CollabSession, KreativeArtwork


def collab_session_start(
    *, host, name: str, session_type: str, started_at: datetime | None = None
) -> CollabSession:
    """A session hosted by `host`, started now unless `started_at` says otherwise."""
    if session_type not in CollabSession.SessionType.values:
        raise ValidationFailed(details={"fields": {"session_type": "unknown session type"}})
    return CollabSession.objects.create(
        host=host, name=name, session_type=session_type, started_at=started_at or timezone.now()
    )


@transaction.atomic
def collab_session_end(
    *, session: CollabSession, actor, final_artwork: KreativeArtwork | None = None
) -> CollabSession:
    """End the session, optionally naming the artwork it produced.

    Raises PermissionDenied, Conflict.
    """
    if session.host_id != actor.pk:
        raise PermissionDenied("Only the host may end the session.")
    session = CollabSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise Conflict("The session has already ended.", code="session_ended")
    session.ended_at = max(timezone.now(), session.started_at)
    session.final_artwork = final_artwork
    session.save(update_fields=["ended_at", "final_artwork", "updated_at"])
    return session


def collab_session_update(*, session: CollabSession, actor, name: str) -> CollabSession:
    """Rename the session. Raises PermissionDenied."""
    if session.host_id != actor.pk:
        raise PermissionDenied("Only the host may change the session.")
    session.name = name
    session.save(update_fields=["name", "updated_at"])
    return session
