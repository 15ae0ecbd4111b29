"""Population-wide figures the people ranking needs, computed in the database and cached.

Tag and style document frequencies (rarity), the mean document length, the population and the
most followed people are aggregates over every profile: a few set-based queries, cached in the
fail-open Redis cache for `SUGGESTION_STATISTICS_SECONDS` and dropped as soon as a skill, style
or artwork tag changes (`matching_statistics_invalidate_on_commit`). Follower counts, which
move with every follow, are not invalidated: the most followed people only need to be about
right, and the ranking counts the followers of the people it scores itself.
"""

from __future__ import annotations

from typing import TypedDict

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from konnaxion.kreative.models import ArtworkTag, Follow, KreativeArtwork, ProfessionalProfile
from konnaxion.users.models import User

from .index import POPULAR_CANDIDATES

STATISTICS_CACHE_KEY = "kreative:matching:statistics:v2"

SKILLS_TABLE = ProfessionalProfile.skills.through._meta.db_table
STYLES_TABLE = ProfessionalProfile.styles.through._meta.db_table
ARTWORK_TAGS_TABLE = ArtworkTag._meta.db_table
ARTWORKS_TABLE = KreativeArtwork._meta.db_table
FOLLOWS_TABLE = Follow._meta.db_table


class PopulationStatistics(TypedDict):
    population: int
    tag_frequencies: dict[int, int]  # {tag: people}
    style_frequencies: dict[int, int]
    average_document_length: float
    popular: list[int]  # user ids, most followed first
    most_followers: int


def population_statistics() -> PopulationStatistics:
    """The figures about everybody the ranking needs (`PopulationStatistics`).

    Served from the cache when present; the cache fails open (a Redis outage recomputes)."""
    timeout = settings.SUGGESTION_STATISTICS_SECONDS
    statistics: PopulationStatistics | None = cache.get(STATISTICS_CACHE_KEY) if timeout else None
    if statistics is None:
        statistics = _population_statistics()
        if timeout:
            cache.set(STATISTICS_CACHE_KEY, statistics, timeout)
    return statistics


def matching_statistics_invalidate_on_commit() -> None:
    """Forget the cached statistics once the current transaction commits (tags changed)."""
    transaction.on_commit(lambda: cache.delete(STATISTICS_CACHE_KEY))


def _population_statistics() -> PopulationStatistics:
    with connection.cursor() as cursor:
        # A person's document: each skill weighs 1, each artwork carrying a tag 0.5.
        cursor.execute(
            f"""
            WITH documents AS (
                SELECT tag_id, professionalprofile_id AS user_id, 1.0 AS weight
                FROM {SKILLS_TABLE}
                UNION ALL
                SELECT t.tag_id, a.artist_id, 0.5
                FROM {ARTWORK_TAGS_TABLE} t JOIN {ARTWORKS_TABLE} a ON a.id = t.artwork_id
            )
            SELECT tag_id, COUNT(DISTINCT user_id), SUM(weight), NULL FROM documents
            GROUP BY tag_id
            UNION ALL
            SELECT NULL, COUNT(DISTINCT user_id), NULL, NULL FROM documents
            UNION ALL
            SELECT tag_id, COUNT(*), NULL, 'style' FROM {STYLES_TABLE} GROUP BY tag_id
            """  # noqa: S608 - table names from the models, no user input
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"""
            SELECT followee_id, COUNT(*) AS followers FROM {FOLLOWS_TABLE}
            GROUP BY followee_id ORDER BY followers DESC, followee_id LIMIT %s
            """,  # noqa: S608
            [POPULAR_CANDIDATES],
        )
        popular = cursor.fetchall()
    tag_frequencies: dict[int, int] = {}
    style_frequencies: dict[int, int] = {}
    total_weight, people_with_documents = 0.0, 0
    for tag_id, count, weight, kind in rows:
        if kind == "style":
            style_frequencies[tag_id] = count
        elif tag_id is None:
            people_with_documents = count
        else:
            tag_frequencies[tag_id] = count
            total_weight += float(weight)
    return {
        "population": User.objects.filter(is_active=True).count(),
        "tag_frequencies": tag_frequencies,
        "style_frequencies": style_frequencies,
        "average_document_length": total_weight / people_with_documents
        if people_with_documents
        else 1.0,
        "popular": [user_id for user_id, _ in popular],
        "most_followers": popular[0][1] if popular else 0,
    }
