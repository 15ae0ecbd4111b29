from django.db import models


class ContextAnalysisLog(models.Model):
    """What a contextual adjustment saw (`input_metadata`) and what it changed."""

    entity_type = models.CharField(max_length=100)
    entity_id = models.CharField(max_length=64)
    field = models.CharField(max_length=100)
    input_metadata = models.JSONField(default=dict)
    adjustments_applied = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["entity_type", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.entity_type}#{self.entity_id}.{self.field}"
