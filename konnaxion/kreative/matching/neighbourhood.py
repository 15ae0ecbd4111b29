"""Load what the ranking needs about ONE viewer's neighbourhood, never a scan of every user.

Two round trips, whatever the number of users (plus the cached population statistics, and one
per optional signal asked for):

1. the viewer: tags, follows both ways, blocks, dismissals, co-participants, fellow project
   members, impressions;
2. the candidates, found through the database's own indexes (tag -> people, style -> people,
   follows of the people the viewer follows, two steps in the tie graph, followers,
   co-participants, people who worked with the viewer's collaborators, the most followed),
   each with a cheap upper bound of its score computed in SQL; exclusions (self, followed,
   blocked either way, dismissed, inactive, not discoverable, hidden, email address not
   verified: konnaxion/users/selectors.py) are applied there and only
   the best `SUGGESTION_CANDIDATES` by that bound are kept; in the same statement, their
   skills, styles and artwork tags, who they are (username, last activity, openness to
   collaboration), every follow among the loaded people and their degrees (for Adamic-Adar
   and the walk), who they worked with and those people's skills that the viewer lists.

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
    ProfessionalProfile,
    SuggestionDismissal,
    SuggestionImpression,
)
from konnaxion.smart_vote.models import VoteResult

from .index import (
    ARTWORK_TAG_WEIGHT,
    MAX_POSTINGS_WALKED,
    SKILL_WEIGHT,
    CorpusStatistics,
    MatchingIndex,
    bm25_idf,
)
from .neighbourhood_sql import NEIGHBOURHOOD_SQL, PARTICIPANTS_TABLE, TEAMS_TABLE
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

BLOCKS_TABLE = Block._meta.db_table
DISMISSALS_TABLE = SuggestionDismissal._meta.db_table
IMPRESSIONS_TABLE = SuggestionImpression._meta.db_table
HIDDEN = ProfessionalProfile.Visibility.HIDDEN.value


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
    project_members: list[tuple[int, int]]  # (fellow member, project)
    impressions: dict[int, int]


class _Person(TypedDict):
    username: str
    last_active: datetime | None
    open_to_collaboration: NotRequired[bool]
    intermediary: NotRequired[bool]  # not a candidate: only scored by degree


class _Neighbourhood(TypedDict):
    """The candidates and what the ranking reads about them (`_neighbourhood`)."""

    people: dict[int, _Person]
    skills: defaultdict[int, list[int]]
    styles: defaultdict[int, list[int]]
    artwork_tags: defaultdict[int, dict[int, int]]
    edges: list[tuple[int, int]]  # (follower, followee)
    worked_together: list[tuple[int, int, str]]  # (candidate, someone, "s<session>"/"p<project>")
    like_skills: defaultdict[int, list[int]]  # those people's skills that the viewer lists
    follower_counts: dict[int, int]
    following_counts: dict[int, int]
    tag_names: dict[int, str]


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
    # Intermediaries (people the viewer follows, or who follow the viewer, and the people
    # candidates worked with) are walked through and scored by degree, never suggested.
    # Each shared session or project once, though both sides of a pair may be loaded; the
    # viewer's sessions come as co-participations.
    shared_work = {
        (viewer_id, user_id, f"p{project}") for user_id, project in viewer["project_members"]
    }
    shared_work |= {
        (min(first, second), max(first, second), work)
        for first, second, work in found["worked_together"]
        if viewer_id not in (first, second)
    }
    worked_together = [(first, second) for first, second, _ in sorted(shared_work)]
    for user_id in following | followers | {other for _, other, _ in found["worked_together"]}:
        people.setdefault(user_id, {"username": "", "last_active": None, "intermediary": True})
    for user_id, tag_ids in found["like_skills"].items():
        if user_id not in found["skills"] and user_id != viewer_id:
            found["skills"][user_id] = tag_ids
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
        worked_together=worked_together,
        open_to_collaboration=[
            user_id for user_id, row in people.items() if row.get("open_to_collaboration")
        ],
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
            UNION ALL SELECT 'project_member', other.user_id, mine.project_id, NULL
                FROM {TEAMS_TABLE} mine
                JOIN {TEAMS_TABLE} other ON other.project_id = mine.project_id
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
        "project_members": [],
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
        elif kind == "project_member":
            facts["project_members"].append((other, count))
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
    collaborators = set(viewer["co_participants"]) | {user for user, _ in viewer["project_members"]}
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
                "ties": sorted(viewer["following"] | viewer["followers"] | collaborators),
                "walk": weights.walk,
                "walk_saturation": weights.walk_saturation,
                "collaborators": sorted(collaborators),
                "circle": weights.collaborators_circle,
                "viewer_skills": viewer["skills"],
                "excluded": sorted(excluded),
                "hidden": HIDDEN,
                "limit": limit,
                # Reasons name the viewer's tags (shared ones) and candidates' skills (new ones).
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
        "worked_together": [],
        "like_skills": defaultdict(list),
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
            found["people"][first] = {
                "username": text,
                "last_active": moment,
                "open_to_collaboration": bool(second),
            }
        elif kind == "edge":
            found["edges"].append((first, second))
        elif kind == "worked":
            found["worked_together"].append((first, second, text))
        elif kind == "like_skill":
            found["like_skills"][first].append(second)
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
