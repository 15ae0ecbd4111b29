from django.conf import settings
from django.db import models
from django.db.models import Q

from konnaxion.files.models import Blob


class TraditionEntry(models.Model):
    """Cultural heritage submitted to the Konservation archive; public once a moderator approves."""

    title = models.CharField(max_length=200)
    description = models.TextField()
    region = models.CharField(max_length=120)
    # The optional image, video or audio file: a blob of the platform's file store, its name
    # (given to downloads) and its type read from its content when it was submitted.
    media = models.ForeignKey(
        Blob, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    media_name = models.CharField(max_length=255, blank=True)
    media_content_type = models.CharField(max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tradition_entries",
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    approved = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_tradition_entries",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-submitted_at", "-id")
        verbose_name_plural = "tradition entries"
        constraints = [
            # An approved entry always says when it was approved.
            models.CheckConstraint(
                condition=Q(approved=False) | Q(approved_at__isnull=False),
                name="kreative_traditionentry_approval_dated",
            )
        ]

    def __str__(self) -> str:
        return self.title
