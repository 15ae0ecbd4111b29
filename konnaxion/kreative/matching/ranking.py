"""`rank`: candidates, scores, penalties, diversity re-rank and reasons for one viewer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .collaboration import collaboration_score
from .index import MAX_POSTINGS_WALKED, MatchingIndex
from .reasons import Reason, reasons_for
from .signals import (
    DEFAULT_WEIGHTS,
    OPTIONAL_SIGNALS,
    DirectionScore,
    RankingWeights,
    score_direction,
)
from .walks import walk_candidates

PURPOSE_FOLLOW = "follow"
PURPOSE_COLLABORATE = "collaborate"
PURPOSES = frozenset({PURPOSE_FOLLOW, PURPOSE_COLLABORATE})
MAX_TOP_N = 50


@dataclass(frozen=True)
class Suggestion:
    """One suggested person: relevance score (after penalties) and why, strongest reason first."""

    user_id: int
    username: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass
class _Scored:
    user_id: int
    username: str
    score: float
    forward: DirectionScore


def rank(
    *,
    viewer: int,
    index: MatchingIndex,
    purpose: str = PURPOSE_FOLLOW,
    top_n: int = 8,
    signals: Iterable[str] = (),
    weights: RankingWeights = DEFAULT_WEIGHTS,
) -> list[Suggestion]:
    """Up to `top_n` people for `viewer`, best first, never an excluded person.

    Raises ValueError for an unknown purpose or signal, or `top_n` outside 1..MAX_TOP_N.
    A viewer the index does not know gets an empty list.
    """
    wanted = frozenset(signals)
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}")
    if wanted - OPTIONAL_SIGNALS:
        raise ValueError(f"unknown signals: {', '.join(sorted(wanted - OPTIONAL_SIGNALS))}")
    if not 1 <= top_n <= MAX_TOP_N:
        raise ValueError(f"top_n must be between 1 and {MAX_TOP_N}")
    if viewer not in index.usernames:
        return []

    dismissals = index.dismissal_counts.get(viewer, {})
    ignored = index.ignored_impressions.get(viewer, {})
    scored = []
    for candidate in candidates_for(index, viewer=viewer, weights=weights):
        forward = score_direction(
            index, source=viewer, target=candidate, signals=wanted, weights=weights
        )
        score = forward.total
        if purpose == PURPOSE_COLLABORATE:
            backward = score_direction(
                index, source=candidate, target=viewer, signals=wanted, weights=weights
            ).total
            score = 2.0 * score * backward / (score + backward) if score and backward else 0.0
            score += collaboration_score(
                index, viewer=viewer, candidate=candidate, weights=weights, result=forward
            )
        if score <= 0.0:
            continue
        score *= weights.dismissal_factor ** dismissals.get(candidate, 0)
        score *= weights.ignored_impression_factor ** ignored.get(candidate, 0)
        scored.append(_Scored(candidate, index.usernames[candidate], score, forward))

    scored.sort(key=lambda item: (-item.score, item.username, item.user_id))
    chosen = _diversify(index, scored, top_n=top_n, trade_off=weights.diversity_lambda)
    return [
        Suggestion(
            user_id=item.user_id,
            username=item.username,
            score=round(item.score, 6),
            reasons=reasons_for(index, item.forward),
        )
        for item in chosen
    ]


def candidates_for(
    index: MatchingIndex, *, viewer: int, weights: RankingWeights = DEFAULT_WEIGHTS
) -> set[int]:
    """People sharing a tag or style, friends of friends, followers, co-participants and theirs,
    the popular and the nearest by the multi-hop walk.

    Walks inverted indexes and adjacency sets from the viewer (never every user) and removes
    everyone the viewer must not be shown: self, followed, blocked either way, dismissed, hidden.
    """
    found: set[int] = set()
    for tag_id in index.documents.get(viewer, ()):
        posting = index.postings.get(tag_id, ())
        if len(posting) <= MAX_POSTINGS_WALKED:
            found.update(posting)
    for tag_id in index.styles.get(viewer, ()):
        posting = index.style_postings.get(tag_id, ())
        if len(posting) <= MAX_POSTINGS_WALKED:
            found.update(posting)
    following = index.following.get(viewer, frozenset())
    for person in following:
        their_follows = index.following.get(person, ())
        if len(their_follows) <= MAX_POSTINGS_WALKED:
            found.update(their_follows)
    found.update(index.followers.get(viewer, ()))
    found.update(index.popular)
    found.update(index.co_participations.get(viewer, ()))
    for person in index.worked_together.get(viewer, {}):
        # People who worked with the people the viewer worked with.
        found.add(person)
        their_collaborators = index.worked_together.get(person, {})
        if len(their_collaborators) <= MAX_POSTINGS_WALKED:
            found.update(their_collaborators)
    if weights.walk:
        found.update(walk_candidates(index, viewer, weights.three_step))

    found.discard(viewer)
    found -= following
    found -= index.blocked.get(viewer, frozenset())
    found -= index.dismissed.get(viewer, frozenset())
    found -= index.hidden
    return found


def _diversify(
    index: MatchingIndex, ranked: list[_Scored], *, top_n: int, trade_off: float
) -> list[_Scored]:
    """Maximal marginal relevance over the best few: relevance minus likeness to those chosen.

    Likeness is the Jaccard similarity of the two people's tags and styles. Ties keep the
    relevance order, which is itself deterministic.
    """
    pool = ranked[: max(3 * top_n, 30)]
    if not pool:
        return []
    best = pool[0].score
    closest = [0.0] * len(pool)
    taken = [False] * len(pool)
    chosen: list[_Scored] = []
    # Only people sharing a tag or style with the one just picked can become more alike to
    # those chosen: an inverted index over the pool finds them without comparing every pair.
    tags = [index.profile_tags.get(item.user_id, frozenset()) for item in pool]
    sharing: dict[int, list[int]] = {}
    for position, profile_tags in enumerate(tags):
        for tag_id in profile_tags:
            sharing.setdefault(tag_id, []).append(position)
    while len(chosen) < min(top_n, len(pool)):
        pick = -1
        pick_value = 0.0
        for position, item in enumerate(pool):
            if taken[position]:
                continue
            value = trade_off * item.score / best - (1.0 - trade_off) * closest[position]
            if pick < 0 or value > pick_value:
                pick, pick_value = position, value
        taken[pick] = True
        chosen.append(pool[pick])
        picked_tags = tags[pick]
        alike = {position for tag_id in picked_tags for position in sharing[tag_id]}
        for position in alike:
            if not taken[position]:
                likeness = _jaccard(tags[position], picked_tags)
                closest[position] = max(closest[position], likeness)
    return chosen


def _jaccard(first: frozenset[int], second: frozenset[int]) -> float:
    if not first or not second:
        return 0.0
    common = len(first & second)
    return common / (len(first) + len(second) - common) if common else 0.0
