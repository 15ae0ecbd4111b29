from django.conf import settings
from django.db import models


class ConfidentialitySetting(models.Model):
    """How a user's identity is shown beside their scores."""

    class Level(models.TextChoices):
        PUBLIC = "public", "Public"
        PSEUDONYM = "pseudonym", "Pseudonym"
        ANONYMOUS = "anonymous", "Anonymous"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="confidentiality_setting",
    )
    level = models.CharField(max_length=16, choices=Level.choices, default=Level.PUBLIC)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=["public", "pseudonym", "anonymous"]),
                name="ekoh_confidentiality_level_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.level})"
