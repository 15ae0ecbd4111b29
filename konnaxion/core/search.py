"""The platform search: one endpoint, several kinds of results (docs/search.md).

Each kind is a `SearchProvider`, registered by the app that owns it in its `AppConfig.ready()`
(`search_provider_register`), so the kernel names none of them: given the query, the caller and
the filters, it returns a `SearchSource`, a queryset already filtered by what the caller may see
(in SQL), annotated with a `score` and ordered by it. `search_run` merges the kinds' rows by
score into one paginable list that reads a page and the count in one query per kind.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any, Protocol

from django.db.models import Count, QuerySet, RowRange, Window, prefetch_related_objects

# The text-search configurations of the platform by document language (None: no language
# known). They are PostgreSQL's own with `unaccent` before the stemmer (keenkonnect migration
# 0015), so that "resume" and "résumé" are one word to the search.
TEXT_SEARCH_CONFIGURATIONS: Mapping[str | None, str] = MappingProxyType(
    {
        "en": "konnaxion_english",
        "fr": "konnaxion_french",
        "es": "konnaxion_spanish",
        None: "konnaxion_simple",
    }
)
# Profiles, opportunities and projects: English stemming. Comments: any language, no stemming.
ENGLISH_CONFIGURATION = TEXT_SEARCH_CONFIGURATIONS["en"]
SIMPLE_CONFIGURATION = TEXT_SEARCH_CONFIGURATIONS[None]

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


class SearchSource:
    """One kind's matches for one search: `queryset` is filtered by what the caller may see (in
    SQL), annotated with its score (the `score_field`) and ordered best first; `result` turns
    one of its rows into a result. Rows are read first and results are built only for the rows
    a page keeps, with their `prefetch` relations; providers with more to load per result
    override `results`."""

    def __init__(
        self,
        queryset: QuerySet,
        result: Callable[[Any], dict[str, Any]],
        *,
        kind: str,
        score_field: str = "score",
        prefetch: tuple[str, ...] = (),
    ) -> None:
        self.queryset = queryset
        self.result = result
        self.kind = kind
        self.score_field = score_field
        self.prefetch = prefetch

    def count(self) -> int:
        return self.queryset.count()

    def read(self, start: int, stop: int) -> tuple[list[Any], int | None]:
        """Rows [start:stop] and the number of matches, in one query (`count(*) OVER` the whole
        ordered result, beside the rows); the number is None when a page past the end leaves
        no row to read it from."""
        # The window is ordered like the rows, over all of them: PostgreSQL sorts once and
        # computes the score below the window, which otherwise keeps every match whole (with
        # the vector the score reads) in its buffer until it has counted them all.
        total = Window(
            Count("*"),
            order_by=list(self.queryset.query.order_by),
            frame=RowRange(start=None, end=None),
        )
        rows = list(self.queryset.annotate(search_total=total)[start:stop])
        total = rows[0].search_total if rows else (0 if start == 0 else None)
        return rows, total

    def matched(self, ranked: int) -> tuple[int, bool]:
        """The number of matches, given the number of rows the queryset ranks, and whether it
        is an estimate. A kind that ranks only a bounded share of its matches counts them
        apart; the others rank them all."""
        return ranked, False

    def score(self, row: Any) -> float:
        return float(getattr(row, self.score_field, 0.0) or 0.0)

    def results(self, rows: list[Any]) -> list[dict[str, Any] | None]:
        """The result of each row, in their order; None for a row gone since it was ranked.
        The `prefetch` relations are loaded for these rows only."""
        prefetch_related_objects(rows, *self.prefetch)
        return [self.result(row) for row in rows]


class SearchProvider(Protocol):
    """One kind of result. A search using a narrowing filter (project, type...) leaves this kind
    out unless it `understands_document_filters`."""

    kind: str
    understands_document_filters: bool

    def source(self, *, query: str, user, filters: SearchFilters) -> SearchSource: ...


def search_result(
    *,
    kind: str,
    id: str,
    title: str,
    snippet: str,
    score: float,
    url: str,
    updated_at: Any,
    tags: list[str] | None = None,
    project: str | None = None,
    project_title: str | None = None,
    version: int | None = None,
    content_type: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One result as GET /api/search/ gives it: every field, null where the kind has none."""
    return {
        "kind": kind,
        "id": id,
        "title": title,
        "snippet": snippet,
        "score": score,
        "url": url,
        "project": project,
        "project_title": project_title,
        "version": version,
        "content_type": content_type,
        "tags": tags or [],
        "updated_at": updated_at,
        **extra,
    }


class RankedSearch:
    """A provider whose `matches` are already visible to the caller, annotated with `rank`
    (ts_rank) and ordered best first; its results load only their `prefetch` relations."""

    kind: str
    understands_document_filters = False
    prefetch: tuple[str, ...] = ()

    def matches(self, *, query: str, user) -> QuerySet: ...

    def result(self, row: Any) -> dict[str, Any]: ...

    def source(self, *, query: str, user, filters: SearchFilters) -> SearchSource:
        return SearchSource(
            self.matches(query=query, user=user).prefetch_related(None),
            self.result,
            kind=self.kind,
            score_field="rank",
            prefetch=self.prefetch,
        )


_providers: dict[str, SearchProvider] = {}


def search_provider_register(provider: SearchProvider) -> None:
    """Add `provider` as the kind `provider.kind` of the platform search (a kind registered
    again is replaced). Kinds are searched in the order they were registered, which is the
    order of INSTALLED_APPS when each app registers its own in `ready()`."""
    _providers[provider.kind] = provider


def search_providers() -> Mapping[str, SearchProvider]:
    """The registered providers by kind, in their order."""
    return MappingProxyType(_providers)


def search_kinds() -> tuple[str, ...]:
    """The kinds of results the search knows, as the `kind` filter and results name them."""
    return tuple(_providers)


def snippet_html(text: str | None) -> str:
    """A ts_headline fragment as safe HTML: the text escaped, the matches in <mark>."""
    escaped = html.escape(text or "")
    return escaped.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")


def page_slice(page: str | None, page_size: int) -> slice:
    """The rows of page `page` (a number from 1, as given in a query string), or of the first
    page when it is not one: what a paginator will most likely ask `SearchResults` for. Only a
    guess: a page number past any result (too long for SQL's OFFSET, even) is left to the
    paginator, which refuses it."""
    plausible = page is not None and page.isdigit() and len(page) <= 9 and int(page) >= 1
    number = int(page) if plausible else 1
    return slice((number - 1) * page_size, number * page_size)


class SearchResults:
    """The merged results of several kinds, best score first, read by pages: rows [a:b] are
    the rows [a:b] of a single kind, or the first b of each kind merged by score (ties: kind,
    id). The expected page is read together with the count, one query per kind; a paginator
    asks for the count first, then for that page (or its beginning, on the last page).

    `count()` is the number of ranked rows, which pages go through; `matches()` the number of
    matches, larger when a kind ranks only a bounded share of them."""

    def __init__(self, sources: list[SearchSource], *, expected_page: slice) -> None:
        self.sources = sources
        self.expected_page = expected_page
        self._count: int | None = None
        self._ranked: dict[str, int] = {}
        self._matches: tuple[int, bool] | None = None
        self._read: tuple[int, int, list[dict[str, Any]]] | None = None

    def count(self) -> int:
        if self._count is None:
            self._rows(self.expected_page.start, self.expected_page.stop)
        if self._count is None:
            self._ranked = {source.kind: source.count() for source in self.sources}
            self._count = sum(self._ranked.values())
        return self._count

    def matches(self) -> tuple[int, bool]:
        """The number of matches over every kind, and whether it is an estimate (the API and
        the pages say "about")."""
        if self._matches is None:
            self.count()
            found, estimated = 0, False
            for source in self.sources:
                number, about = source.matched(self._ranked[source.kind])
                found, estimated = found + number, estimated or about
            self._matches = (found, estimated)
        return self._matches

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        if not isinstance(item, slice):
            raise TypeError("SearchResults are read by pages")
        start = item.start or 0
        stop = item.stop if item.stop is not None else self.count()
        return self._rows(start, stop)

    def _rows(self, start: int, stop: int) -> list[dict[str, Any]]:
        if self._read is not None:
            read_start, read_stop, rows = self._read
            if read_start == start and stop <= read_stop:
                return rows[: stop - start]
        if stop <= start:
            return []
        single = len(self.sources) == 1
        # (source, the row's place in its kind's order, the row)
        picked: list[tuple[SearchSource, int, Any]] = []
        ranked: dict[str, int] | None = {}
        for source in self.sources:
            # A single kind pages straight in SQL; merged kinds each give their first rows.
            rows, matches = source.read(start if single else 0, stop)
            picked.extend((source, place, row) for place, row in enumerate(rows))
            if ranked is not None and matches is not None:
                ranked[source.kind] = matches
            else:
                ranked = None
        if not single:
            # Best score first; ties by kind, then in the kind's own order (as SQL gave it, so
            # that every page cuts the same merged list).
            picked.sort(key=lambda item: (-item[0].score(item[2]), item[0].kind, item[1]))
            picked = picked[start:stop]
        results = self._results(picked)
        if self._count is None and ranked is not None:
            self._ranked = ranked
            self._count = sum(ranked.values())
        self._read = (start, stop, results)
        return results

    def _results(self, picked: list[tuple[SearchSource, int, Any]]) -> list[dict[str, Any]]:
        """The results of the rows a page keeps, in their order: each kind builds its own (a
        deep page of merged kinds reads many rows of each, but builds only the page's)."""
        built: dict[tuple[str, int], dict[str, Any] | None] = {}
        for source in self.sources:
            mine = [(place, row) for owner, place, row in picked if owner is source]
            made = source.results([row for _place, row in mine])
            for (place, _row), result in zip(mine, made, strict=True):
                built[(source.kind, place)] = result
        ordered = (built[(source.kind, place)] for source, place, _row in picked)
        return [result for result in ordered if result is not None]


def search_run(
    *, query: str, user, filters: SearchFilters, expected_page: slice = slice(0, 20)
) -> SearchResults:
    """Everything `user` may see that matches `query` (websearch syntax), over the kinds the
    filters allow; only those kinds' queries run. `expected_page` is read with the count."""
    sources = []
    for kind, provider in search_providers().items():
        if filters.kinds and kind not in filters.kinds:
            continue
        if filters.document_only and not provider.understands_document_filters:
            continue
        sources.append(provider.source(query=query, user=user, filters=filters))
    return SearchResults(sources, expected_page=expected_page)


# A vocabulary corrects words: for the words (as typed) it does not hold, the closest word it
# holds, {word: correction}. Registered by the app that keeps one (keenkonnect: documents'
# words), in its `ready()`.
WordCorrections = Callable[..., Mapping[str, str]]
_vocabularies: list[WordCorrections] = []
# A word of a query: letters only, not part of a longer token with digits ("x2", "v10").
QUERY_WORD = re.compile(r"(?<![\w])[^\W\d_]+(?![\w])")
CORRECTED_MIN_LENGTH = 3


def search_vocabulary_register(corrections: WordCorrections) -> None:
    """Add a vocabulary the search corrects misspelt words from: `corrections(words=[...])`
    returns {word: correction} for the words it does not hold and can correct."""
    if corrections not in _vocabularies:
        _vocabularies.append(corrections)


def _corrigible_words(query: str) -> list[re.Match[str]]:
    """The words of `query` a correction may replace: not `or` (an operator), not an excluded
    `-word` (it finds nothing by itself), not shorter than CORRECTED_MIN_LENGTH; the words of a
    "phrase" are kept."""
    found = []
    for match in QUERY_WORD.finditer(query):
        start = match.start()
        excluded = start > 0 and query[start - 1] == "-" and (start == 1 or query[start - 2] == " ")
        word = match.group()
        if word.lower() == "or" or excluded or len(word) < CORRECTED_MIN_LENGTH:
            continue
        found.append(match)
    return found


def search_suggestion(*, query: str, user, filters: SearchFilters) -> str | None:
    """`query` with its misspelt words corrected from the registered vocabularies, operators,
    phrases and exclusions kept ("kernell -linux" -> "kernel -linux"); None when nothing is
    corrected. Vocabularies hold the words of what the user may not see: a correction is given
    only when it finds something `user` may see with these `filters` (the same `search_run`)."""
    matches = _corrigible_words(query)
    if not matches or not _vocabularies:
        return None
    words = sorted({match.group() for match in matches})
    corrections: dict[str, str] = {}
    for vocabulary in _vocabularies:
        missing = [word for word in words if word not in corrections]
        corrections.update(vocabulary(words=missing))
    if not corrections:
        return None
    corrected, end = [], 0
    for match in matches:
        corrected.append(query[end : match.start()])
        corrected.append(corrections.get(match.group(), match.group()))
        end = match.end()
    corrected.append(query[end:])
    suggestion = "".join(corrected)
    if suggestion == query:
        return None
    found = search_run(query=suggestion, user=user, filters=filters, expected_page=slice(0, 1))
    return suggestion if found.count() else None
