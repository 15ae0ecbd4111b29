"""Kontact's profiles and opportunities in the platform search (konnaxion/core/search.py)."""

from __future__ import annotations

from typing import Any

from konnaxion.core.search import SearchFilters, SearchSource, snippet_html
from konnaxion.kreative.selectors import opportunities_search, profiles_search


class ProfileSearch:
    kind = "profile"
    understands_document_filters = False

    def source(self, *, query: str, user, filters: SearchFilters) -> SearchSource:
        # A result shows no skills or styles: they are not loaded.
        return SearchSource(
            profiles_search(user=user, query=query).prefetch_related(None),
            self.result,
            kind=self.kind,
            score_field="rank",
        )

    def result(self, row: Any) -> dict[str, Any]:
        username = row.user.username
        return {
            "kind": self.kind,
            "id": username,
            "title": row.display_name or username,
            "snippet": snippet_html(row.headline),
            "score": float(getattr(row, "rank", 0.0)),
            "url": f"/api/profiles/{username}/",
            "project": None,
            "project_title": None,
            "version": None,
            "content_type": None,
            "tags": [],
            "updated_at": row.updated_at,
        }


class OpportunitySearch:
    kind = "opportunity"
    understands_document_filters = False

    def source(self, *, query: str, user, filters: SearchFilters) -> SearchSource:
        # A result shows the tags (loaded for the page's rows only), not the attachments.
        return SearchSource(
            opportunities_search(user=user, query=query).prefetch_related(None),
            self.result,
            kind=self.kind,
            score_field="rank",
            prefetch=("tags",),
        )

    def result(self, row: Any) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": str(row.pk),
            "title": row.title,
            "snippet": snippet_html(row.description[:200]),
            "score": float(getattr(row, "rank", 0.0)),
            "url": f"/api/connect/opportunities/{row.pk}/",
            "project": None,
            "project_title": None,
            "version": None,
            "content_type": None,
            "tags": [tag.name for tag in row.tags.all()],
            "updated_at": row.updated_at,
        }
