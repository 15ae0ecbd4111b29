"""A project's documents: files and links, searchable in several languages."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from konnaxion.keenkonnect.models.projects import Project

# The languages of documents' search vectors (keenkonnect.analysis.keywords.SEARCH_CONFIGURATIONS;
# "" is the `simple` configuration).
SEARCH_LANGUAGES = ("en", "fr", "es", "")


class ProjectResource(models.Model):
    """A document, file or link attached to a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(max_length=500, blank=True)
    # The resource's creator (the spec's `added_by`).
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="added_project_resources",
    )
    current_version = models.ForeignKey(
        "keenkonnect.DocumentVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The current version's content type, kept on the row by the services that change the
    # current version, so that search filters by file type before ranking. A composite foreign
    # key (migration 0006) makes PostgreSQL refuse a value other than the version's own.
    current_content_type = models.CharField(max_length=100, blank=True, default="")
    trashed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    trashed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="trashed_project_resources",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # intelligent_indexing: filled by `resource_index` for the current version.
    class IndexState(models.TextChoices):
        PENDING = "pending", "Pending"
        INDEXED = "indexed", "Indexed"
        FAILED = "failed", "Failed"

    index_state = models.CharField(
        max_length=8, choices=IndexState.choices, default=IndexState.PENDING, db_index=True
    )
    index_reason = models.CharField(max_length=200, blank=True)
    indexed_version = models.PositiveIntegerField(null=True, blank=True)
    indexed_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=2, blank=True)
    keywords = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    auto_tags = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    # Set by the document's writers (resource_update); indexing never touches them.
    tags = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    extracted_metadata = models.JSONField(default=dict, blank=True)
    extracted_text = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            # One GIN index per text-search language: search matches each document under its
            # own language (`language = X AND search_vector @@ query_X`), and a partial index
            # whose predicate is that language answers the whole condition, so PostgreSQL does
            # not read every matching row's vector again to check it.
            *(
                GinIndex(
                    fields=["search_vector"],
                    name=f"kk_resource_search_{language or 'none'}",
                    condition=Q(language=language),
                )
                for language in SEARCH_LANGUAGES
            ),
            # The search's candidates when a query matches many documents: the most recently
            # changed matches, read in this order until there are enough (docs/search.md).
            models.Index(fields=["-updated_at", "-id"], name="kk_resource_recent"),
            GinIndex(fields=["auto_tags"], name="kk_resource_tags_gin"),
            GinIndex(fields=["tags"], name="kk_resource_user_tags_gin"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(index_state__in=["pending", "indexed", "failed"]),
                name="keenkonnect_projectresource_index_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(language__in=["", "en", "fr", "es"]),
                name="keenkonnect_projectresource_language_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title
