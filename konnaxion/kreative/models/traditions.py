from django.conf import settings
from django.db import models
from django.db.models import Q


class TraditionEntry(models.Model):
    """Cultural heritage submitted to the Konservation archive; public once a moderator approves."""

    title = models.CharField(max_length=200)
    description = models.TextField()
    region = models.CharField(max_length=120)
    media_file = models.FileField(upload_to="kreative/traditions/", max_length=255, blank=True)
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
