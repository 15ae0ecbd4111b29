"""The per-project log of real-time events that clients resume from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ProjectEvent(models.Model):
    """One real-time event of a project, numbered 1..n per project (`seq`, allocated under the
    project's row lock), kept at least REALTIME_EVENT_RETENTION_DAYS for clients that resume."""

    project = models.ForeignKey(
        "keenkonnect.Project", on_delete=models.CASCADE, related_name="events"
    )
    seq = models.PositiveBigIntegerField()
    type = models.CharField(max_length=40)
    # No foreign key: the event outlives a purged document.
    resource_id = models.BigIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("project", "seq")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "seq"], name="keenkonnect_projectevent_seq_unique"
            ),
            models.CheckConstraint(
                condition=Q(seq__gte=1), name="keenkonnect_projectevent_seq_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}#{self.seq} {self.type}"
