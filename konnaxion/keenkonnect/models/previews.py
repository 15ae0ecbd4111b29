"""Previews of document versions, made by the indexing task."""

from __future__ import annotations

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
