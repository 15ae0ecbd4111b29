"""Full-text search over 100,000 and 1,000,000 documents of real text: how fast, and how well it
finds a known document, beside the exact ranking measured in the same run.

The corpus is Debian's package descriptions (bench/_search_corpus.py): about 64,000 real English
texts; documents past that many pair two descriptions. They are spread over 200 projects, 40 %
public and 60 % members-only, in a database of their own per size (`var/bench/search-<N>`,
embedded PostgreSQL, kept between runs; only this benchmark builds them). The measured user
`reader` is collaborator or mentor on a tenth of the projects, has per-document entries of
`none` (documents hidden from it in projects it can read) and `read` (documents of projects it
is not on): it reads about half the corpus.

Rows are written with COPY, by batches; each document's language comes from `language_detect`
and its search vector from `resource_vector_refresh`, the indexing service's own SQL. The build
time and the sizes of the table and its search indexes are printed.

Latency: 23 queries (words, phrases, `or`, `-word`, project / type / tags / date filters, and
three broad words that a large share of the corpus matches) go to GET /api/search/ with the
Django test client (the whole request path: middleware, token authentication, throttling, the
view, serialization), in rounds that alternate the platform's ranking (the matches ranked among
a bounded set of candidates when there are more than `SEARCH_CANDIDATES`) and the exact ranking
(every readable match ranked: `SEARCH_CANDIDATES = 0`). Targets: p95 <= 40 ms at 100,000
documents and <= 150 ms at 1,000,000, over the 23 queries.

Relevance: a known-item evaluation. Each of `--known-items` queries (500, drawn with a fixed
seed) is two to four words drawn from one package's description (words of four letters or more,
stop words left out); its targets are the documents made from that description that `reader`
may read. Reported for both rankings: MRR@10 (the mean of 1 / the rank of the first target in
the first 10 results, 0 when none is there) and recall@10 (the share of queries with a target
in the first 10). Target: the platform's MRR@10 >= 0.97 x the exact ranking's.

    .venv/bin/python bench/search.py [--documents 100000,1000000] [--rounds 5] [--known-items 500]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _database import database_setup, rows_copy, sequences_reset  # noqa: E402
from _table import print_table  # noqa: E402

PROJECTS = 200
OWNERS = 20
TARGET_P95_MS = {100_000: 40.0, 1_000_000: 150.0}
TARGET_MRR_RATIO = 0.97
PAGE_SIZE = 20
BATCH = 20_000
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
    from konnaxion.users.models import User

    names = [f"owner{number}" for number in range(OWNERS)] + ["reader"]
    # "!" is Django's mark of an unusable password: nobody signs in with one.
    unusable = "!"
    User.objects.bulk_create(User(username=name, password=unusable) for name in names)
    return {user.username: user for user in User.objects.filter(username__in=names)}


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


def document_text(corpus: list, number: int) -> tuple[object, str]:
    """The description document `number` is made from, and its text: past the corpus, a
    document pairs two real descriptions."""
    described = corpus[(number - 1) % len(corpus)]
    text = described.text
    if number > len(corpus):
        other = corpus[(number * 7919) % len(corpus)]
        text = f"{text}\n\n{other.title}.\n{other.text}"
    return described, text


def _batch_rows(corpus: list, users: dict, projects: list, numbers: range) -> tuple:
    """The blob, version, document and access-entry rows of documents `numbers`."""
    from konnaxion.keenkonnect.analysis.keywords import language_detect

    blobs, resources, versions, entries = [], [], [], []
    for number in numbers:
        described, text = document_text(corpus, number)
        project_number = number % PROJECTS
        owner = users[f"owner{project_number % OWNERS}"]
        extension, content_type = FILE_TYPES[number % len(FILE_TYPES)]
        changed = NOW - timedelta(hours=(number * 37) % (2 * 365 * 24))
        sha256 = hashlib.sha256(f"{number}\n{text}".encode()).hexdigest()
        size = len(text.encode())
        blobs.append(
            {
                "id": number,
                "sha256": sha256,
                "size": size,
                "content_type": content_type,
                "storage_name": f"blobs/{sha256[:2]}/{sha256[2:4]}/{sha256}",
                "wrapped_key": bytes(40),
                "key_id": "bench",
                "created_at": changed,
                "last_stored_at": changed,
            }
        )
        versions.append(
            {
                "id": number,
                "resource_id": number,
                "number": 1,
                "blob_id": number,
                "size": size,
                "sha256": sha256,
                "content_type": content_type,
                "original_name": f"{described.package}.{extension}",
                "uploaded_by_id": owner.pk,
                "created_at": changed,
                "comment": "",
                "pinned": False,
                "label": "",
                "note": "",
            }
        )
        resources.append(
            {
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
                "tags": [],
                "extracted_metadata": json.dumps({"type": extension, "names": ""}),
                "extracted_text": text,
                "current_content_type": content_type,
            }
        )
        if reader_entry(number) is not None:
            entries.append((number, users["reader"].pk, reader_entry(number)))
    return blobs, resources, versions, entries


def seed(documents: int) -> None:
    """Write `documents` indexed documents with their versions, blobs and access entries, by
    batches of BATCH (each committed with its search vectors)."""
    from _search_corpus import descriptions
    from django.db import connection, transaction

    from konnaxion.files.models import Blob
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
    for start in range(1, documents + 1, BATCH):
        numbers = range(start, min(start + BATCH, documents + 1))
        blobs, resources, versions, entries = _batch_rows(corpus, users, projects, numbers)
        with transaction.atomic():
            tables = ((Blob, blobs), (ProjectResource, resources), (DocumentVersion, versions))
            for model, rows in tables:
                columns = [column for column in _columns(model) if column in rows[0]]
                rows_copy(
                    model._meta.db_table, columns, ([row[c] for c in columns] for row in rows)
                )
            rows_copy(DocumentAccess._meta.db_table, ["resource_id", "user_id", "level"], entries)
            resource_vector_refresh(resource_ids=list(numbers))
        print(f"  seeded {numbers[-1]:,} of {documents:,}", file=sys.stderr, flush=True)
    sequences_reset(
        Blob._meta.db_table, ProjectResource._meta.db_table, DocumentVersion._meta.db_table
    )
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
    reader. A kept seed is brought up to date by the migrations, like any database."""
    from konnaxion.keenkonnect.models import ProjectResource
    from konnaxion.users.models import User

    return (
        ProjectResource.objects.filter(search_vector__isnull=False).count() == documents
        and User.objects.filter(username="reader").exists()
    )


def sizes() -> dict[str, int]:
    """Bytes of the documents table (with its TOAST) and of its full-text indexes."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_table_size('keenkonnect_projectresource'), coalesce(sum("
            "pg_relation_size(indexrelid)), 0) FROM pg_index JOIN pg_class ON"
            " pg_class.oid = indexrelid WHERE indrelid ="
            " 'keenkonnect_projectresource'::regclass AND relname LIKE 'kk_resource_search%%'"
        )
        table, indexes = cursor.fetchone()
    return {"table": int(table), "search_indexes": int(indexes)}


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
    # Words found in a large share of the corpus (half the descriptions say "library").
    Query("library"),
    Query("library -python"),
    Query("data"),
]
RANKINGS = {"platform": None, "exact": 0}  # SEARCH_CANDIDATES: the setting, or 0 (every match)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def api_client_for(username: str):
    """A test client signed in with a personal token of `username` (the whole request path)."""
    from rest_framework.test import APIClient

    from konnaxion.users.models import User
    from konnaxion.users.tokens import personal_token_create

    client = APIClient(SERVER_NAME="localhost")
    owner = User.objects.get(username=username)
    key = personal_token_create(owner=owner, name="search benchmark", expires_in_days=1).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def search(client, ranking: str, params: dict) -> tuple[float, dict]:
    """One GET /api/search/ under `ranking`: (milliseconds, the answer)."""
    from django.conf import settings
    from django.test import override_settings

    candidates = RANKINGS[ranking]
    if candidates is None:
        candidates = settings.SEARCH_CANDIDATES
    with override_settings(SEARCH_CANDIDATES=candidates):
        start = time.perf_counter()
        response = client.get("/api/search/", params)
        elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{params}: {response.status_code} {response.content[:300]!r}")
    return elapsed, response.json()


def latency(client, *, rounds: int) -> tuple[list[tuple], dict[str, list[float]]]:
    """Per query: (label, hits, about, platform p50, platform max, exact p50, exact max); and
    every time of each ranking, in milliseconds. Rounds alternate the two rankings."""
    times = {ranking: {query.label: [] for query in QUERIES} for ranking in RANKINGS}
    answers: dict[str, dict] = {}
    for ranking in RANKINGS:  # warm-up: caches, imports
        for query in QUERIES:
            search(client, ranking, {"q": query.q, **query.filters})
    for round_number in range(rounds):
        order = list(RANKINGS) if round_number % 2 == 0 else list(reversed(RANKINGS))
        for ranking in order:
            for query in QUERIES:
                elapsed, body = search(client, ranking, {"q": query.q, **query.filters})
                times[ranking][query.label].append(elapsed)
                if ranking == "platform":
                    answers[query.label] = body
    rows = []
    for query in QUERIES:
        body = answers[query.label]
        platform, exact = times["platform"][query.label], times["exact"][query.label]
        rows.append(
            (
                query.label,
                body["count"],
                "about" if body.get("count_is_estimate") else "",
                statistics.median(platform),
                max(platform),
                statistics.median(exact),
                max(exact),
            )
        )
    every = {
        ranking: [value for values in by_query.values() for value in values]
        for ranking, by_query in times.items()
    }
    return rows, every


WORD = re.compile(r"[a-z]{4,}")


def known_items(count: int, documents: int) -> list[tuple[str, set[int]]]:
    """`count` known-item queries, drawn with a fixed seed: (query, its targets' ids)."""
    from _search_corpus import descriptions

    from konnaxion.keenkonnect.analysis.keywords import STOP_WORDS
    from konnaxion.keenkonnect.selectors import resources_visible_to
    from konnaxion.users.models import User

    corpus = descriptions()
    reader = User.objects.get(username="reader")
    readable = set(resources_visible_to(user=reader).values_list("id", flat=True))
    stop_words = STOP_WORDS["en"]
    rng = random.Random(20_000)
    queries: list[tuple[str, set[int]]] = []
    while len(queries) < count:
        described = rng.randrange(min(len(corpus), documents))
        targets = set(range(described + 1, documents + 1, len(corpus))) & readable
        words = sorted(
            set(WORD.findall(f"{corpus[described].title} {corpus[described].text}".lower()))
            - stop_words
        )
        if not targets or len(words) < 2:
            continue
        chosen = rng.sample(words, min(len(words), rng.randint(2, 4)))
        queries.append((" ".join(chosen), targets))
    return queries


def relevance(client, queries: list[tuple[str, set[int]]]) -> dict[str, dict[str, float]]:
    """MRR@10, recall@10 and the median and p95 time of each ranking over the known items,
    and how many queries had more matches than the candidates (ranked approximately)."""
    from django.conf import settings

    figures: dict[str, dict[str, float]] = {}
    for ranking in RANKINGS:
        reciprocal, found, times, bounded = [], 0, [], 0
        for text, targets in queries:
            params = {"q": text, "kind": "document", "page_size": 10}
            elapsed, body = search(client, ranking, params)
            times.append(elapsed)
            ids = [int(result["id"]) for result in body["results"]]
            ranks = [place for place, found_id in enumerate(ids, 1) if found_id in targets]
            reciprocal.append(1 / ranks[0] if ranks else 0.0)
            found += bool(ranks)
            bounded += body["count"] > settings.SEARCH_CANDIDATES
        figures[ranking] = {
            "mrr": statistics.fmean(reciprocal),
            "recall": found / len(queries),
            "p50": statistics.median(times),
            "p95": _percentile(times, 0.95),
            "bounded": bounded,
        }
    return figures


def measure_one(args: argparse.Namespace) -> dict:
    """Seed (or reuse) the database of `args.one` documents and measure it."""
    documents = args.one
    started = time.perf_counter()
    data_dir = Path(args.data_dir) / f"search-{documents}"
    migrated = database_setup(data_dir, THROTTLE_USER="1000000/min")
    from django.conf import settings

    cached = seeded(documents)
    if not cached:
        seed(documents)
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
    load_start = os.getloadavg()[0]
    client = api_client_for("reader")
    rows, every = latency(client, rounds=args.rounds)
    p95 = {ranking: _percentile(times, 0.95) for ranking, times in every.items()}
    p50 = {ranking: statistics.median(times) for ranking, times in every.items()}
    target = TARGET_P95_MS.get(documents)
    stored = sizes()
    print_table(
        title=(
            f"search, {documents:,} documents, user 'reader' ({preparation}; table "
            f"{stored['table'] / 1e9:.2f} GB, search indexes {stored['search_indexes'] / 1e6:.0f}"
            f" MB); medians and maxima of {args.rounds} rounds per ranking, alternating; "
            f"candidates {settings.SEARCH_CANDIDATES}"
        ),
        columns=["query", "hits", "", "ms", "max", "exact ms", "exact max"],
        rows=rows,
        decimals=1,
        footer=(
            f"GET /api/search/ p50 {p50['platform']:.1f} ms, p95 {p95['platform']:.1f} ms"
            + (f" (target <= {target:.0f})" if target else "")
            + f"\nexact ranking p50 {p50['exact']:.1f} ms, p95 {p95['exact']:.1f} ms"
        ),
    )
    queries = known_items(args.known_items, documents)
    figures = relevance(client, queries)
    print_table(
        title=(
            f"known items, {documents:,} documents: {len(queries)} queries of 2-4 words of one "
            f"description; {figures['platform']['bounded']} had more matches than the candidates"
        ),
        columns=["ranking", "MRR@10", "recall@10", "p50 ms", "p95 ms"],
        rows=[
            (ranking, values["mrr"], values["recall"], values["p50"], values["p95"])
            for ranking, values in figures.items()
        ],
    )
    return {
        "documents": documents,
        "preparation": preparation,
        "sizes": stored,
        "p50": p50,
        "p95": p95,
        "target_p95": target,
        "relevance": figures,
        "load": [load_start, os.getloadavg()[0]],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", default="100000,1000000", help="sizes, comma-separated")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--known-items", type=int, default=500)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = measure_one(args)
        Path(args.json).write_text(json.dumps(result))
        return 0
    # Each size in a process of its own: one Django setup per database.
    results = []
    for documents in (int(value) for value in args.documents.split(",")):
        with tempfile.NamedTemporaryFile(suffix=".json") as output:
            command = [sys.executable, __file__, "--one", str(documents), "--json", output.name]
            command += ["--rounds", str(args.rounds), "--known-items", str(args.known_items)]
            subprocess.run([*command, "--data-dir", args.data_dir], check=True)
            results.append(json.loads(Path(output.name).read_text()))
    summary = []
    for result in results:
        documents, target = result["documents"], result["target_p95"]
        p95 = result["p95"]["platform"]
        if target:
            summary.append(
                (
                    f"p95, {documents:,} documents",
                    f"{p95:.1f} ms",
                    f"exact ranking {result['p95']['exact']:.1f} ms",
                    f"<= {target:.0f} ms",
                    "met" if p95 <= target else "not met",
                )
            )
        mrr = result["relevance"]["platform"]["mrr"]
        exact = result["relevance"]["exact"]["mrr"]
        ratio = mrr / exact if exact else 0.0
        summary.append(
            (
                f"MRR@10, {documents:,} documents",
                f"{mrr:.3f} ({ratio:.3f} x)",
                f"exact ranking {exact:.3f}",
                f">= {TARGET_MRR_RATIO} x",
                "met" if ratio >= TARGET_MRR_RATIO else "not met",
            )
        )
    loads = ", ".join(
        f"{result['documents']:,}: {result['load'][0]:.1f} -> {result['load'][1]:.1f}"
        for result in results
    )
    print_table(
        title="search targets",
        columns=["figure", "measured", "baseline (same run)", "target", ""],
        rows=summary,
        footer=f"load average (1 min, start -> end of each size's measures) {loads}"
        f" on {os.cpu_count()} cores",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
