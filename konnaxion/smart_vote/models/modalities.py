from django.db import models


class VoteModality(models.Model):
    """A voting mode and its parameters (e.g. rating bounds), which validate raw values."""

    class Name(models.TextChoices):
        APPROVAL = "approval", "Approval"
        RANKING = "ranking", "Ranking"
        RATING = "rating", "Rating"
        PREFERENTIAL = "preferential", "Preferential"

    name = models.CharField(max_length=32, unique=True, choices=Name.choices)
    parameters = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "vote modalities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(name__in=["approval", "ranking", "rating", "preferential"]),
                name="smart_vote_votemodality_name_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name
