"""Load what the ranking needs about ONE viewer's neighbourhood, never a scan of every user.

Five set-based queries, whatever the number of users (plus the cached population statistics,
and one per optional signal asked for):

1. the viewer: tags, follows both ways, blocks, dismissals, co-participants, impressions;
2. the candidates, found through the database's own indexes (tag -> people, style -> people,
   follows of the people the viewer follows, followers, co-participants, the most followed),
   each with a cheap upper bound of its score computed in SQL; exclusions (self, followed,
   blocked either way, dismissed, inactive, not discoverable, hidden, email address not
   verified: konnaxion/users/selectors.py) are applied there and only
   the best `SUGGESTION_CANDIDATES` by that bound are kept;
3. their skills, styles and artwork tags; 4. who they are (username, last activity);
5. the follow edges and degrees the graph signal reads.

Population-wide figures (tag rarity, popularity) come with the index as `CorpusStatistics`, so a
partial index scores like a full one.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import NotRequired, TypedDict

from django.conf import settings
from django.db import connection
from django.utils import timezone

from konnaxion.ekoh.models import UserExpertiseScore
from konnaxion.kreative.models import (
    Block,
    CollabSessionParticipant,
    ProfessionalProfile,
    SuggestionDismissal,
    SuggestionImpression,
)
from konnaxion.smart_vote.models import VoteResult
from konnaxion.tags.models import Tag
from konnaxion.users.models import User
from konnaxion.users.selectors import VERIFIED_EMAIL_SQL

from .index import (
    ARTWORK_TAG_WEIGHT,
    MAX_POSTINGS_WALKED,
    SKILL_WEIGHT,
    CorpusStatistics,
    MatchingIndex,
    bm25_idf,
)
from .signals import DEFAULT_WEIGHTS, SIGNAL_EKOH, SIGNAL_SMART_VOTE
from .statistics import (
    ARTWORK_TAGS_TABLE,
    ARTWORKS_TABLE,
    FOLLOWS_TABLE,
    SKILLS_TABLE,
    STYLES_TABLE,
    PopulationStatistics,
    population_statistics,
)

# Smart Vote results about a person are votes on this target type, target_id = the user's id.
PERSON_VOTE_TARGET = "kreative.profile"

PROFILES_TABLE = ProfessionalProfile._meta.db_table
PARTICIPANTS_TABLE = CollabSessionParticipant._meta.db_table
BLOCKS_TABLE = Block._meta.db_table
DISMISSALS_TABLE = SuggestionDismissal._meta.db_table
IMPRESSIONS_TABLE = SuggestionImpression._meta.db_table
TAGS_TABLE = Tag._meta.db_table
HIDDEN = ProfessionalProfile.Visibility.HIDDEN.value
USERS_TABLE = User._meta.db_table


class _Viewer(TypedDict):
    """What the ranking needs about the viewer (`_viewer`)."""

    skills: list[int]
    styles: list[int]
    artwork_tags: dict[int, int]  # {tag: the viewer's artworks carrying it}
    following: set[int]
    followers: set[int]
    blocks: list[tuple[int, int]]  # (blocker, blocked), the viewer on either side
    dismissed: set[int]  # dismissals in force
    dismissal_counts: dict[int, int]
    co_participants: list[int]  # one entry per session shared
    impressions: dict[int, int]


class _Person(TypedDict):
    username: str
    last_active: datetime | None
    intermediary: NotRequired[bool]  # not a candidate: only scored by degree


class _Neighbourhood(TypedDict):
    """The candidates and what the ranking reads about them (`_neighbourhood`)."""

    people: dict[int, _Person]
    skills: defaultdict[int, list[int]]
    styles: defaultdict[int, list[int]]
    artwork_tags: defaultdict[int, dict[int, int]]
    edges: list[tuple[int, int]]  # (follower, followee)
    follower_counts: dict[int, int]
    following_counts: dict[int, int]
    tag_names: dict[int, str]


# People whose email address is not verified are never suggested (konnaxion/users/selectors.py).
CANDIDATE_EMAIL_VERIFIED = VERIFIED_EMAIL_SQL.format(user_id="e.user_id")

# One round trip: the candidates with their score bounds (`chosen`), then tagged rows
# (kind, id, id, count, moment, text) about them: documents, who they are, follow edges and
# degrees, and the names of the viewer's tags.
NEIGHBOURHOOD_SQL = f"""
WITH query_tags (tag_id, weight) AS (
    SELECT * FROM unnest(%(tags)s::bigint[], %(tag_weights)s::float8[])
),
frequencies AS (
    SELECT user_id, tag_id, SUM(frequency) AS frequency FROM (
        SELECT professionalprofile_id AS user_id, tag_id, {SKILL_WEIGHT}::float8 AS frequency
        FROM {SKILLS_TABLE} WHERE tag_id = ANY(%(tags)s)
        UNION ALL
        -- OFFSET 0 keeps this a primary-key probe per tagged artwork: flattened into a join,
        -- the planner prefers hashing every artwork in the table.
        SELECT a.artist_id, t.tag_id, {ARTWORK_TAG_WEIGHT}::float8
        FROM {ARTWORK_TAGS_TABLE} t CROSS JOIN LATERAL (
            SELECT artist_id FROM {ARTWORKS_TABLE} WHERE id = t.artwork_id OFFSET 0
        ) a
        WHERE t.tag_id = ANY(%(tags)s)
    ) hits GROUP BY user_id, tag_id
),
intermediaries AS MATERIALIZED (
    SELECT person, 1.0::float8 / ln(
        2.0::float8
        + (SELECT COUNT(*) FROM {FOLLOWS_TABLE} WHERE follower_id = person)
        + (SELECT COUNT(*) FROM {FOLLOWS_TABLE} WHERE followee_id = person)
    ) AS weight
    FROM unnest(%(following)s::bigint[]) AS person
),
evidence (user_id, bound) AS (
    SELECT user_id, SUM(q.weight * f.frequency * %(k1_plus_1)s / (f.frequency + %(shortest_norm)s))
    FROM frequencies f JOIN query_tags q USING (tag_id) GROUP BY user_id
    UNION ALL
    SELECT DISTINCT professionalprofile_id, %(style_bound)s::float8
    FROM {STYLES_TABLE} WHERE tag_id = ANY(%(styles)s)
    UNION ALL
    SELECT f.followee_id, %(graph)s * SUM(i.weight) / (1.0::float8 + SUM(i.weight))
    FROM {FOLLOWS_TABLE} f JOIN intermediaries i ON i.person = f.follower_id
    GROUP BY f.followee_id
    UNION ALL
    SELECT unnest(%(followers)s::bigint[]), %(follows_you)s::float8
    UNION ALL
    SELECT person, %(co_participation)s * (1.0::float8 - power(0.5::float8, COUNT(*)))
    FROM unnest(%(co_participants)s::bigint[]) AS person GROUP BY person
    UNION ALL
    SELECT unnest(%(popular)s::bigint[]), 0.0::float8
),
chosen AS MATERIALIZED (
    -- The unlisted and the deactivated are few: both anti-joins read small partial indexes.
    SELECT e.user_id FROM evidence e
    WHERE e.user_id <> ALL(%(excluded)s::bigint[])
      AND NOT EXISTS (
        SELECT 1 FROM {PROFILES_TABLE} p WHERE p.user_id = e.user_id
        AND (p.discoverable = false OR p.visibility = %(hidden)s)
      )
      AND NOT EXISTS (SELECT 1 FROM {USERS_TABLE} u WHERE u.id = e.user_id AND u.is_active = false)
      AND {CANDIDATE_EMAIL_VERIFIED}
    GROUP BY e.user_id ORDER BY SUM(e.bound) DESC, e.user_id LIMIT %(limit)s
),
counted AS MATERIALIZED (
    SELECT user_id FROM chosen
    UNION SELECT %(viewer)s
    UNION SELECT unnest(%(following)s::bigint[])
    UNION SELECT unnest(%(followers)s::bigint[])
)
SELECT 'skill', s.professionalprofile_id, s.tag_id, 1, NULL::timestamptz, NULL
FROM chosen c JOIN {SKILLS_TABLE} s ON s.professionalprofile_id = c.user_id
UNION ALL
SELECT 'style', s.professionalprofile_id, s.tag_id, 1, NULL, NULL
FROM chosen c JOIN {STYLES_TABLE} s ON s.professionalprofile_id = c.user_id
UNION ALL
SELECT 'artwork_tag', a.artist_id, t.tag_id, COUNT(*), NULL, NULL
FROM chosen c JOIN {ARTWORKS_TABLE} a ON a.artist_id = c.user_id
JOIN {ARTWORK_TAGS_TABLE} t ON t.artwork_id = a.id
GROUP BY a.artist_id, t.tag_id
UNION ALL
SELECT 'person', u.id, NULL, NULL, GREATEST(u.last_login, p.updated_at), u.username
FROM (SELECT user_id FROM chosen UNION ALL SELECT %(viewer)s) c
JOIN {USERS_TABLE} u ON u.id = c.user_id
LEFT JOIN {PROFILES_TABLE} p ON p.user_id = u.id
UNION ALL
-- Follows from the viewer's follows to candidates, and from candidates to the viewer's
-- followers: Adamic-Adar in both directions.
SELECT 'edge', f.follower_id, f.followee_id, NULL, NULL, NULL
FROM chosen c JOIN {FOLLOWS_TABLE} f ON f.followee_id = c.user_id
WHERE f.follower_id = ANY(%(following)s)
UNION ALL
SELECT 'edge', f.follower_id, f.followee_id, NULL, NULL, NULL
FROM chosen c JOIN {FOLLOWS_TABLE} f ON f.follower_id = c.user_id
WHERE f.followee_id = ANY(%(followers)s)
UNION ALL
SELECT 'followers', c.user_id, NULL, COUNT(*), NULL, NULL
FROM counted c JOIN {FOLLOWS_TABLE} f ON f.followee_id = c.user_id GROUP BY c.user_id
UNION ALL
SELECT 'following', f.follower_id, NULL, COUNT(*), NULL, NULL
FROM {FOLLOWS_TABLE} f
WHERE f.follower_id = ANY(%(following)s) OR f.follower_id = ANY(%(followers)s)
GROUP BY f.follower_id
UNION ALL
SELECT 'tag_name', id, NULL, NULL, NULL, name FROM {TAGS_TABLE} WHERE id = ANY(%(viewer_tags)s)
"""  # noqa: S608 - table names from the models, values as parameters


def neighbourhood_index(
    *, viewer_id: int, signals: frozenset[str], limit: int | None = None
) -> MatchingIndex:
    """The `MatchingIndex` of `viewer_id`'s best candidates, with population-wide statistics.

    `limit` (default `SUGGESTION_CANDIDATES`) caps the candidates scored in full; they are the
    best by an upper bound of their score, so a generous cap changes nothing at the top."""
    stats = population_statistics()
    now = timezone.now()
    viewer = _viewer(viewer_id, now)
    following, followers = viewer["following"], viewer["followers"]
    found = _neighbourhood(
        viewer_id=viewer_id,
        viewer=viewer,
        stats=stats,
        limit=settings.SUGGESTION_CANDIDATES if limit is None else limit,
    )
    people = found["people"]
    chosen = set(people) - {viewer_id}
    found["skills"][viewer_id] = viewer["skills"]
    found["styles"][viewer_id] = viewer["styles"]
    found["artwork_tags"][viewer_id] = viewer["artwork_tags"]
    # Intermediaries (people the viewer follows, or who follow the viewer) are scored by degree.
    for user_id in following | followers:
        people.setdefault(user_id, {"username": "", "last_active": None, "intermediary": True})
    edges = found["edges"] + [(viewer_id, user_id) for user_id in following]
    edges += [(user_id, viewer_id) for user_id in followers]
    follows: dict[int, list[int]] = defaultdict(list)
    for follower, followee in edges:
        follows[follower].append(followee)

    return MatchingIndex.build(
        usernames={user_id: row["username"] for user_id, row in people.items()},
        tag_names=found["tag_names"],
        skills=found["skills"],
        styles=found["styles"],
        artwork_tags=found["artwork_tags"],
        follows=follows,
        co_participations=[(viewer_id, user_id) for user_id in viewer["co_participants"]],
        last_active={
            user_id: row["last_active"]
            for user_id, row in people.items()
            if row["last_active"] is not None
        },
        now=now,
        expertise=_expertise(chosen | {viewer_id}) if SIGNAL_EKOH in signals else None,
        vote_results=_vote_results(chosen) if SIGNAL_SMART_VOTE in signals else None,
        hidden=[user_id for user_id, row in people.items() if row.get("intermediary")],
        blocks=viewer["blocks"],
        dismissed={viewer_id: viewer["dismissed"]},
        dismissal_counts={viewer_id: viewer["dismissal_counts"]},
        ignored_impressions={viewer_id: viewer["impressions"]},
        statistics=CorpusStatistics(
            population=stats["population"],
            tag_frequencies=stats["tag_frequencies"],
            style_frequencies=stats["style_frequencies"],
            average_document_length=stats["average_document_length"],
            follower_counts=found["follower_counts"],
            following_counts=found["following_counts"],
            most_followers=stats["most_followers"],
            popular=tuple(stats["popular"]),
        ),
    )


def _viewer(viewer_id: int, now: datetime) -> _Viewer:
    """Everything about the viewer, in one round trip of tagged rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT 'skill', tag_id, 1, NULL::timestamptz FROM {SKILLS_TABLE}
                WHERE professionalprofile_id = %(viewer)s
            UNION ALL SELECT 'style', tag_id, 1, NULL FROM {STYLES_TABLE}
                WHERE professionalprofile_id = %(viewer)s
            UNION ALL SELECT 'artwork_tag', t.tag_id, COUNT(*), NULL
                FROM {ARTWORK_TAGS_TABLE} t JOIN {ARTWORKS_TABLE} a ON a.id = t.artwork_id
                WHERE a.artist_id = %(viewer)s GROUP BY t.tag_id
            UNION ALL SELECT 'following', followee_id, 1, NULL FROM {FOLLOWS_TABLE}
                WHERE follower_id = %(viewer)s
            UNION ALL SELECT 'follower', follower_id, 1, NULL FROM {FOLLOWS_TABLE}
                WHERE followee_id = %(viewer)s
            UNION ALL SELECT 'blocked', blocked_id, 1, NULL FROM {BLOCKS_TABLE}
                WHERE blocker_id = %(viewer)s
            UNION ALL SELECT 'blocked_by', blocker_id, 1, NULL FROM {BLOCKS_TABLE}
                WHERE blocked_id = %(viewer)s
            UNION ALL SELECT 'dismissed', dismissed_id, count, created_at FROM {DISMISSALS_TABLE}
                WHERE viewer_id = %(viewer)s
            UNION ALL SELECT 'co_participant', other.user_id, 1, NULL
                FROM {PARTICIPANTS_TABLE} mine
                JOIN {PARTICIPANTS_TABLE} other ON other.session_id = mine.session_id
                WHERE mine.user_id = %(viewer)s AND other.user_id <> %(viewer)s
            UNION ALL SELECT 'impression', shown_id, count, NULL FROM {IMPRESSIONS_TABLE}
                WHERE viewer_id = %(viewer)s
            """,  # noqa: S608 - table names from the models, values as parameters
            {"viewer": viewer_id},
        )
        rows = cursor.fetchall()
    in_force_since = now - timedelta(days=settings.SUGGESTION_DISMISSAL_DAYS)
    facts: _Viewer = {
        "skills": [],
        "styles": [],
        "artwork_tags": {},
        "following": set(),
        "followers": set(),
        "blocks": [],
        "dismissed": set(),
        "dismissal_counts": {},
        "co_participants": [],
        "impressions": {},
    }
    for kind, other, count, moment in rows:
        if kind == "skill":
            facts["skills"].append(other)
        elif kind == "style":
            facts["styles"].append(other)
        elif kind == "artwork_tag":
            facts["artwork_tags"][other] = count
        elif kind == "following":
            facts["following"].add(other)
        elif kind == "follower":
            facts["followers"].add(other)
        elif kind == "blocked":
            facts["blocks"].append((viewer_id, other))
        elif kind == "blocked_by":
            facts["blocks"].append((other, viewer_id))
        elif kind == "dismissed":
            facts["dismissal_counts"][other] = count
            if moment >= in_force_since:
                facts["dismissed"].add(other)
        elif kind == "co_participant":
            facts["co_participants"].append(other)
        else:
            facts["impressions"][other] = count
    return facts


def _neighbourhood(
    *, viewer_id: int, viewer: _Viewer, stats: PopulationStatistics, limit: int
) -> _Neighbourhood:
    """The best `limit` candidates and what the ranking reads about them, in one round trip.

    Candidates are ordered by an upper bound of their score: each signal's largest possible
    value given what SQL sees cheaply (BM25 of the shared tags with the shortest possible
    document, any shared style as a perfect cosine, the exact Adamic-Adar, follow-back and
    co-participation, a full recent-activity factor)."""
    weights = DEFAULT_WEIGHTS
    population = max(stats["population"], 1)
    frequencies = stats["tag_frequencies"]
    document: dict[int, float] = {tag_id: SKILL_WEIGHT for tag_id in viewer["skills"]}
    for tag_id, count in viewer["artwork_tags"].items():
        document[tag_id] = document.get(tag_id, 0.0) + ARTWORK_TAG_WEIGHT * count
    query = {
        tag_id: bm25_idf(population, frequencies.get(tag_id, 0)) * min(1.0, weight)
        for tag_id, weight in document.items()
    }
    ideal = sum(query.values()) or 1.0
    walked = [tag_id for tag_id in query if frequencies.get(tag_id, 0) <= MAX_POSTINGS_WALKED]
    styles = [
        tag_id
        for tag_id in viewer["styles"]
        if stats["style_frequencies"].get(tag_id, 0) <= MAX_POSTINGS_WALKED
    ]
    excluded = {viewer_id} | viewer["following"] | viewer["dismissed"]
    excluded |= {user_id for pair in viewer["blocks"] for user_id in pair}
    with connection.cursor() as cursor:
        cursor.execute(
            NEIGHBOURHOOD_SQL,
            {
                "viewer": viewer_id,
                "tags": walked,
                "tag_weights": [weights.tags * query[tag_id] / ideal for tag_id in walked],
                "k1_plus_1": weights.bm25_k1 + 1.0,
                "shortest_norm": weights.bm25_k1 * (1.0 - weights.bm25_b),
                "styles": styles,
                "style_bound": weights.styles,
                "following": sorted(viewer["following"]),
                "graph": weights.graph,
                "followers": sorted(viewer["followers"]),
                "follows_you": weights.follows_you,
                "co_participants": viewer["co_participants"],
                "co_participation": weights.co_participation,
                "popular": stats["popular"],
                "excluded": sorted(excluded),
                "hidden": HIDDEN,
                "limit": limit,
                # Reasons name shared tags only, and every shared tag is one of the viewer's.
                "viewer_tags": sorted(set(document) | set(viewer["styles"])),
            },
        )
        rows = cursor.fetchall()
    found: _Neighbourhood = {
        "people": {},
        "skills": defaultdict(list),
        "styles": defaultdict(list),
        "artwork_tags": defaultdict(dict),
        "edges": [],
        "follower_counts": {},
        "following_counts": {},
        "tag_names": {},
    }
    for kind, first, second, third, moment, text in rows:
        if kind == "skill":
            found["skills"][first].append(second)
        elif kind == "style":
            found["styles"][first].append(second)
        elif kind == "artwork_tag":
            found["artwork_tags"][first][second] = third
        elif kind == "person":
            found["people"][first] = {"username": text, "last_active": moment}
        elif kind == "edge":
            found["edges"].append((first, second))
        elif kind == "followers":
            found["follower_counts"][first] = third
        elif kind == "following":
            found["following_counts"][first] = third
        else:
            found["tag_names"][first] = text
    return found


def _expertise(user_ids: set[int]) -> dict[int, dict[str, float]]:
    """EkoH weighted scores by category; people whose EkoH identity is anonymous are left out."""
    expertise: dict[int, dict[str, float]] = defaultdict(dict)
    for user_id, name, score in (
        UserExpertiseScore.objects.filter(user_id__in=user_ids)
        .exclude(user__confidentiality_setting__level="anonymous")
        .values_list("user_id", "category__name", "weighted_score")
    ):
        expertise[user_id][name] = float(score)
    return expertise


def _vote_results(user_ids: set[int]) -> dict[int, tuple[float, int]]:
    """Mean weighted Smart Vote value about each person (approval: 0..1) and vote count."""
    results = {}
    for target_id, total, weight, count in VoteResult.objects.filter(
        target_type=PERSON_VOTE_TARGET, target_id__in=[str(user_id) for user_id in user_ids]
    ).values_list("target_id", "sum_weighted_value", "sum_weight", "vote_count"):
        if weight and count:
            results[int(target_id)] = (float(total) / float(weight), int(count))
    return results
