from django.db import models
from django.db.models import Q


class ScoreConfiguration(models.Model):
    """A named weight, global (`field` empty) or for one field (an expertise category name)."""

    weight_name = models.CharField(max_length=100)
    weight_value = models.DecimalField(max_digits=4, decimal_places=3)
    field = models.CharField(max_length=120, null=True, blank=True)  # noqa: DJ001 - null means global
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("weight_name", "field")
        constraints = [
            models.UniqueConstraint(
                fields=["weight_name"],
                condition=Q(field__isnull=True),
                name="ekoh_scoreconfiguration_global_unique",
            ),
            models.UniqueConstraint(
                fields=["weight_name", "field"],
                condition=Q(field__isnull=False),
                name="ekoh_scoreconfiguration_field_unique",
            ),
            models.CheckConstraint(
                condition=Q(weight_value__gte=0), name="ekoh_scoreconfiguration_weight_nonnegative"
            ),
        ]

    def __str__(self) -> str:
        scope = self.field or "global"
        return f"{self.weight_name} [{scope}] = {self.weight_value}"
