from django.conf import settings
from django.db import models


class EmergingExpert(models.Model):
    """A user whose expertise score rose fast (EMERGING_EXPERT_THRESHOLD over the window)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emerging_expert_flags"
    )
    category = models.ForeignKey(
        "ekoh.ExpertiseCategory",
        on_delete=models.CASCADE,
        related_name="emerging_experts",
    )
    detection_date = models.DateField()
    score_delta = models.DecimalField(max_digits=9, decimal_places=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-detection_date", "-score_delta", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category", "detection_date"],
                name="smart_vote_emergingexpert_daily_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} +{self.score_delta} ({self.detection_date})"
