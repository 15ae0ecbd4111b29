from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Consultation(models.Model):
    """A time-bound public consultation. `category` is the EkoH domain its votes are weighted
    in (null: the ethical multiplier alone, as Smart Vote does for targets without a domain)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        "ekoh.ExpertiseCategory",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations"
    )
    open_date = models.DateTimeField()
    close_date = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-open_date", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed", "archived"]),
                name="konsultation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(close_date__gt=F("open_date")), name="konsultation_close_after_open"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="konsultation_title_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title


class CitizenSuggestion(models.Model):
    """An idea a user submits to a consultation while it is open."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="suggestions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_suggestions"
    )
    content = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="suggestion_content_not_blank"),
        ]

    def __str__(self) -> str:
        return f"suggestion {self.pk} on {self.consultation_id}"


class ConsultationVote(models.Model):
    """A user's vote on a consultation: -1 against, 0 neutral, +1 for; one per user, replaced
    by voting again. weighted_value = raw_value x the EkoH voter weight in the category."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consultation_votes"
    )
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="votes")
    raw_value = models.SmallIntegerField()
    weight = models.DecimalField(max_digits=9, decimal_places=3)
    weighted_value = models.DecimalField(max_digits=12, decimal_places=3)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "consultation"], name="consultation_vote_user_unique"
            ),
            models.CheckConstraint(
                condition=Q(raw_value__gte=-1) & Q(raw_value__lte=1),
                name="consultation_vote_raw_value_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.consultation_id}: {self.raw_value:+d}"


class ConsultationResult(models.Model):
    """The snapshot of a consultation's votes and suggestions, taken when it closes."""

    consultation = models.OneToOneField(
        Consultation, on_delete=models.CASCADE, related_name="result"
    )
    results_data = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-computed_at", "-id")

    def __str__(self) -> str:
        return f"result of {self.consultation_id}"


class ImpactTrack(models.Model):
    """A follow-up action taken after a consultation."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="impact_tracks"
    )
    action = models.TextField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="impact_tracks"
    )

    class Meta:
        ordering = ("-date", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planned", "in_progress", "done", "dropped"]),
                name="impact_track_status_valid",
            ),
            models.CheckConstraint(condition=~Q(action=""), name="impact_track_action_not_blank"),
        ]

    def __str__(self) -> str:
        return f"{self.action[:40]} ({self.status})"
