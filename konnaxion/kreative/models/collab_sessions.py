from django.conf import settings
from django.db import models
from django.db.models import F, Q

from konnaxion.kreative.models.artworks import KreativeArtwork


class CollabSession(models.Model):
    """A real-time creative session (joint painting, jam...) hosted by one user."""

    class SessionType(models.TextChoices):
        PAINTING = "painting", "Painting"
        MUSIC = "music", "Music"
        MIXED_MEDIA = "mixed_media", "Mixed media"

    class Kind(models.TextChoices):
        DM = "dm", "Direct message"  # exactly two people: the host and one participant
        GROUP = "group", "Group"

    name = models.CharField(max_length=200)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hosted_collab_sessions"
    )
    session_type = models.CharField(max_length=16, choices=SessionType.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.GROUP)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    final_artwork = models.ForeignKey(
        KreativeArtwork,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collab_sessions",
    )
    # Someone was connected to the room then (written at most once a minute, see docs/rooms.md).
    last_active_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-started_at", "-id")
        indexes = [
            models.Index(
                fields=["last_active_at"],
                condition=Q(ended_at__isnull=True),
                name="kreative_collab_open_activity",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="kreative_collabsession_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(session_type__in=["painting", "music", "mixed_media"]),
                name="kreative_collabsession_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["dm", "group"]), name="kreative_collabsession_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CollabSessionParticipant(models.Model):
    """Someone invited to, or taking part in, a session; the host is one too."""

    class Role(models.TextChoices):
        HOST = "host", "Host"
        PARTICIPANT = "participant", "Participant"

    session = models.ForeignKey(
        CollabSession, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="collab_session_participations",
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    invited_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("session", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], name="kreative_collabsessionparticipant_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["host", "participant"]),
                name="kreative_collabsessionparticipant_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.session_id} ({self.role})"
