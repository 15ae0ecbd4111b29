"""Full-text search over 100,000 documents of real text, beside a naive `icontains` filter.

The corpus is Debian's package descriptions (bench/_search_corpus.py): 64,000 real English
texts; documents past that many pair two descriptions. They are spread over 200 projects, 40 %
public and 60 % members-only, in a database of its own (`var/bench/search`, embedded
PostgreSQL; kept between runs, seeded again when `--documents` changes). The measured user
`reader` is collaborator or mentor on a tenth of the projects, has per-document entries of
`none` (documents hidden from it in projects it can read) and `read` (documents of projects it
is not on): it reads about half the corpus.

Rows are written with COPY; each document's language comes from `language_detect` and its
search vector from `resource_vector_refresh`, the indexing service's own SQL. Then 20
representative queries (words, phrases, `or`, `-word`, project / type / tags / date filters)
are sent to GET /api/search/ with the Django test client (the whole request path: middleware,
token authentication, throttling, the view, serialization), and the same queries are answered
by `resources_visible_to(...)` filtered with `icontains` on title and text, counted and paged
the same way. Targets: search p95 <= 100 ms and >= 20x faster than the baseline.

    .venv/bin/python bench/search.py [--documents 100000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _database import database_setup, rows_copy, sequences_reset  # noqa: E402

PROJECTS = 200
OWNERS = 20
TARGET_P95_MS = 100.0
TARGET_RATIO = 20.0
PAGE_SIZE = 20
# (extension, content type) by document number modulo 10: mostly PDFs, some images and models.
FILE_TYPES = [("pdf", "application/pdf")] * 6 + [
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("stl", "model/stl"),
    ("glb", "model/gltf-binary"),
]
NOW = datetime(2025, 6, 1, tzinfo=UTC)


def project_visibility(number: int) -> str:
    return "public" if number % 5 in (0, 1) else "members"


def reader_role(number: int) -> str | None:
    """The reader's place on project `number`'s team: on one project in ten."""
    return {0: "collaborator", 5: "mentor"}.get(number % 10)


def reader_entry(document: int) -> int | None:
    """The reader's per-document entry (an AccessLevel), if any."""
    if document % 23 == 0:
        return 0
    if document % 29 == 0:
        return 1
    return None


def _users() -> dict[str, object]:
    from rest_framework.authtoken.models import Token

    from konnaxion.users.models import User

    names = [f"owner{number}" for number in range(OWNERS)] + ["reader"]
    # "!" is Django's mark of an unusable password: nobody signs in with one.
    unusable = "!"
    User.objects.bulk_create(User(username=name, password=unusable) for name in names)
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    Token.objects.create(user=users["reader"])
    return users


def _projects(users: dict) -> list:
    from konnaxion.keenkonnect.models import Project, ProjectTeam

    projects = Project.objects.bulk_create(
        Project(
            title=f"Package collection {number}",
            slug=f"collection-{number}",
            creator=users[f"owner{number % OWNERS}"],
            status="active",
            visibility=project_visibility(number),
        )
        for number in range(PROJECTS)
    )
    team = [
        ProjectTeam(project=project, user=users[f"owner{number % OWNERS}"], role="owner")
        for number, project in enumerate(projects)
    ]
    team += [
        ProjectTeam(project=project, user=users["reader"], role=reader_role(number))
        for number, project in enumerate(projects)
        if reader_role(number)
    ]
    ProjectTeam.objects.bulk_create(team)
    return projects


def _columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


def seed(documents: int) -> None:
    """Write `documents` indexed documents with their versions, blobs and access entries."""
    from _search_corpus import descriptions
    from django.db import connection, transaction

    from konnaxion.files.models import Blob
    from konnaxion.keenkonnect.analysis.keywords import language_detect
    from konnaxion.keenkonnect.models import (
        DocumentAccess,
        DocumentVersion,
        Project,
        ProjectResource,
    )
    from konnaxion.keenkonnect.services.intelligent_indexing import resource_vector_refresh
    from konnaxion.users.models import User

    corpus = descriptions()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE "
            + ", ".join(model._meta.db_table for model in (Project, Blob, User))
            + " CASCADE"
        )
    users = _users()
    projects = _projects(users)
    blobs, resources, versions, entries = [], [], [], []
    for number in range(1, documents + 1):
        described = corpus[(number - 1) % len(corpus)]
        text = described.text
        if number > len(corpus):
            # Past the corpus, a document pairs two real descriptions.
            other = corpus[(number * 7919) % len(corpus)]
            text = f"{text}\n\n{other.title}.\n{other.text}"
        project_number = number % PROJECTS
        owner = users[f"owner{project_number % OWNERS}"]
        extension, content_type = FILE_TYPES[number % len(FILE_TYPES)]
        changed = NOW - timedelta(hours=(number * 37) % (2 * 365 * 24))
        sha256 = hashlib.sha256(f"{number}\n{text}".encode()).hexdigest()
        blob = {
            "id": number,
            "sha256": sha256,
            "size": len(text.encode()),
            "content_type": content_type,
            "storage_name": f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}",
            "wrapped_key": bytes(40),
            "key_id": "bench",
            "created_at": changed,
            "last_stored_at": changed,
        }
        version = {
            "id": number,
            "resource_id": number,
            "number": 1,
            "blob_id": number,
            "size": blob["size"],
            "sha256": sha256,
            "content_type": content_type,
            "original_name": f"{described.package}.{extension}",
            "uploaded_by_id": owner.pk,
            "created_at": changed,
            "comment": "",
            "pinned": False,
        }
        resource = {
            "id": number,
            "project_id": projects[project_number].pk,
            "title": described.title[:200],
            "description": "",
            "url": "",
            "added_by_id": owner.pk,
            "current_version_id": number,
            "created_at": changed,
            "updated_at": changed,
            "index_state": "indexed",
            "index_reason": "",
            "indexed_version": 1,
            "indexed_at": changed,
            "language": language_detect(text) or "",
            "keywords": [],
            "auto_tags": [described.section],
            "extracted_metadata": json.dumps({"type": extension, "names": ""}),
            "extracted_text": text,
            "current_content_type": content_type,
        }
        blobs.append(blob)
        versions.append(version)
        resources.append(resource)
        if reader_entry(number) is not None:
            entries.append((number, users["reader"].pk, reader_entry(number)))
    with transaction.atomic():
        tables = ((Blob, blobs), (ProjectResource, resources), (DocumentVersion, versions))
        for model, rows in tables:
            columns = [column for column in _columns(model) if column in rows[0]]
            rows_copy(model._meta.db_table, columns, ([row[c] for c in columns] for row in rows))
        rows_copy(DocumentAccess._meta.db_table, ["resource_id", "user_id", "level"], entries)
    sequences_reset(
        Blob._meta.db_table, ProjectResource._meta.db_table, DocumentVersion._meta.db_table
    )
    ids = list(range(1, documents + 1))
    for start in range(0, documents, 10_000):
        resource_vector_refresh(resource_ids=ids[start : start + 10_000])
    # The vector UPDATE left a dead copy of every row behind.
    compact()


def compact() -> None:
    """Rewrite the tables without the dead rows an UPDATE of every row leaves behind, and
    gather the planner's statistics again."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL ANALYZE")


def seeded(documents: int) -> bool:
    """Whether the kept database holds this seed: `documents` indexed documents and the
    reader. A kept seed is brought up to date by the migrations, like any database (migration
    0006 gave its documents their `current_content_type`)."""
    from konnaxion.keenkonnect.models import ProjectResource
    from konnaxion.users.models import User

    return (
        ProjectResource.objects.filter(search_vector__isnull=False).count() == documents
        and User.objects.filter(username="reader").exists()
    )


@dataclass
class Query:
    q: str
    filters: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return " ".join([self.q, *(f"{name}={value}" for name, value in self.filters.items())])


QUERIES = [
    Query("python"),
    Query("compression"),
    Query("kernel"),
    Query("firmware"),
    Query("astronomy"),
    Query("spreadsheet"),
    Query('"command line"'),
    Query('"web server"'),
    Query('"text editor"'),
    Query("python or perl"),
    Query("image or video"),
    Query("database -mysql"),
    Query("editor -emacs"),
    Query("strategy game"),
    Query("documentation", {"project": "collection-10"}),
    Query("parser", {"project": "collection-1"}),
    Query("plugin", {"type": "png"}),
    Query("bindings", {"type": "stl"}),
    Query("network", {"tags": "net"}),
    Query("font", {"date_from": "2025-01-01"}),
]
# Words found in a large share of the corpus (half the descriptions say "library"): shown
# beside the 20, outside their percentiles; each costs in proportion to its matches.
BROAD_QUERIES = [Query("library"), Query("library -python"), Query("data")]
TOKEN = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def naive_condition(query: str):
    """`query` in websearch syntax as icontains conditions on title and text: terms are all
    required, `or` joins neighbours, `-` excludes, quotes keep a phrase whole."""
    from django.db.models import Q

    groups: list[list] = [[]]
    join_next = False
    for match in TOKEN.finditer(query):
        negated = bool(match.group(1) or match.group(3))
        term = match.group(2) if match.group(2) is not None else match.group(4)
        if term.lower() == "or" and not negated:
            join_next = True
            continue
        condition = Q(title__icontains=term) | Q(extracted_text__icontains=term)
        condition = ~condition if negated else condition
        if join_next and groups[-1]:
            groups[-1].append(condition)
        else:
            groups.append([condition])
        join_next = False
    result = Q()
    for group in groups:
        if group:
            alternatives = Q()
            for condition in group:
                alternatives |= condition
            result &= alternatives
    return result


def naive_search(*, user, query: Query) -> tuple[int, list]:
    """The baseline: the same permission path and filters, icontains instead of the index,
    newest first; (count, first page)."""
    from datetime import date

    from konnaxion.keenkonnect.models import ProjectResource
    from konnaxion.keenkonnect.search import FILE_TYPES as TYPES
    from konnaxion.keenkonnect.selectors import resources_visible_to

    queryset = resources_visible_to(user=user).filter(naive_condition(query.q))
    filters = query.filters
    if "project" in filters:
        queryset = queryset.filter(project__slug=filters["project"])
    if "type" in filters:
        queryset = queryset.filter(current_content_type=TYPES[filters["type"]])
    if "tags" in filters:
        queryset = queryset.filter(auto_tags__contains=filters["tags"].split(","))
    if "date_from" in filters:
        queryset = queryset.filter(updated_at__date__gte=date.fromisoformat(filters["date_from"]))
    queryset = queryset.order_by("-updated_at", "-id")
    rows: list[ProjectResource] = list(queryset[:PAGE_SIZE])
    return queryset.count(), [(row.pk, row.title, row.project.slug) for row in rows]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def api_client_for(username: str):
    """A test client signed in with `username`'s token (the whole request path runs)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient(SERVER_NAME="localhost")
    token = Token.objects.get(user__username=username).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def measure(
    queries: list[Query], *, rounds: int, baseline_rounds: int
) -> tuple[list[tuple], list[float], list[float]]:
    """Per query: (label, hits, icontains hits, API p50, API max, icontains p50, ratio); and
    every API and icontains time, in milliseconds."""
    from konnaxion.users.models import User

    reader = User.objects.get(username="reader")
    client = api_client_for("reader")
    api_times: dict[str, list[float]] = {query.label: [] for query in queries}
    naive_times: dict[str, list[float]] = {query.label: [] for query in queries}
    hits: dict[str, list[int]] = {query.label: [0, 0] for query in queries}
    for query in queries:  # warm-up: caches, imports
        response = client.get("/api/search/", {"q": query.q, **query.filters})
        if response.status_code != 200:
            raise RuntimeError(f"{query.label}: {response.status_code} {response.content[:300]}")
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            response = client.get("/api/search/", {"q": query.q, **query.filters})
            body = response.json()
            api_times[query.label].append((time.perf_counter() - start) * 1000)
            hits[query.label][0] = body["count"]
    for _ in range(baseline_rounds):
        for query in queries:
            start = time.perf_counter()
            count, _page = naive_search(user=reader, query=query)
            naive_times[query.label].append((time.perf_counter() - start) * 1000)
            hits[query.label][1] = count
    rows = []
    for query in queries:
        api_p50 = statistics.median(api_times[query.label])
        naive_p50 = statistics.median(naive_times[query.label])
        rows.append(
            (
                query.label,
                *hits[query.label],
                api_p50,
                max(api_times[query.label]),
                naive_p50,
                naive_p50 / api_p50,
            )
        )
    all_api = [value for values in api_times.values() for value in values]
    all_naive = [value for values in naive_times.values() for value in values]
    return rows, all_api, all_naive


COLUMNS = ["query", "hits", "icontains hits", "API ms", "API max", "icontains ms", "x"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline-rounds", type=int, default=2)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench" / "search"))
    args = parser.parse_args()
    # Persistent connections as in a deployment; a throttle that never stops the benchmark.
    started = time.perf_counter()
    migrated = database_setup(Path(args.data_dir), CONN_MAX_AGE="600", THROTTLE_USER="1000000/min")
    from _table import print_table

    cached = seeded(args.documents)
    if not cached:
        seed(args.documents)
    elif migrated:
        # A migration that fills a new column rewrote every row of the kept seed.
        compact()
    prepared = time.perf_counter() - started
    if not cached:
        preparation = f"seeded in {prepared:.0f} s"
    elif migrated:
        preparation = f"seed reused, migrated by {', '.join(migrated)} in {prepared:.0f} s"
    else:
        preparation = "seed reused"
    rows, api, naive = measure(QUERIES, rounds=args.rounds, baseline_rounds=args.baseline_rounds)
    api_p50, api_p95 = statistics.median(api), _percentile(api, 0.95)
    naive_p50, naive_p95 = statistics.median(naive), _percentile(naive, 0.95)
    ratio = naive_p95 / api_p95
    print_table(
        title=(
            f"search, {args.documents} documents, user 'reader' "
            f"({preparation}); "
            f"medians of {args.rounds} (API) and {args.baseline_rounds} (icontains) runs"
        ),
        columns=COLUMNS,
        rows=rows,
        decimals=1,
        footer=(
            f"GET /api/search/ p50 {api_p50:.1f} ms, p95 {api_p95:.1f} ms "
            f"(target <= {TARGET_P95_MS:.0f}): {'meets' if api_p95 <= TARGET_P95_MS else 'misses'}"
            f"\nicontains baseline p50 {naive_p50:.1f} ms, p95 {naive_p95:.1f} ms"
            f"\nratio of p95s {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x): "
            f"{'meets' if ratio >= TARGET_RATIO else 'misses'}"
        ),
    )
    broad, _api, _naive = measure(BROAD_QUERIES, rounds=args.rounds, baseline_rounds=1)
    print_table(
        title="broad queries (a large share of the corpus matches), outside the figures above",
        columns=COLUMNS,
        rows=broad,
        decimals=1,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
