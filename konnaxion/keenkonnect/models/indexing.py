"""Stockage II: previews of versions and the per-project real-time event log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class DocumentPreview(models.Model):
    """A PNG preview of one version, `size` pixels on its longest side, stored as a Blob."""

    version = models.ForeignKey(
        "keenkonnect.DocumentVersion", on_delete=models.CASCADE, related_name="previews"
    )
    size = models.PositiveIntegerField()
    blob = models.ForeignKey(
        "files.Blob", on_delete=models.PROTECT, related_name="document_previews"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "size"], name="keenkonnect_documentpreview_version_size_unique"
            ),
            models.CheckConstraint(
                condition=Q(size__in=[256, 1024]), name="keenkonnect_documentpreview_size_known"
            ),
        ]

    def __str__(self) -> str:
        return f"preview {self.size} of {self.version_id}"


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
