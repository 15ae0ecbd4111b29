"""Kontact's profiles and opportunities in the platform search (konnaxion/core/search.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from konnaxion.core.search import RankedSearch, search_result, snippet_html
from konnaxion.kreative.selectors import opportunities_search, profiles_search


class ProfileSearch(RankedSearch):
    # A result shows no skills or styles: they are not loaded.
    kind = "profile"

    def matches(self, *, query: str, user) -> QuerySet:
        return profiles_search(user=user, query=query)

    def result(self, row: Any) -> dict[str, Any]:
        username = row.user.username
        return search_result(
            kind=self.kind,
            id=username,
            title=row.display_name or username,
            snippet=snippet_html(row.headline),
            score=float(getattr(row, "rank", 0.0)),
            url=f"/api/profiles/{username}/",
            updated_at=row.updated_at,
        )


class OpportunitySearch(RankedSearch):
    # A result shows the tags (loaded for the page's rows only), not the attachments.
    kind = "opportunity"
    prefetch = ("tags",)

    def matches(self, *, query: str, user) -> QuerySet:
        return opportunities_search(user=user, query=query)

    def result(self, row: Any) -> dict[str, Any]:
        return search_result(
            kind=self.kind,
            id=str(row.pk),
            title=row.title,
            snippet=snippet_html(row.description[:200]),
            score=float(getattr(row, "rank", 0.0)),
            url=f"/api/connect/opportunities/{row.pk}/",
            tags=[tag.name for tag in row.tags.all()],
            updated_at=row.updated_at,
        )
