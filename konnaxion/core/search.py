"""The platform search: one endpoint, several kinds of results (docs/search.md).

Each kind is a `SearchProvider` named in the SEARCH_PROVIDERS setting: given the query, the
caller and the filters, it returns a queryset already filtered by what the caller may see (in
SQL), annotated with a `score` and ordered by it. `search_run` merges the providers' rows by
score into one lazily evaluated, paginable list.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.db.models import QuerySet
from django.utils.module_loading import import_string

# ts_headline marks matches with these characters, replaced by <mark> once the text is escaped.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class SearchFilters:
    """Filters of a search; those other than `kinds` only apply to documents."""

    kinds: tuple[str, ...] = ()
    project: str = ""
    file_type: str = ""
    tags: tuple[str, ...] = ()
    uploader: str = ""
    date_from: date | None = None
    date_to: date | None = None
    document_only: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        narrowing = (
            self.project,
            self.file_type,
            self.tags,
            self.uploader,
            self.date_from,
            self.date_to,
        )
        object.__setattr__(self, "document_only", any(narrowing))


def search_filters_from(data: dict[str, Any]) -> SearchFilters:
    """SearchFilters from validated request parameters (`kind`, `project`, `type`, `tags` as
    comma-separated text, `uploader`, `date_from`, `date_to`), as the API and the pages name
    them; kinds nobody provides are dropped."""
    return SearchFilters(
        kinds=tuple(sorted(kind for kind in data.get("kind") or () if kind in search_providers())),
        project=data.get("project") or "",
        file_type=data.get("type") or "",
        tags=tuple(tag.strip() for tag in (data.get("tags") or "").split(",") if tag.strip()),
        uploader=data.get("uploader") or "",
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )


class SearchProvider(Protocol):
    """One kind of result. `filters` lists the SearchFilters fields it understands; a search
    using any other narrowing filter leaves this kind out."""

    kind: str
    understands_document_filters: bool

    def queryset(self, *, query: str, user, filters: SearchFilters) -> QuerySet: ...

    def result(self, row: Any) -> dict[str, Any]: ...


@cache
def search_providers() -> dict[str, SearchProvider]:
    """The registered providers by kind, from SEARCH_PROVIDERS (dotted paths of classes)."""
    providers = {}
    for path in settings.SEARCH_PROVIDERS:
        provider = import_string(path)()
        providers[provider.kind] = provider
    return providers


def snippet_html(text: str | None) -> str:
    """A ts_headline fragment as safe HTML: the text escaped, the matches in <mark>."""
    escaped = html.escape(text or "")
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")


class SearchResults:
    """The merged results of several providers, best score first, evaluated per page: a page
    [a:b] reads the first b rows of each provider (one query each) and merges them."""

    def __init__(self, sources: list[tuple[SearchProvider, QuerySet]]) -> None:
        self.sources = sources
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = sum(queryset.count() for _provider, queryset in self.sources)
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        if not isinstance(item, slice):
            raise TypeError("SearchResults are read by pages")
        stop = item.stop if item.stop is not None else self.count()
        rows = []
        for provider, queryset in self.sources:
            if len(self.sources) == 1:
                # A single kind pages straight in SQL.
                return [provider.result(row) for row in queryset[item.start or 0 : stop]]
            rows.extend(provider.result(row) for row in queryset[:stop])
        rows.sort(key=lambda row: (-row["score"], row["kind"], str(row["id"])))
        return rows[item]


def search_run(*, query: str, user, filters: SearchFilters) -> SearchResults:
    """Everything `user` may see that matches `query` (websearch syntax), over the kinds the
    filters allow."""
    sources = []
    for kind, provider in search_providers().items():
        if filters.kinds and kind not in filters.kinds:
            continue
        if filters.document_only and not provider.understands_document_filters:
            continue
        sources.append((provider, provider.queryset(query=query, user=user, filters=filters)))
    return SearchResults(sources)
