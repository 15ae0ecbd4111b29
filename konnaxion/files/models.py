"""Blobs: encrypted, content-addressed file contents that the other modules' rows refer to."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Substr
from django.db.models.lookups import Exact


def storage_name_for(sha256: str) -> str:
    """Where a blob lives in storage: derived from its content address, never from a user."""
    return f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}"


class Blob(models.Model):
    """One stored content, identified by the SHA-256 of its plaintext; identical content is
    stored once. The file is AES-256-GCM encrypted under a data key wrapped by master key
    `key_id` (docs/storage.md)."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.BigIntegerField()
    content_type = models.CharField(max_length=100)
    storage_name = models.CharField(max_length=255, unique=True)
    wrapped_key = models.BinaryField()
    key_id = models.CharField(max_length=32, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Stores of identical content refresh this, so garbage collection spares a reused blob.
    last_stored_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "keenkonnect_blob"  # where Stockage first created it
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sha256__regex=r"^[0-9a-f]{64}$"), name="blob_sha256_hex"
            ),
            models.CheckConstraint(condition=models.Q(size__gte=0), name="blob_size_not_negative"),
            models.CheckConstraint(
                condition=Exact(
                    F("storage_name"),
                    Concat(
                        Value("blobs/"),
                        Substr("sha256", 1, 2),
                        Value("/"),
                        Substr("sha256", 3, 2),
                        Value("/"),
                        "sha256",
                        output_field=models.CharField(),
                    ),
                ),
                name="blob_storage_name_is_content_address",
            ),
            models.CheckConstraint(
                condition=Exact(Length("wrapped_key"), 40), name="blob_wrapped_key_length"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sha256[:12]} ({self.size} bytes)"
