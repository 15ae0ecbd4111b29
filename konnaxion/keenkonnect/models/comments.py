"""Comments on a document's versions: threads of one top-level comment and its replies."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q

from konnaxion.core.search import SIMPLE_CONFIGURATION

# The longest comment body, in characters.
COMMENT_MAX_CHARS = 5000


class DocumentComment(models.Model):
    """A comment on one version of a document. A top-level comment (no `parent`) opens a thread,
    may be pinned to an `anchor` on that version and is resolved or open; replies (`parent` set)
    answer it, one level deep. A deleted comment that still has replies keeps its row, without
    its text (`deleted_at` set), so the thread reads on."""

    resource = models.ForeignKey(
        "keenkonnect.ProjectResource", on_delete=models.CASCADE, related_name="comments"
    )
    version = models.ForeignKey(
        "keenkonnect.DocumentVersion", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="document_comments",
    )
    body = models.TextField(blank=True)
    # Normalised by `services.document_comments.anchor_clean`: {"kind": "page", "page": n,
    # "rect": {...}?}, {"kind": "rect", "rect": {"x", "y", "w", "h"}} (0..1 of the image) or
    # {"kind": "point", "point": [x, y, z]} (model coordinates).
    anchor = models.JSONField(null=True, blank=True)
    # Who the body names with @username and may read the document: the point notifications
    # start from.
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="document_comment_mentions"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("body", config=SIMPLE_CONFIGURATION),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=["resource", "parent", "created_at"]),
            GinIndex(fields=["search_vector"], name="kk_comment_search"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | (Q(anchor__isnull=True) & Q(resolved_at=None)),
                name="keenkonnect_documentcomment_reply_is_plain",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(body=""),
                name="keenkonnect_documentcomment_deleted_has_no_text",
            ),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.resource_id} v{self.version_id}"
