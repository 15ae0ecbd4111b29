"""Load what the ranking needs about ONE viewer's neighbourhood, never a scan of every user.

Candidates come from the database's own inverted indexes: the skill, style and artwork-tag
tables filtered by the viewer's tags (best shared rarity first, in SQL), follows of the people the
viewer follows, the viewer's followers, past co-participants and the most followed people.
Population-wide figures (tag rarity, degrees, popularity) come with the index as
`CorpusStatistics`, so a partial index scores like a full one. About twenty queries, whatever
the number of users.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, FloatField, Q, Sum, Value, When
from django.utils import timezone

from konnaxion.kreative.matching import (
    SIGNAL_EKOH,
    SIGNAL_SMART_VOTE,
    CorpusStatistics,
    MatchingIndex,
)
from konnaxion.kreative.matching.index import MAX_POSTINGS_WALKED, POPULAR_CANDIDATES
from konnaxion.kreative.models import (
    ArtworkTag,
    Block,
    CollabSessionParticipant,
    Follow,
    ProfessionalProfile,
    SuggestionDismissal,
    SuggestionImpression,
    Tag,
)

# Smart Vote results about a person are votes on this target type, target_id = the user's id.
PERSON_VOTE_TARGET = "kreative.profile"
STATISTICS_CACHE_KEY = "kreative:matching:statistics:v1"

SKILLS = ProfessionalProfile.skills.through
STYLES = ProfessionalProfile.styles.through


def population_statistics() -> dict:
    """Tag and style rarity, mean document length and the most followed people, cached for
    `SUGGESTION_STATISTICS_SECONDS` (they move slowly; the cache fails open)."""
    timeout = settings.SUGGESTION_STATISTICS_SECONDS
    statistics = cache.get(STATISTICS_CACHE_KEY) if timeout else None
    if statistics is None:
        statistics = _population_statistics()
        if timeout:
            cache.set(STATISTICS_CACHE_KEY, statistics, timeout)
    return statistics


def _population_statistics() -> dict:
    from konnaxion.kreative.models import KreativeArtwork

    skills, artwork_tags = SKILLS._meta.db_table, ArtworkTag._meta.db_table
    artworks = KreativeArtwork._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH documents AS (
                SELECT tag_id, professionalprofile_id AS user_id, 1.0 AS weight FROM {skills}
                UNION ALL
                SELECT t.tag_id, a.artist_id, 0.5 FROM {artwork_tags} t
                JOIN {artworks} a ON a.id = t.artwork_id
            )
            SELECT tag_id, COUNT(DISTINCT user_id), SUM(weight) FROM documents GROUP BY tag_id
            """  # noqa: S608 - table names from the models, no user input
        )
        rows = cursor.fetchall()
        cursor.execute(
            f"""
            SELECT COUNT(DISTINCT user_id) FROM (
                SELECT professionalprofile_id AS user_id FROM {skills}
                UNION ALL
                SELECT a.artist_id FROM {artwork_tags} t JOIN {artworks} a ON a.id = t.artwork_id
            ) documents
            """  # noqa: S608
        )
        people_with_documents = cursor.fetchone()[0] or 0
    total_weight = sum(float(weight) for _, _, weight in rows)
    popular = list(
        Follow.objects.values("followee")
        .annotate(followers=Count("id"))
        .order_by("-followers", "followee")
        .values_list("followee", "followers")[:POPULAR_CANDIDATES]
    )
    from konnaxion.users.models import User

    return {
        "population": User.objects.filter(is_active=True).count(),
        "tag_frequencies": {tag_id: count for tag_id, count, _ in rows},
        "style_frequencies": dict(
            STYLES.objects.values("tag_id")
            .annotate(n=Count("professionalprofile_id"))
            .values_list("tag_id", "n")
        ),
        "average_document_length": total_weight / people_with_documents
        if people_with_documents
        else 1.0,
        "popular": [user_id for user_id, _ in popular],
        "most_followers": popular[0][1] if popular else 0,
    }


def neighbourhood_index(*, viewer_id: int, signals: frozenset[str]) -> MatchingIndex:
    """The `MatchingIndex` of `viewer_id`'s candidates, with population-wide statistics."""
    stats = population_statistics()
    now = timezone.now()
    skills, styles, artwork_tags = _documents({viewer_id})
    viewer_tags = set(skills.get(viewer_id, ())) | set(artwork_tags.get(viewer_id, {}))

    edges = list(
        Follow.objects.filter(Q(follower_id=viewer_id) | Q(followee_id=viewer_id)).values_list(
            "follower_id", "followee_id"
        )
    )
    following = {followee for follower, followee in edges if follower == viewer_id}
    followers = {follower for follower, followee in edges if followee == viewer_id}
    co_participants = list(
        CollabSessionParticipant.objects.filter(session__participants__user_id=viewer_id)
        .exclude(user_id=viewer_id)
        .values_list("user_id", flat=True)
    )
    blocks = list(
        Block.objects.filter(Q(blocker_id=viewer_id) | Q(blocked_id=viewer_id)).values_list(
            "blocker_id", "blocked_id"
        )
    )
    in_force_since = now - timedelta(days=settings.SUGGESTION_DISMISSAL_DAYS)
    dismissals = list(
        SuggestionDismissal.objects.filter(viewer_id=viewer_id).values_list(
            "dismissed_id", "count", "created_at"
        )
    )
    dismissed = {user_id for user_id, _, moment in dismissals if moment >= in_force_since}

    candidates = set(followers) | set(co_participants) | set(stats["popular"])
    candidates |= _sharing(SKILLS, "professionalprofile_id", viewer_tags, stats["tag_frequencies"])
    candidates |= _sharing_artworks(viewer_tags, stats["tag_frequencies"])
    candidates |= _sharing(
        STYLES, "professionalprofile_id", set(styles.get(viewer_id, ())), stats["style_frequencies"]
    )
    if following:
        candidates |= set(
            Follow.objects.filter(follower_id__in=following)
            .exclude(followee_id=viewer_id)
            .values("followee_id")
            .annotate(through=Count("id"))
            .order_by("-through", "followee_id")
            .values_list("followee_id", flat=True)[: settings.SUGGESTION_TAG_CANDIDATES]
        )
    blocked = {user_id for pair in blocks for user_id in pair}
    candidates -= {viewer_id} | following | blocked | dismissed

    people = _people(candidates | {viewer_id})
    candidates &= set(people)
    hidden = [user_id for user_id, row in people.items() if row["hidden"]]
    candidate_skills, candidate_styles, candidate_artwork_tags = _documents(candidates)
    skills.update(candidate_skills)
    styles.update(candidate_styles)
    artwork_tags.update(candidate_artwork_tags)

    graph = list(edges)
    if candidates:
        graph += Follow.objects.filter(
            Q(follower_id__in=following, followee_id__in=candidates)
            | Q(follower_id__in=candidates, followee_id__in=followers)
        ).values_list("follower_id", "followee_id")
    follows: dict[int, list[int]] = defaultdict(list)
    for follower, followee in graph:
        follows[follower].append(followee)
    # Intermediaries (people the viewer follows, or who follow the viewer) are scored by degree.
    for user_id in following | followers:
        people.setdefault(user_id, {"username": "", "hidden": True, "last_active": None})
    counted = set(people)
    follower_counts = dict(
        Follow.objects.filter(followee_id__in=counted)
        .values("followee_id")
        .annotate(n=Count("id"))
        .values_list("followee_id", "n")
    )
    following_counts = dict(
        Follow.objects.filter(follower_id__in=counted)
        .values("follower_id")
        .annotate(n=Count("id"))
        .values_list("follower_id", "n")
    )

    tag_ids = {tag for tags in skills.values() for tag in tags}
    tag_ids |= {tag for tags in styles.values() for tag in tags}
    tag_ids |= {tag for counts in artwork_tags.values() for tag in counts}
    impressions = dict(
        SuggestionImpression.objects.filter(
            viewer_id=viewer_id, shown_id__in=candidates
        ).values_list("shown_id", "count")
    )
    return MatchingIndex.build(
        usernames={user_id: row["username"] for user_id, row in people.items()},
        tag_names=dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name")),
        skills=skills,
        styles=styles,
        artwork_tags=artwork_tags,
        follows=follows,
        co_participations=[(viewer_id, user_id) for user_id in co_participants],
        last_active={
            user_id: row["last_active"]
            for user_id, row in people.items()
            if row["last_active"] is not None
        },
        now=now,
        expertise=_expertise(candidates | {viewer_id}) if SIGNAL_EKOH in signals else None,
        vote_results=_vote_results(candidates) if SIGNAL_SMART_VOTE in signals else None,
        hidden=hidden,
        blocks=blocks,
        dismissed={viewer_id: dismissed},
        dismissal_counts={viewer_id: {user_id: count for user_id, count, _ in dismissals}},
        ignored_impressions={viewer_id: impressions},
        statistics=CorpusStatistics(
            population=stats["population"],
            tag_frequencies=stats["tag_frequencies"],
            style_frequencies=stats["style_frequencies"],
            average_document_length=stats["average_document_length"],
            follower_counts=follower_counts,
            following_counts=following_counts,
            most_followers=stats["most_followers"],
            popular=tuple(stats["popular"]),
        ),
    )


def _walkable(tags: set[int], frequencies: dict[int, int]) -> dict[int, float]:
    """The tags worth walking (not too common), each with a rarity weight for the SQL ranking."""
    return {
        tag_id: 1.0 / (1 + frequencies.get(tag_id, 0))
        for tag_id in tags
        if frequencies.get(tag_id, 0) <= MAX_POSTINGS_WALKED
    }


def _rarity_sum(weights: dict[int, float]) -> Sum:
    return Sum(
        Case(
            *[When(tag_id=tag_id, then=Value(weight)) for tag_id, weight in weights.items()],
            default=Value(0.0),
            output_field=FloatField(),
        )
    )


def _sharing(through, user_field: str, tags: set[int], frequencies: dict[int, int]) -> set[int]:
    """The users sharing the most (and rarest) of `tags` in `through`, best first, capped."""
    weights = _walkable(tags, frequencies)
    if not weights:
        return set()
    return set(
        through.objects.filter(tag_id__in=weights)
        .values(user_field)
        .annotate(rarity=_rarity_sum(weights))
        .order_by("-rarity", user_field)
        .values_list(user_field, flat=True)[: settings.SUGGESTION_TAG_CANDIDATES]
    )


def _sharing_artworks(tags: set[int], frequencies: dict[int, int]) -> set[int]:
    weights = _walkable(tags, frequencies)
    if not weights:
        return set()
    return set(
        ArtworkTag.objects.filter(tag_id__in=weights)
        .values("artwork__artist_id")
        .annotate(rarity=_rarity_sum(weights))
        .order_by("-rarity", "artwork__artist_id")
        .values_list("artwork__artist_id", flat=True)[: settings.SUGGESTION_TAG_CANDIDATES]
    )


def _documents(user_ids: set[int]):
    """Skills, styles and artwork tag counts of `user_ids` (three queries)."""
    skills: dict[int, list[int]] = defaultdict(list)
    styles: dict[int, list[int]] = defaultdict(list)
    artwork_tags: dict[int, dict[int, int]] = defaultdict(dict)
    if not user_ids:
        return skills, styles, artwork_tags
    for user_id, tag_id in SKILLS.objects.filter(professionalprofile_id__in=user_ids).values_list(
        "professionalprofile_id", "tag_id"
    ):
        skills[user_id].append(tag_id)
    for user_id, tag_id in STYLES.objects.filter(professionalprofile_id__in=user_ids).values_list(
        "professionalprofile_id", "tag_id"
    ):
        styles[user_id].append(tag_id)
    for user_id, tag_id, count in (
        ArtworkTag.objects.filter(artwork__artist_id__in=user_ids)
        .values("artwork__artist_id", "tag_id")
        .annotate(n=Count("artwork_id"))
        .values_list("artwork__artist_id", "tag_id", "n")
    ):
        artwork_tags[user_id][tag_id] = count
    return skills, styles, artwork_tags


def _people(user_ids: set[int]) -> dict[int, dict]:
    """Username, whether they may be suggested, and last activity (sign-in or profile change)."""
    from konnaxion.users.models import User

    people = {}
    for (
        user_id,
        username,
        active,
        last_login,
        discoverable,
        visibility,
        updated,
    ) in User.objects.filter(pk__in=user_ids).values_list(
        "pk",
        "username",
        "is_active",
        "last_login",
        "professional_profile__discoverable",
        "professional_profile__visibility",
        "professional_profile__updated_at",
    ):
        moments = [moment for moment in (last_login, updated) if moment is not None]
        people[user_id] = {
            "username": username,
            "hidden": not active
            or discoverable is False
            or visibility == ProfessionalProfile.Visibility.HIDDEN,
            "last_active": max(moments) if moments else None,
        }
    return people


def _expertise(user_ids: set[int]) -> dict[int, dict[str, float]]:
    """EkoH weighted scores by category; people whose EkoH identity is anonymous are left out."""
    from konnaxion.ekoh.models import UserExpertiseScore

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
    from konnaxion.smart_vote.models import VoteResult

    results = {}
    for target_id, total, weight, count in VoteResult.objects.filter(
        target_type=PERSON_VOTE_TARGET, target_id__in=[str(user_id) for user_id in user_ids]
    ).values_list("target_id", "sum_weighted_value", "sum_weight", "vote_count"):
        if weight and count:
            results[int(target_id)] = (float(total) / float(weight), int(count))
    return results
