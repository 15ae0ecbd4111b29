"""Speed of people suggestions with many profiles in the database.

Generates `--profiles` people (default 50,000) in a database of its own (`var/bm`, embedded
PostgreSQL): Zipf-distributed skills over 2,000 tags, 1-2 of 60 styles, 0-3 artworks with tags,
about 10 follows each, written with COPY. Then, for viewers taken in turn, it times:

- on demand: `suggestions_list` with no stored list (loads the neighbourhood, ranks, stores);
- precomputed: `suggestions_list` served from the stored list;
- naive ORM: profiles sharing a skill with the viewer, counted and ordered by that count.

Targets: on-demand p95 <= 150 ms, precomputed p95 <= 30 ms.

The generated database is kept and reused by the next run with the same `--profiles` (a marker
file in the data directory records what was generated; `--regenerate` forces a new one). The
on-demand path scores only the best `SUGGESTION_CANDIDATES` by an upper bound of their score;
a second table compares its top 8 with an uncapped ranking of the same viewers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _database import database_setup, rows_copy, sequences_reset  # noqa: E402

# Bump when `generate` changes, so that an older kept database is generated again.
GENERATOR_VERSION = 2
TAGS = 2_000
STYLES = 60
ON_DEMAND_TARGET_MS = 150.0
PRECOMPUTED_TARGET_MS = 30.0


def _zipf(rng: random.Random, size: int, exponent: float = 1.1) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, size + 1)]


def generate(profiles: int, seed: int = 7) -> None:
    """Fill an empty database with `profiles` people (COPY; a few minutes at 50,000)."""
    from allauth.account.models import EmailAddress
    from django.db import connection

    from konnaxion.kreative.models import ArtworkTag, Follow, KreativeArtwork, ProfessionalProfile
    from konnaxion.tags.models import Tag
    from konnaxion.users.models import User

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE "
            + ", ".join(
                model._meta.db_table
                for model in (ArtworkTag, KreativeArtwork, Follow, ProfessionalProfile, Tag)
            )
            + ", users_user CASCADE"
        )
    now = "2025-01-01 00:00:00+00"
    rows_copy(
        User._meta.db_table,
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "name",
            "last_login",
        ],
        (
            (pk, "!", "f", f"person{pk}", "", "", "", "f", "t", now, "", now)
            for pk in range(1, profiles + 1)
        ),
    )
    # Only people with a verified primary address are suggested (konnaxion/users/selectors.py).
    rows_copy(
        EmailAddress._meta.db_table,
        ["id", "user_id", "email", "verified", '"primary"'],
        ((pk, pk, f"person{pk}@example.org", "t", "t") for pk in range(1, profiles + 1)),
    )
    rows_copy(
        Tag._meta.db_table,
        ["id", "name", "created_at"],
        ((t, f"tag{t}", now) for t in range(1, TAGS + STYLES + 1)),
    )
    rows_copy(
        ProfessionalProfile._meta.db_table,
        [
            "user_id",
            "display_name",
            "headline",
            "bio",
            "role",
            "region",
            "city",
            "languages",
            "links",
            "open_to_collaboration",
            "visibility",
            "discoverable",
            "created_at",
            "updated_at",
        ],
        (
            (
                pk,
                f"Person {pk}",
                "",
                "",
                "creator",
                "",
                "",
                "{}",
                "[]",
                "t" if pk % 4 == 0 else "f",  # a quarter say they are open to collaboration
                "public",
                "t",
                now,
                now,
            )
            for pk in range(1, profiles + 1)
        ),
    )
    tag_weights = _zipf(rng, TAGS)
    tag_ids = list(range(1, TAGS + 1))
    skills, styles, artworks, artwork_tags = [], [], [], []
    community_of = {pk: rng.randrange(max(1, profiles // 200)) for pk in range(1, profiles + 1)}
    artwork_id = 0
    for pk in range(1, profiles + 1):
        # Half the skills come from the person's community niche, half from the global Zipf.
        niche = [(community_of[pk] * 7 + offset) % TAGS + 1 for offset in range(10)]
        chosen = set(rng.sample(niche, 2)) | set(rng.choices(tag_ids, tag_weights, k=3))
        skills += [(pk, tag) for tag in chosen]
        styles += [(pk, TAGS + 1 + rng.randrange(STYLES)) for _ in range(rng.randint(1, 2))]
        for _ in range(rng.randint(0, 3)):
            artwork_id += 1
            artworks.append((artwork_id, pk))
            artwork_tags += [
                (artwork_id, tag) for tag in set(rng.choices(tag_ids, tag_weights, k=2))
            ]
    through = ProfessionalProfile.skills.through._meta.db_table
    rows_copy(through, ["professionalprofile_id", "tag_id"], skills)
    rows_copy(
        ProfessionalProfile.styles.through._meta.db_table,
        ["professionalprofile_id", "tag_id"],
        set(styles),
    )
    rows_copy(
        KreativeArtwork._meta.db_table,
        [
            "id",
            "artist_id",
            "title",
            "description",
            "media_name",
            "media_type",
            "content_type",
            "medium",
            "style",
            "nsfw",
            "created_at",
            "updated_at",
        ],
        # No file: matching reads none.
        ((a, pk, "Work", "", "w.png", "image", "", "", "", "f", now, now) for a, pk in artworks),
    )
    rows_copy(ArtworkTag._meta.db_table, ["artwork_id", "tag_id"], artwork_tags)
    members: dict[int, list[int]] = {}
    for pk, community in community_of.items():
        members.setdefault(community, []).append(pk)
    follows = set()
    for pk in range(1, profiles + 1):
        pool = members[community_of[pk]]
        for _ in range(rng.randint(2, 18)):
            other = rng.choice(pool) if rng.random() < 0.8 else rng.randint(1, profiles)
            if other != pk:
                follows.add((pk, other))
    rows_copy(
        Follow._meta.db_table,
        ["follower_id", "followee_id", "created_at"],
        ((a, b, now) for a, b in follows),
    )
    sequences_reset(
        "users_user",
        EmailAddress._meta.db_table,
        Tag._meta.db_table,
        KreativeArtwork._meta.db_table,
    )
    with connection.cursor() as cursor:
        # VACUUM as well: index-only scans need the visibility map of freshly copied tables.
        cursor.execute("VACUUM ANALYZE")


def _seed_marker(data_dir: Path) -> Path:
    return data_dir / "matching-seed.json"


def ensure_generated(data_dir: Path, profiles: int, *, regenerate: bool) -> float | None:
    """Generate the people unless the kept database already holds them; seconds taken or None."""
    from konnaxion.users.models import User

    wanted = {"profiles": profiles, "seed": 7, "version": GENERATOR_VERSION}
    marker = _seed_marker(data_dir)
    kept = not regenerate and marker.exists() and json.loads(marker.read_text()) == wanted
    if kept and User.objects.count() == profiles:
        return None
    marker.unlink(missing_ok=True)
    started = time.perf_counter()
    generate(profiles, seed=wanted["seed"])
    marker.write_text(json.dumps(wanted))
    return time.perf_counter() - started


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _reset_suggestion_state() -> None:
    """Forget stored lists, impressions and dismissals, so that every run starts alike."""
    from konnaxion.kreative.models import (
        PrecomputedSuggestions,
        SuggestionDismissal,
        SuggestionImpression,
    )

    for model in (PrecomputedSuggestions, SuggestionImpression, SuggestionDismissal):
        model.objects.all().delete()


def measure(viewers: int, rounds: int) -> list[tuple]:
    from django.db.models import Count

    from konnaxion.kreative.models import PrecomputedSuggestions, ProfessionalProfile
    from konnaxion.kreative.services.intelligent_matching import (
        population_statistics,
        suggestions_list,
    )
    from konnaxion.users.models import User

    _reset_suggestion_state()
    population_statistics()  # the cached statistics are warm in a running deployment
    people = list(User.objects.order_by("pk")[:viewers])
    timings: dict[str, list[float]] = {"on demand": [], "precomputed": [], "naive ORM": []}
    sizes: dict[str, list[int]] = {name: [] for name in timings}
    for _ in range(rounds):
        for viewer in people:
            PrecomputedSuggestions.objects.filter(viewer=viewer).delete()
            start = time.perf_counter()
            result = suggestions_list(viewer=viewer, top_n=8, purpose="follow", signals=frozenset())
            timings["on demand"].append((time.perf_counter() - start) * 1000)
            sizes["on demand"].append(len(result))
            start = time.perf_counter()
            result = suggestions_list(viewer=viewer, top_n=8, purpose="follow", signals=frozenset())
            timings["precomputed"].append((time.perf_counter() - start) * 1000)
            sizes["precomputed"].append(len(result))
            start = time.perf_counter()
            mine = ProfessionalProfile.skills.through.objects.filter(
                professionalprofile_id=viewer.pk
            ).values("tag_id")
            result = list(
                ProfessionalProfile.objects.filter(skills__in=mine)
                .exclude(user_id=viewer.pk)
                .annotate(shared=Count("skills"))
                .order_by("-shared", "user_id")
                .values_list("user_id", "shared")[:8]
            )
            timings["naive ORM"].append((time.perf_counter() - start) * 1000)
            sizes["naive ORM"].append(len(result))
    return [
        (
            name,
            len(values),
            statistics.median(values),
            _p(values, 0.95),
            max(values),
            statistics.mean(sizes[name]),
        )
        for name, values in timings.items()
    ]


def agreement(viewers: int) -> list[tuple]:
    """Top 8 from the capped candidate set against an uncapped ranking, for the same viewers."""
    from django.conf import settings

    from konnaxion.kreative.services.intelligent_matching import neighbourhood_index, rank
    from konnaxion.users.models import User

    uncapped = 10_000_000
    totals = {limit: [0.0, 0, 0.0, 0.0] for limit in (settings.SUGGESTION_CANDIDATES, uncapped)}
    for viewer_id in User.objects.order_by("pk").values_list("pk", flat=True)[:viewers]:
        tops = {}
        for limit, total in totals.items():
            started = time.perf_counter()
            index = neighbourhood_index(viewer_id=viewer_id, signals=frozenset(), limit=limit)
            tops[limit] = [item.user_id for item in rank(viewer=viewer_id, index=index, top_n=8)]
            total[0] += time.perf_counter() - started
            total[1] += len(index.usernames)
        for limit, total in totals.items():
            total[2] += len(set(tops[limit]) & set(tops[uncapped])) / max(1, len(tops[uncapped]))
            total[3] += tops[limit] == tops[uncapped]
    return [
        (
            "uncapped" if limit == uncapped else f"best {limit} by bound",
            viewers,
            people / viewers,
            1000 * seconds / viewers,
            overlap / viewers,
            f"{int(same)}/{viewers}",
        )
        for limit, (seconds, people, overlap, same) in totals.items()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=50_000)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bm"))
    parser.add_argument("--regenerate", action="store_true", help="generate the people again")
    parser.add_argument(
        "--agreement", type=int, default=10, help="viewers compared with an uncapped ranking"
    )
    args = parser.parse_args()
    database_setup(Path(args.data_dir))
    from _table import print_table

    generated = ensure_generated(Path(args.data_dir), args.profiles, regenerate=args.regenerate)
    seeding = (
        f"generated in {generated:.0f} s"
        if generated is not None
        else f"kept from a previous run in {args.data_dir}"
    )
    rows = measure(args.viewers, args.rounds)
    on_demand = rows[0][3]
    precomputed = rows[1][3]
    print_table(
        title=f"people suggestions, top 8, {args.profiles} profiles ({seeding})",
        columns=["method", "runs", "p50 ms", "p95 ms", "max ms", "mean results"],
        rows=rows,
        decimals=1,
        footer=(
            f"on demand p95 {on_demand:.1f} ms (target <= {ON_DEMAND_TARGET_MS:.0f}): "
            f"{'met' if on_demand <= ON_DEMAND_TARGET_MS else 'not met'}; precomputed p95 "
            f"{precomputed:.1f} ms (target <= {PRECOMPUTED_TARGET_MS:.0f}): "
            f"{'met' if precomputed <= PRECOMPUTED_TARGET_MS else 'not met'}; machine load "
            f"average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        ),
    )
    if args.agreement:
        print_table(
            title=f"candidate cap: top 8 against an uncapped ranking, {args.agreement} viewers",
            columns=["candidates", "viewers", "people loaded", "mean ms", "overlap", "same"],
            rows=agreement(args.agreement),
            decimals=2,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
