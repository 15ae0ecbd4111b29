from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from konnaxion.ekoh.models.categories import ExpertiseCategory

# Raw expertise scores live on a 0-100 scale.
RAW_SCORE_MAX = Decimal("100")


class UserExpertiseScore(models.Model):
    """A user's current expertise in one domain; change it only through the EkoH services."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expertise_scores"
    )
    category = models.ForeignKey(
        ExpertiseCategory, on_delete=models.PROTECT, related_name="expertise_scores"
    )
    raw_score = models.DecimalField(max_digits=7, decimal_places=3, default=Decimal("0"))
    weighted_score = models.DecimalField(max_digits=9, decimal_places=3, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-weighted_score", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "category"], name="ekoh_userexpertisescore_user_category_unique"
            ),
            models.CheckConstraint(
                condition=Q(raw_score__gte=0) & Q(raw_score__lte=RAW_SCORE_MAX),
                name="ekoh_userexpertisescore_raw_score_range",
            ),
            models.CheckConstraint(
                condition=Q(weighted_score__gte=0),
                name="ekoh_userexpertisescore_weighted_score_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.category}: {self.weighted_score}"


class UserEthicsScore(models.Model):
    """The ethical multiplier of a user, kept within [EKOH_MIN_MULTIPLIER, EKOH_MAX_MULTIPLIER]."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="ethics_score",
    )
    ethical_score = models.DecimalField(max_digits=5, decimal_places=3, default=Decimal("1"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ethical_score__gte=0), name="ekoh_userethicsscore_nonnegative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.ethical_score}"


class ScoreHistory(models.Model):
    """One change of a `UserExpertiseScore.weighted_score`, written in the same transaction."""

    merit_score = models.ForeignKey(
        UserExpertiseScore, on_delete=models.CASCADE, related_name="history"
    )
    old_value = models.DecimalField(max_digits=9, decimal_places=3)
    new_value = models.DecimalField(max_digits=9, decimal_places=3)
    change_reason = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "score history"

    def __str__(self) -> str:
        return f"{self.merit_score_id}: {self.old_value} -> {self.new_value}"
