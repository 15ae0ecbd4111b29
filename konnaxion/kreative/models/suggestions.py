from django.conf import settings
from django.db import models
from django.db.models import F, Q


class SuggestionDismissal(models.Model):
    """`viewer` dismissed `dismissed` from their people suggestions.

    In force for `SUGGESTION_DISMISSAL_DAYS` after the latest dismissal (never suggested); after
    that each past dismissal still pushes the person down."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestion_dismissals"
    )
    dismissed = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["viewer", "dismissed"], name="kreative_suggestiondismissal_unique"
            ),
            models.CheckConstraint(
                condition=~Q(viewer=F("dismissed")), name="kreative_suggestiondismissal_not_self"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1), name="kreative_suggestiondismissal_count_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id} dismissed {self.dismissed_id} x{self.count}"


class SuggestionImpression(models.Model):
    """How many times `shown` was suggested to `viewer` (at most once an hour counts)."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestion_impressions"
    )
    shown = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=1)
    last_shown_at = models.DateTimeField()

    class Meta:
        ordering = ("-last_shown_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["viewer", "shown"], name="kreative_suggestionimpression_unique"
            ),
            models.CheckConstraint(
                condition=~Q(viewer=F("shown")), name="kreative_suggestionimpression_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shown_id} shown to {self.viewer_id} x{self.count}"


class PrecomputedSuggestions(models.Model):
    """The ranked list for one viewer, purpose and set of optional signals, ready to serve.

    `suggestions` holds up to 50 `{"user_id", "username", "score", "reasons"}`, best first; each
    reason is a `matching.Reason` (`{"code", ...parameters}`), worded only when displayed."""

    class Purpose(models.TextChoices):
        FOLLOW = "follow", "Follow"
        COLLABORATE = "collaborate", "Collaborate"

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="precomputed_suggestions"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    # The optional signals, sorted and comma-separated ("" for none, "ekoh,smart_vote").
    signals_key = models.CharField(max_length=64, blank=True)
    suggestions = models.JSONField(default=list)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ("viewer", "purpose", "signals_key")
        constraints = [
            models.UniqueConstraint(
                fields=["viewer", "purpose", "signals_key"],
                name="kreative_precomputedsuggestions_unique",
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=["follow", "collaborate"]),
                name="kreative_precomputedsuggestions_purpose_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.viewer_id}/{self.purpose}/{self.signals_key}"
