"""Check-out locks: one person at a time may change a document (docs/checkout.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class DocumentCheckout(models.Model):
    """`holder` has checked `resource` out until `expires_at`: until then nobody else adds a
    version, restores one, edits, trashes or purges it. An expired row counts as no lock; the
    sweep (`checkouts_expire`) removes it. One row per document at most (the primary key)."""

    resource = models.OneToOneField(
        "keenkonnect.ProjectResource",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="checkout",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_checkouts"
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="keenkonnect_documentcheckout_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} checked out by {self.holder_id}"
