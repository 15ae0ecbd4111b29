"""Stockage documents in the platform search: permission filtering, ranking and the count
happen in one SQL query built on `resources_visible_to`; the page's details and snippets in
a second one, for the page's rows only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchQueryField,
    SearchRank,
)
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from konnaxion.core.search import (
    HIGHLIGHT_START,
    HIGHLIGHT_STOP,
    SIMPLE_CONFIGURATION,
    RankedSearch,
    SearchFilters,
    SearchSource,
    search_result,
    snippet_html,
)
from konnaxion.files.file_policy import CONTENT_TYPES
from konnaxion.keenkonnect.analysis.keywords import SEARCH_CONFIGURATIONS
from konnaxion.keenkonnect.models import DocumentComment, ProjectResource
from konnaxion.keenkonnect.selectors import projects_search, resources_visible_to
from konnaxion.keenkonnect.services.intelligent_indexing import PAGE_BREAK

# ts_rank_cd weights of D, C, B, A: file name and metadata, text, tags and keywords, title.
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# The rank is multiplied by 1 + 1 / (1 + age / 30 days): from 2 (today) down towards 1.
# Computed in double precision with date_part: extract() returns numeric since PostgreSQL 14,
# and numeric arithmetic costs about 0.5 µs on every matching row.
RECENCY = RawSQL(
    "1.0::float8 + 1.0::float8 / (1.0::float8"
    " + date_part('epoch', now() - keenkonnect_projectresource.updated_at) / 2592000.0::float8)",
    [],
    output_field=FloatField(),
)
FILE_TYPES = {
    extension.lstrip("."): content_type for extension, content_type in CONTENT_TYPES.items()
}
FILE_TYPES["jpeg"] = "image/jpeg"


def _languages(query: str) -> list[tuple[str, str, SearchQuery]]:
    """(language, text-search configuration, the query under it) for each language."""
    return [
        (
            language or "",
            configuration,
            SearchQuery(query, config=configuration, search_type="websearch"),
        )
        for language, configuration in SEARCH_CONFIGURATIONS.items()
    ]


def _own_language(languages: list[tuple[str, str, SearchQuery]]) -> tuple[Case, Case]:
    """The query and the text-search configuration of each row's own language."""
    own_query = Case(
        *(When(language=language, then=search) for language, _configuration, search in languages),
        output_field=SearchQueryField(),
    )
    own_config = Case(
        *(When(language=language, then=Value(config)) for language, config, _search in languages),
        output_field=TextField(),
    )
    return own_query, own_config


def documents_matching(*, query: str, user, filters: SearchFilters) -> QuerySet:
    """Documents `user` may read matching `query` and the filters, unordered. Each document is
    matched under the text-search configuration of its own language."""
    queryset = resources_visible_to(user=user).select_related(None)
    if filters.project:
        queryset = queryset.filter(project__slug=filters.project)
    if filters.file_type:
        content_type = FILE_TYPES.get(filters.file_type.lower(), filters.file_type.lower())
        # On the document's own row: applied while its matches are read, before any ranking.
        queryset = queryset.filter(current_content_type=content_type)
    if filters.tags:
        for tag in filters.tags:  # set by the document's writers or found by indexing
            queryset = queryset.filter(Q(tags__contains=[tag]) | Q(auto_tags__contains=[tag]))
    if filters.uploader:
        queryset = queryset.filter(current_version__uploaded_by__username=filters.uploader)
    if filters.date_from:
        start = timezone.make_aware(datetime.combine(filters.date_from, time.min))
        queryset = queryset.filter(updated_at__gte=start)
    if filters.date_to:
        end = timezone.make_aware(datetime.combine(filters.date_to, time.max))
        queryset = queryset.filter(updated_at__lte=end)
    # Four conditions, one per language, each answered by that language's partial GIN index.
    matches = Q()
    for language, _configuration, search in _languages(query):
        matches |= Q(language=language, search_vector=search)
    return queryset.filter(matches)


# Up to this many times SEARCH_EXACT_COUNT readable matches expected by the planner, the matches
# are all read (narrow rows) and counted; past it, reading them would cost more than walking
# the documents by date until there are enough candidates.
BROAD_QUERY_FACTOR = 4


def _planned_rows(sql: str, params: list[Any]) -> int:
    """The planner's estimate of the rows of `sql` below its LIMIT (from the table's statistics,
    without running it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    node = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    while node["Node Type"] == "Limit":
        # The limited rows, not the InitPlans (the caller's second factor) beside them.
        node = next(child for child in node["Plans"] if child.get("Parent Relationship") == "Outer")
    return int(node["Plan Rows"])


def _recent_candidates(sql: str, params: list[Any], *, candidates: int) -> tuple[list[int], int]:
    """The ids of the `candidates` most recently changed rows of `sql` (ids and dates), and its
    number of rows, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT match.id, count(*) OVER () FROM ("  # noqa: S608 - a compiled queryset
            f"{sql}) AS match (id, changed) ORDER BY match.changed DESC, match.id DESC LIMIT %s",
            [*params, candidates],
        )
        rows = cursor.fetchall()
    return [row[0] for row in rows], (rows[0][1] if rows else 0)


def about(number: int) -> int:
    """`number` to two significant figures, as an estimate is told ("about 210,000")."""
    figures = len(str(number)) - 2
    return round(number, -figures) if figures > 0 else number


def documents_ranked(
    matching: QuerySet, *, query: str, candidates: int, exact_count: int
) -> tuple[QuerySet, tuple[int, bool] | None]:
    """The documents of `matching` (`documents_matching`) annotated with `score`, best first,
    and the number of matches when the ranking was bounded (with whether it is an estimate;
    None: every match is ranked, the ranked rows are the count). The rows are narrow (the id
    and the score): `documents_page` loads a page's details.

    Every match is ranked when there are at most `candidates` of them (or `candidates` is 0);
    else the `candidates` most recently changed ones. When the planner expects at most
    BROAD_QUERY_FACTOR x `exact_count` readable matches, they come from the one pass that
    reads and counts every match; past it, from the index of the documents by date, read until
    there are enough (so that a broad word costs about what a rare one does), and the count is
    the planner's estimate."""
    matches: tuple[int, bool] | None = None
    if candidates:
        dated = matching.order_by().values_list("pk", "updated_at")
        sql, params = dated.query.sql_with_params()
        planned = _planned_rows(sql, params)
        if planned <= BROAD_QUERY_FACTOR * exact_count:
            ids, counted = _recent_candidates(sql, list(params), candidates=candidates)
            # Read through the permission filter just now: ranked by id, without its joins.
            matches = None if counted <= candidates else (counted, False)
            if not ids:
                return ProjectResource.objects.none(), None
            matching = ProjectResource.objects.filter(
                # One array parameter: a placeholder per id costs more to build than to run.
                RawSQL("keenkonnect_projectresource.id = ANY(%s)", [ids], BooleanField())
            )
        else:
            recent = matching.order_by("-updated_at", "-id").values("pk")[:candidates]
            matches = (about(planned), True)
            matching = ProjectResource.objects.filter(pk__in=recent)
    own_query, _own_config = _own_language(_languages(query))
    rank = SearchRank(F("search_vector"), own_query, weights=RANK_WEIGHTS, cover_density=True)
    # Only what the ranking reads goes through the sort: wide rows (title, tags, text) carried
    # through it cost more than the ranking itself.
    ranked = matching.annotate(score=rank * RECENCY).order_by("-score", "-id").only("id")
    return ranked, matches


class FirstMatchingPage(Expression):
    """The number (from 1) of the first page of `text` that matches `query` by itself under the
    text-search configuration `config`; NULL when no single page does or when `text` keeps no
    page breaks (PAGE_BREAK: PDFs indexed before it was used, and every other kind of file).
    Each page is parsed again, as ts_headline parses the whole text: only for a page's rows."""

    output_field = IntegerField()

    def __init__(self, text: Expression, query: Expression, config: Expression) -> None:
        super().__init__()
        self.text, self.query, self.config = text, query, config

    def get_source_expressions(self) -> list[Expression]:
        return [self.text, self.query, self.config]

    def set_source_expressions(self, expressions: list[Expression]) -> None:
        self.text, self.query, self.config = expressions

    def as_sql(self, compiler, connection) -> tuple[str, list[Any]]:
        text, text_params = compiler.compile(self.text)
        query, query_params = compiler.compile(self.query)
        config, config_params = compiler.compile(self.config)
        # Compiled expressions only: every value is a parameter.
        sql = (
            f"(SELECT page.number FROM unnest(string_to_array({text}, %s))"  # noqa: S608
            " WITH ORDINALITY AS page(body, number)"
            f" WHERE strpos({text}, %s) > 0"
            f" AND to_tsvector(({config})::regconfig, page.body) @@ {query}"
            " ORDER BY page.number LIMIT 1)"
        )
        params = [
            *text_params,
            PAGE_BREAK,
            *text_params,
            PAGE_BREAK,
            *config_params,
            *query_params,
        ]
        return sql, params


def documents_page(*, ids: list[int], query: str) -> dict[int, ProjectResource]:
    """The documents `ids` (a page of `documents_ranked`, so already permission-filtered) with
    their project and current version, annotated with `snippet`: ts_headline of the text, or
    of the title, under each document's language, and `page`: the first page of a PDF's text
    that matches by itself (FirstMatchingPage), or None."""
    own_query, own_config = _own_language(_languages(query))
    source = Coalesce(NullIf(F("extracted_text"), Value("")), F("title"), output_field=TextField())
    snippet = SearchHeadline(
        source,
        own_query,
        config=own_config,
        start_sel=HIGHLIGHT_START,
        stop_sel=HIGHLIGHT_STOP,
        max_words=30,
        min_words=10,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
    documents = (
        ProjectResource.objects.filter(pk__in=ids)
        .select_related("project", "current_version")
        .defer("extracted_text", "extracted_metadata", "search_vector", "keywords")
        .annotate(
            snippet=snippet,
            page=FirstMatchingPage(F("extracted_text"), own_query, own_config),
        )
    )
    return {document.pk: document for document in documents}


def results_in_rank_order(
    rows: list[Any], page: dict[int, Any], result: Callable[[Any], dict[str, Any]]
) -> list[dict[str, Any] | None]:
    """The results of `rows` (ranked ids with their score) read from `page` (id -> object), in
    rank order; None where the object went since it was ranked (purged, deleted)."""
    found: list[dict[str, Any] | None] = []
    for row in rows:
        item = page.get(row.pk)
        if item is None:
            found.append(None)
            continue
        item.score = row.score
        found.append(result(item))
    return found


class DocumentSource(SearchSource):
    """Ranks narrow rows, then loads the details of the page's documents only. When the ranking
    was bounded by the candidates, the number of matches (`matches`, from `documents_ranked`)
    is larger than the ranked rows'."""

    def __init__(
        self,
        queryset: QuerySet,
        result,
        *,
        kind: str,
        query: str,
        matches: tuple[int, bool] | None,
    ) -> None:
        super().__init__(queryset, result, kind=kind)
        self.query = query
        self.matches = matches

    def matched(self, ranked: int) -> tuple[int, bool]:
        return (ranked, False) if self.matches is None else self.matches

    def results(self, rows: list[Any]) -> list[dict[str, Any] | None]:
        if not rows:
            return []
        page = documents_page(ids=[row.pk for row in rows], query=self.query)
        return results_in_rank_order(rows, page, self.result)


class DocumentSearch:
    kind = "document"
    understands_document_filters = True

    def source(self, *, query: str, user, filters: SearchFilters) -> SearchSource:
        ranked, matches = documents_ranked(
            documents_matching(query=query, user=user, filters=filters),
            query=query,
            candidates=settings.SEARCH_CANDIDATES,
            exact_count=settings.SEARCH_EXACT_COUNT,
        )
        return DocumentSource(ranked, self.result, kind=self.kind, query=query, matches=matches)

    def result(self, row: Any) -> dict[str, Any]:
        version = row.current_version
        is_pdf = version is not None and version.content_type == "application/pdf"
        return {
            "kind": self.kind,
            "id": str(row.pk),
            "title": row.title,
            "snippet": snippet_html((row.snippet or "").replace(PAGE_BREAK, " ")),
            "score": float(row.score),
            "url": f"/api/projects/{row.project.slug}/resources/{row.pk}/",
            "project": row.project.slug,
            "project_title": row.project.title,
            "version": version.number if version else None,
            "content_type": version.content_type if version else None,
            "tags": list(dict.fromkeys([*row.tags, *row.auto_tags])),
            "updated_at": row.updated_at,
            "page": row.page if is_pdf else None,
        }


def comments_search(*, query: str, user) -> QuerySet:
    """Comments on documents `user` may read whose text matches `query` (no stemming, accents
    ignored: comments are short and in any language), annotated with `score`, best first, as
    narrow rows. Deleted comments keep no text and are never found."""
    search = SearchQuery(query, config=SIMPLE_CONFIGURATION, search_type="websearch")
    readable = resources_visible_to(user=user).select_related(None).values("pk")
    return (
        DocumentComment.objects.filter(
            search_vector=search, deleted_at__isnull=True, resource__in=readable
        )
        .annotate(score=SearchRank(F("search_vector"), search))
        .order_by("-score", "-id")
        .only("id")
    )


class CommentSource(SearchSource):
    """Ranks narrow rows, then loads the page's comments with their document and a snippet."""

    def __init__(self, queryset: QuerySet, result, *, kind: str, query: str) -> None:
        super().__init__(queryset, result, kind=kind)
        self.query = query

    def results(self, rows: list[Any]) -> list[dict[str, Any] | None]:
        if not rows:
            return []
        search = SearchQuery(self.query, config=SIMPLE_CONFIGURATION, search_type="websearch")
        snippet = SearchHeadline(
            "body",
            search,
            config=SIMPLE_CONFIGURATION,
            start_sel=HIGHLIGHT_START,
            stop_sel=HIGHLIGHT_STOP,
            max_words=30,
            min_words=10,
        )
        page = DocumentComment.objects.filter(pk__in=[row.pk for row in rows])
        page = page.select_related("resource__project", "version").annotate(snippet=snippet)
        found = {comment.pk: comment for comment in page.defer("resource__extracted_text")}
        return results_in_rank_order(rows, found, self.result)


class CommentSearch:
    """Comments are a kind of result: found where their document may be read."""

    kind = "comment"
    understands_document_filters = False

    def source(self, *, query: str, user, filters: SearchFilters) -> SearchSource:
        queryset = comments_search(query=query, user=user)
        return CommentSource(queryset, self.result, kind=self.kind, query=query)

    def result(self, row: Any) -> dict[str, Any]:
        resource = row.resource
        document = f"/api/projects/{resource.project.slug}/resources/{resource.pk}/"
        return {
            "kind": self.kind,
            "id": str(row.pk),
            "title": resource.title,
            "snippet": snippet_html(row.snippet),
            "score": float(row.score),
            "url": f"{document}comments/{row.pk}/",
            "project": resource.project.slug,
            "project_title": resource.project.title,
            "resource": resource.pk,
            "version": row.version.number,
            "content_type": row.version.content_type,
            "tags": [],
            "updated_at": row.edited_at or row.created_at,
        }


class ProjectSearch(RankedSearch):
    """Projects by their title, description and tags, as `projects_visible_to` lets the caller
    see them (public ones, and members-only ones of their teams)."""

    kind = "project"
    prefetch = ("tags",)

    def matches(self, *, query: str, user) -> QuerySet:
        return projects_search(user=user, query=query)

    def result(self, row: Any) -> dict[str, Any]:
        return search_result(
            kind=self.kind,
            id=row.slug,
            title=row.title,
            snippet=snippet_html(row.snippet),
            score=float(getattr(row, "rank", 0.0)),
            url=f"/api/projects/{row.slug}/",
            project=row.slug,
            project_title=row.title,
            tags=[tag.name for tag in row.tags.all()],
            updated_at=row.updated_at,
        )
