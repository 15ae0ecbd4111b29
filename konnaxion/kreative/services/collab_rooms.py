"""Writes of collaboration rooms other than the shared document: the chat."""

from __future__ import annotations

from konnaxion.core.errors import Conflict, NotFound, ValidationFailed
from konnaxion.kreative.models import CollabChatMessage, CollabSession
from konnaxion.kreative.models.collab_rooms import CHAT_MESSAGE_MAX_CHARS


def collab_chat_message_post(*, session_id: int, author, body: object) -> CollabChatMessage:
    """Persist a chat line in the session's room (1 to CHAT_MESSAGE_MAX_CHARS characters once
    trimmed). Raises ValidationFailed, NotFound, Conflict (session ended)."""
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
    session = CollabSession.objects.filter(pk=session_id).first()
    if session is None:
        raise NotFound()
    if session.ended_at is not None:
        raise Conflict("The session has ended; its room is read-only.", code="session_ended")
    return CollabChatMessage.objects.create(session=session, author=author, body=body)
