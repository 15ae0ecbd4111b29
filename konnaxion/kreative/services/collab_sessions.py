"""Collaboration sessions: hosted by one user, ended by their host."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from konnaxion.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from konnaxion.core.realtime import publish_on_commit
from konnaxion.kreative.models import CollabSession, CollabSessionParticipant, KreativeArtwork
from konnaxion.kreative.selectors import users_hidden_from
from konnaxion.users.models import User

Role = CollabSessionParticipant.Role


def room_group(session_id: int) -> str:
    """The channel-layer group of a session's room: the one place its name is built (the room's
    sockets join it, konnaxion/kreative/consumers.py; services publish to it)."""
    return f"room.{session_id}"


def session_ended_event(session: CollabSession) -> dict[str, Any]:
    """The channel-layer event telling a session's room that it has ended (read-only now).
    Raises ValueError for a session that has not ended."""
    if session.ended_at is None:
        raise ValueError("The session has not ended.")
    return {
        "type": "room.session_ended",
        "sender": None,
        "ended_at": session.ended_at.isoformat(),
        "final_artwork": session.final_artwork_id,
    }


def room_access_changed_event(*, user_ids: list[int] | None) -> dict[str, Any]:
    """The channel-layer event telling a room that these people's access may have ended (None:
    everyone's): their sockets re-check it (`collab_room_access`) and close when it has."""
    return {"type": "room.access_changed", "sender": None, "user_ids": user_ids}


def rooms_access_recheck_on_commit(*, user_ids: list[int], together: bool = False) -> None:
    """After commit, make the open sockets of these people, in every room they take part in,
    re-check their access; those who lost it are told and closed (docs/rooms.md).

    `together`: only the rooms where all of them take part (a block between two people)."""
    sessions = CollabSession.objects.all()
    if together:
        for user_id in user_ids:
            sessions = sessions.filter(participants__user_id=user_id)
    else:
        sessions = sessions.filter(participants__user_id__in=user_ids)
    event = room_access_changed_event(user_ids=list(user_ids))
    for session_id in sessions.values_list("pk", flat=True).distinct():
        publish_on_commit(room_group(session_id), event)


@transaction.atomic
def collab_session_start(
    *, host: User, name: str, session_type: str, started_at: datetime | None = None
) -> CollabSession:
    """A session hosted by `host` (its first participant), started now unless `started_at` says
    otherwise."""
    if session_type not in CollabSession.SessionType.values:
        raise ValidationFailed(details={"fields": {"session_type": "unknown session type"}})
    started_at = started_at or timezone.now()
    session = CollabSession.objects.create(
        host=host, name=name, session_type=session_type, started_at=started_at
    )
    CollabSessionParticipant.objects.create(
        session=session, user=host, role=Role.HOST, invited_at=started_at, joined_at=started_at
    )
    return session


def collab_session_participant_add(
    *, session: CollabSession, actor: User, user: User, joined_at: datetime | None = None
) -> CollabSessionParticipant:
    """Add `user` to the session (idempotent). Only the host adds; an ended session takes nobody;
    someone who does not exist for the host (`users_hidden_from`) is NotFound, as in
    `workspace_invite`.

    Raises PermissionDenied, Conflict, NotFound.
    """
    if session.host_id != actor.pk:
        raise PermissionDenied("Only the host may add participants.")
    if users_hidden_from(user=actor).filter(pk=user.pk).exists():
        raise NotFound("No such user.")
    if session.ended_at is not None:
        raise Conflict("The session has already ended.", code="session_ended")
    now = timezone.now()
    participant, _ = CollabSessionParticipant.objects.get_or_create(
        session=session,
        user=user,
        defaults={"role": Role.PARTICIPANT, "invited_at": now, "joined_at": joined_at or now},
    )
    return participant


@transaction.atomic
def collab_session_end(
    *, session: CollabSession, actor: User, final_artwork: KreativeArtwork | None = None
) -> CollabSession:
    """End the session, optionally naming the artwork it produced (a work of the host or of a
    participant: nobody else's work is credited to the session); its room is told after commit
    and turns read-only.

    Raises PermissionDenied, Conflict, ValidationFailed.
    """
    if session.host_id != actor.pk:
        raise PermissionDenied("Only the host may end the session.")
    if final_artwork is not None and not (
        final_artwork.artist_id == session.host_id
        or session.participants.filter(user_id=final_artwork.artist_id).exists()
    ):
        raise ValidationFailed(
            "The final artwork must be a work of someone in the session.",
            code="not_a_session_artwork",
            details={"fields": {"final_artwork": "not a work of the session's people"}},
        )
    session = CollabSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise Conflict("The session has already ended.", code="session_ended")
    session.ended_at = max(timezone.now(), session.started_at)
    session.final_artwork = final_artwork
    session.save(update_fields=["ended_at", "final_artwork", "updated_at"])
    publish_on_commit(room_group(session.pk), session_ended_event(session))
    return session


def collab_session_update(*, session: CollabSession, actor: User, name: str) -> CollabSession:
    """Rename the session. Raises PermissionDenied."""
    if session.host_id != actor.pk:
        raise PermissionDenied("Only the host may change the session.")
    session.name = name
    session.save(update_fields=["name", "updated_at"])
    return session
