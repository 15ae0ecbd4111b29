"""collaboration_workspace: rooms where people meet, plan and co-create (see docs/rooms.md).

A workspace is a `CollabSession` with a kind (a DM holds exactly its host and one participant; a
group takes invitations) and a room: chat, shared notes and canvas, presence. Nobody across a
block from the host is ever invited. Ending a workspace makes the room read-only, can save the
canvas as the session's `final_artwork`, and lets its participants endorse each other. Chat
lines and edits of the shared document are stored here and published to the room after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from konnaxion.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from konnaxion.core.realtime import publish_on_commit
from konnaxion.kreative import selectors
from konnaxion.kreative.models import (
    CollabChatMessage,
    CollabDocument,
    CollabSession,
    CollabSessionParticipant,
)
from konnaxion.kreative.models.collab_rooms import CHAT_MESSAGE_MAX_CHARS
from konnaxion.kreative.realtime import documents
from konnaxion.kreative.services.collab_sessions import (
    collab_session_end,
    collab_session_start,
    room_access_changed_event,
    room_group,
    session_ended_event,
)
from konnaxion.kreative.services.limits import limit_check, owner_lock
from konnaxion.kreative.services.room_notices import room_invited_notify
from konnaxion.kreative.services.workspace_outputs import workspace_canvas_artwork
from konnaxion.users.models import User
from konnaxion.users.selectors import email_verified_check

Kind = CollabSession.Kind
Role = CollabSessionParticipant.Role
# `last_active_at` is written at most this often per session: a heartbeat costs no write.
ACTIVITY_RESOLUTION = timedelta(minutes=1)


def _invitees(*, host: User, usernames: list[str]) -> list[User]:
    """The people named, without the host. Raises ValidationFailed naming the unknown ones;
    someone who does not exist for the host (deactivated, hidden profile, across a block:
    `users_hidden_from`) is reported exactly like a name nobody has."""
    wanted = list(dict.fromkeys(name for name in usernames if name != host.username))
    found = {
        user.username: user
        for user in User.objects.filter(username__in=wanted).exclude(
            pk__in=selectors.users_hidden_from(user=host)
        )
    }
    unknown = [name for name in wanted if name not in found]
    if unknown:
        raise ValidationFailed(
            "Some invited people do not exist.",
            code="unknown_users",
            details={"fields": {"participants": unknown}},
        )
    return [found[name] for name in wanted]


def _pending_invitations_check(
    *, host: User, users: list[User], session: CollabSession | None = None
) -> None:
    """COLLAB_MAX_PENDING_INVITATIONS: invitations to the host's open rooms nobody answered yet
    (never joined), counting those `users` would add. The host's row must be locked."""
    pending = CollabSessionParticipant.objects.filter(
        session__host=host,
        session__ended_at__isnull=True,
        role=Role.PARTICIPANT,
        joined_at__isnull=True,
    )
    adding = len(users)
    if session is not None:
        adding -= CollabSessionParticipant.objects.filter(session=session, user__in=users).count()
    limit_check(
        used=pending.count(),
        adding=adding,
        limit=settings.COLLAB_MAX_PENDING_INVITATIONS,
        code="too_many_pending_invitations",
        message="You have too many invitations nobody has answered yet.",
    )


def _invite(*, session: CollabSession, users: list[User]) -> None:
    """Invite `users` (those already in stay as they are); each newcomer is notified."""
    now = timezone.now()
    already = set(
        CollabSessionParticipant.objects.filter(session=session, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    CollabSessionParticipant.objects.bulk_create(
        [
            CollabSessionParticipant(
                session=session, user=user, role=Role.PARTICIPANT, invited_at=now
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    room_invited_notify(session=session, users=[user for user in users if user.pk not in already])


@transaction.atomic
def workspace_create(
    *, host: User, name: str, session_type: str, kind: str = Kind.GROUP, participants: list[str]
) -> CollabSession:
    """Open a workspace hosted by `host` with `participants` (usernames) invited.

    A DM names exactly one other person. Raises EmailUnverified (the host's address is not
    verified and the room invites someone), ValidationFailed (unknown or blocked users,
    a DM without exactly two people, unknown kind or type), LimitReached (409
    too_many_open_rooms past COLLAB_MAX_OPEN_ROOMS_PER_USER open rooms hosted,
    too_many_pending_invitations past COLLAB_MAX_PENDING_INVITATIONS).
    """
    if kind not in Kind.values:
        raise ValidationFailed(details={"fields": {"kind": "dm or group"}})
    if not name.strip():
        raise ValidationFailed(details={"fields": {"name": "required"}})
    users = _invitees(host=host, usernames=participants)
    if users:
        email_verified_check(host)
    if kind == Kind.DM and len(users) != 1:
        raise ValidationFailed(
            "A direct message is between exactly two people: name one other participant.",
            code="dm_needs_two",
            details={"fields": {"participants": "exactly one other person"}},
        )
    owner_lock(host)
    limit_check(
        used=CollabSession.objects.filter(host=host, ended_at__isnull=True).count(),
        limit=settings.COLLAB_MAX_OPEN_ROOMS_PER_USER,
        code="too_many_open_rooms",
        message="You already host as many open rooms as allowed: end one first.",
    )
    _pending_invitations_check(host=host, users=users)
    session = collab_session_start(host=host, name=name.strip(), session_type=session_type)
    CollabSession.objects.filter(pk=session.pk).update(kind=kind)
    session.kind = kind
    _invite(session=session, users=users)
    return session


@transaction.atomic
def workspace_invite(
    *, session: CollabSession, actor: User, participants: list[str]
) -> CollabSession:
    """The host invites more people to a group workspace (idempotent for those already in).

    Raises PermissionDenied (not the host), EmailUnverified (the host's address is not
    verified), Conflict (ended, or a DM), ValidationFailed, LimitReached (409
    too_many_pending_invitations).
    """
    if session.host_id != actor.pk:
        raise PermissionDenied("Only the host may invite people.")
    email_verified_check(actor)
    owner_lock(actor)  # before the session's row, as workspace_create does
    session = CollabSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise Conflict("The session has ended.", code="session_ended")
    if session.kind == Kind.DM:
        raise Conflict("A direct message stays between its two people.", code="dm_closed")
    users = _invitees(host=actor, usernames=participants)
    _pending_invitations_check(host=actor, users=users, session=session)
    _invite(session=session, users=users)
    return session


@transaction.atomic
def workspace_end(
    *, session: CollabSession, actor: User, save_canvas: bool = False, title: str = ""
) -> CollabSession:
    """The host ends the workspace: its room turns read-only for everyone connected, and its
    participants may endorse each other. `save_canvas` stores the canvas as the session's
    `final_artwork` (a PNG plus its vector source), crediting the participants.

    Raises PermissionDenied, Conflict (already ended), ValidationFailed (empty canvas).
    """
    if session.host_id != actor.pk:
        raise PermissionDenied("Only the host may end the session.")
    session = CollabSession.objects.select_for_update().get(pk=session.pk)
    if session.ended_at is not None:
        raise Conflict("The session has already ended.", code="session_ended")
    artwork = (
        workspace_canvas_artwork(session=session, artist=actor, title=title)
        if save_canvas
        else None
    )
    return collab_session_end(session=session, actor=actor, final_artwork=artwork)


@transaction.atomic
def workspace_leave(*, session: CollabSession, actor: User) -> None:
    """`actor` leaves a workspace they were invited to, open or ended: it leaves their list, the
    room closes their open sockets (`access_revoked`) and delivers them nothing more, and only a
    new invitation brings them back. What they wrote stays. The host cannot leave: they end it.

    Raises Conflict (`host_cannot_leave`), NotFound (not in the workspace)."""
    if session.host_id == actor.pk:
        raise Conflict("The host cannot leave: end the session instead.", code="host_cannot_leave")
    removed, _ = CollabSessionParticipant.objects.filter(session=session, user=actor).delete()
    if not removed:
        raise NotFound("No such workspace.")
    publish_on_commit(room_group(session.pk), room_access_changed_event(user_ids=[actor.pk]))


def workspace_touch(*, session_id: int, user_id: int, joined: bool = False) -> None:
    """Note that someone is connected to the room now: at most one write a minute per session
    (`last_active_at`, read by the idle auto-end); `joined` also marks the participant's first
    arrival."""
    now = timezone.now()
    CollabSession.objects.filter(
        Q(pk=session_id)
        & (Q(last_active_at__isnull=True) | Q(last_active_at__lt=now - ACTIVITY_RESOLUTION))
    ).update(last_active_at=now)
    if joined:
        CollabSessionParticipant.objects.filter(
            session_id=session_id, user_id=user_id, joined_at__isnull=True
        ).update(joined_at=now)


def workspaces_end_idle(*, now: datetime | None = None) -> list[int]:
    """End every open session nobody has been connected to for COLLAB_ROOM_IDLE_END_MINUTES
    (since its last activity, or its start if nobody ever came). Idempotent; returns their ids."""
    now = now or timezone.now()
    idle_since = now - timedelta(minutes=settings.COLLAB_ROOM_IDLE_END_MINUTES)
    ended: list[int] = []
    candidates = (
        CollabSession.objects.filter(ended_at__isnull=True, started_at__lte=now)
        .annotate(active_at=Coalesce("last_active_at", "started_at"))
        .filter(active_at__lt=idle_since)
        .values_list("pk", flat=True)
    )
    for session_id in candidates:
        with transaction.atomic():
            session = (
                CollabSession.objects.select_for_update(skip_locked=True)
                .filter(pk=session_id, ended_at__isnull=True)
                .first()
            )
            if session is None:
                continue
            session.ended_at = now
            session.save(update_fields=["ended_at", "updated_at"])
            publish_on_commit(room_group(session.pk), session_ended_event(session))
            ended.append(session.pk)
    return ended


class ChatLine(TypedDict):
    id: int
    author: str
    body: str
    created_at: str  # ISO 8601


def chat_message_json(message: CollabChatMessage) -> ChatLine:
    """A chat line as the room's sockets send it (`chat` and `chat_history`, docs/rooms.md)."""
    return {
        "id": message.pk,
        "author": message.author.username,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }


def collab_chat_message_post(*, session_id: int, author: User, body: object) -> CollabChatMessage:
    """Persist a chat line in the session's room (1 to CHAT_MESSAGE_MAX_CHARS characters once
    trimmed) by someone who may write there now (`collab_room_access`), and publish it to the
    room after commit (everyone connected, the author included, receives it). Raises
    ValidationFailed, NotFound (no such room, or no access any more), Conflict (ended)."""
    if not isinstance(body, str) or not body.strip():
        raise ValidationFailed(
            "A chat message needs a non-empty text body.", details={"fields": {"body": "required"}}
        )
    body = body.strip()
    if len(body) > CHAT_MESSAGE_MAX_CHARS:
        raise ValidationFailed(
            f"A chat message holds at most {CHAT_MESSAGE_MAX_CHARS} characters.",
            code="message_too_long",
            details={"max_chars": CHAT_MESSAGE_MAX_CHARS},
        )
    access = selectors.collab_room_access(user=author, session_id=session_id)
    if access is None:
        raise NotFound()
    if access == "viewer":
        raise Conflict("The session has ended; its room is read-only.", code="session_ended")
    message = CollabChatMessage.objects.create(session_id=session_id, author=author, body=body)
    publish_on_commit(
        room_group(session_id),
        {"type": "room.chat", "sender": None, "message": chat_message_json(message)},
    )
    return message


@dataclass(frozen=True)
class DocumentChange:
    """What one edit did to the stored document: whether it added anything, and the
    document's `version` after it."""

    changed: bool
    version: int


def collab_document_apply_update(
    *, session_id: int, update: bytes, sender: str | None = None
) -> DocumentChange:
    """Merge the Yjs `update` into the session's stored document under a row lock, store it
    compacted, and publish it to the room after commit.

    Applying the same update twice changes nothing (CRDT merge), so retries and echoes are
    harmless; `changed` says whether this one added anything, and only a change is published:
    `room.update` with the update and the document `version` it produced, `sender` naming the
    author's socket (its channel name), which is not sent its own edit back.
    An ended session's document is read-only. Who may write is the caller's to check (the
    room's socket: an editor holding a slot). Raises InvalidUpdate, NotFound, Conflict.
    """
    if not CollabSession.objects.filter(pk=session_id).exists():
        raise NotFound()
    CollabDocument.objects.get_or_create(session_id=session_id)
    with transaction.atomic():
        document = (
            CollabDocument.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(session_id=session_id)
        )
        if document.session.ended_at is not None:
            raise Conflict(
                "The session has ended; its document is read-only.", code="session_ended"
            )
        merged = documents.document_merge(bytes(document.state), update)
        if merged is None:
            return DocumentChange(changed=False, version=document.version)
        CollabDocument.objects.filter(pk=document.pk).update(state=merged, version=F("version") + 1)
        version = document.version + 1
        publish_on_commit(
            room_group(session_id),
            {"type": "room.update", "sender": sender, "update": update, "version": version},
        )
    return DocumentChange(changed=True, version=version)
