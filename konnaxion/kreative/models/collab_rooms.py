from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from konnaxion.kreative.models.collab_sessions import CollabSession

CHAT_MESSAGE_MAX_CHARS = 4000


class CollabDocument(models.Model):
    """The server copy of a session's shared Yjs document (notes and canvas).

    `state` is the whole document encoded as one Yjs update (compacted on every write);
    `version` counts the writes that changed it.
    """

    session = models.OneToOneField(CollabSession, on_delete=models.CASCADE, related_name="document")
    state = models.BinaryField(default=bytes)
    version = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"document of session {self.session_id} (v{self.version})"


class CollabChatMessage(models.Model):
    """A chat line posted in a session's room."""

    session = models.ForeignKey(
        CollabSession, on_delete=models.CASCADE, related_name="chat_messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collab_chat_messages"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-id",)
        indexes = [models.Index(fields=["session", "-id"], name="kreative_chat_session_recent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(GreaterThanOrEqual(Length("body"), 1))
                & Q(LessThanOrEqual(Length("body"), CHAT_MESSAGE_MAX_CHARS)),
                name="kreative_collabchatmessage_body_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author_id}: {self.body[:40]}"
