"""Each signal of one direction (source looking at target), with the evidence that explains it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .index import MatchingIndex, VoteSummary
from .walks import proximity

SIGNAL_EKOH = "ekoh"
SIGNAL_SMART_VOTE = "smart_vote"
OPTIONAL_SIGNALS = frozenset({SIGNAL_EKOH, SIGNAL_SMART_VOTE})

# A weighted EkoH score of this much in a shared domain reads as "strong in <domain>".
STRONG_EXPERTISE_SCORE = 50.0
# Smart Vote results are shrunk towards zero until a person has this many votes about them.
VOTE_PRIOR_COUNT = 5


@dataclass(frozen=True)
class RankingWeights:
    """How much each signal counts. Tuned on the offline evaluation's tuning seeds."""

    tags: float = 1.0
    styles: float = 0.4
    graph: float = 2.0
    follows_you: float = 1.0
    popularity: float = 0.3
    co_participation: float = 0.8
    ekoh: float = 0.5
    smart_vote: float = 0.3
    activity_share: float = 0.3
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    dismissal_factor: float = 0.5
    ignored_impression_factor: float = 0.85
    diversity_lambda: float = 0.8
    # Graph proximity: "adamic_adar" weighs an intermediary 1 / log(2 + degree),
    # "resource_allocation" 1 / (1 + degree), which discounts hubs harder.
    proximity: str = "adamic_adar"
    # Extra popularity weight for a viewer who follows few people: popularity x (1 + prior /
    # (1 + people followed)). Zero: the same popularity weight for everyone.
    popularity_prior: float = 6.0
    # Multi-hop proximity in the tie graph (`walks.py`): weight x p / (p + walk_saturation),
    # p = two-step sum + three_step x three-step sum. Three steps gained nothing measurable
    # on the tuning seeds and would make a capped neighbourhood rank unlike an uncapped one
    # (docs/matching.md): off by default.
    walk: float = 2.0
    walk_saturation: float = 1.0
    three_step: float = 0.0
    # `collaborate` only (`collaboration.py`): the candidate says they are open to
    # collaboration; worked with people the viewer worked with; worked with people whose
    # skills are like the viewer's, bringing skills the viewer does not list.
    open_to_collaboration: float = 0.6
    collaborators_circle: float = 0.8
    complementary: float = 0.8


DEFAULT_WEIGHTS = RankingWeights()


@dataclass
class DirectionScore:
    """The score of `target` seen from `source`, and per signal its contribution and evidence."""

    total: float = 0.0
    contributions: dict[str, float] = field(default_factory=dict)
    shared_skills: tuple[int, ...] = ()
    shared_tags: tuple[int, ...] = ()
    shared_styles: tuple[int, ...] = ()
    followed_by_your_follows: int = 0
    followers: int = 0
    sessions_together: int = 0
    strong_in: str | None = None
    votes: VoteSummary | None = None
    mutual_connections: int = 0
    collaborators_in_common: int = 0
    people_like_you: int = 0
    complementary_skills: tuple[int, ...] = ()


def score_direction(
    index: MatchingIndex,
    *,
    source: int,
    target: int,
    signals: frozenset[str],
    weights: RankingWeights,
) -> DirectionScore:
    """Score `target` for `source`: a weighted sum of signals times a recent-activity factor."""
    result = DirectionScore()
    _tags(index, source, target, weights, result)
    _styles(index, source, target, weights, result)
    _graph(index, source, target, weights, result)
    _walk(index, source, target, weights, result)
    if SIGNAL_EKOH in signals:
        _ekoh(index, source, target, weights, result)
    if SIGNAL_SMART_VOTE in signals:
        _smart_vote(index, target, weights, result)
    relevance = sum(result.contributions.values())
    activity = index.activity.get(target, 0.0)
    result.total = relevance * (1.0 - weights.activity_share + weights.activity_share * activity)
    return result


def _tags(
    index: MatchingIndex, source: int, target: int, weights: RankingWeights, result: DirectionScore
) -> None:
    """BM25 over skills and artwork tags, normalised by the best score the source could get."""
    query = index.documents.get(source)
    document = index.documents.get(target)
    if not query or not document:
        return
    k1 = weights.bm25_k1
    length_norm = k1 * (
        1.0
        - weights.bm25_b
        + weights.bm25_b * index.document_lengths[target] / index.average_document_length
    )
    raw = ideal = 0.0
    shared: list[int] = []
    for tag_id, query_weight in query.items():
        idf = index.idf(tag_id) * min(1.0, query_weight)
        ideal += idf
        frequency = document.get(tag_id)
        if frequency:
            raw += idf * frequency * (k1 + 1.0) / (frequency + length_norm)
            shared.append(tag_id)
    if not raw:
        return
    result.contributions["tags"] = weights.tags * raw / ideal
    skills = index.skills.get(source, frozenset()) & index.skills.get(target, frozenset())
    by_rarity = sorted(shared, key=lambda tag_id: (-index.idf(tag_id), _name(index, tag_id)))
    result.shared_skills = tuple(tag_id for tag_id in by_rarity if tag_id in skills)
    result.shared_tags = tuple(tag_id for tag_id in by_rarity if tag_id not in skills)


def _styles(
    index: MatchingIndex, source: int, target: int, weights: RankingWeights, result: DirectionScore
) -> None:
    """Cosine similarity of the two style sets, each style weighted by its rarity."""
    mine = index.styles.get(source)
    theirs = index.styles.get(target)
    if not mine or not theirs:
        return
    shared = mine & theirs
    if not shared:
        return
    numerator = sum(index.style_idf(tag_id) ** 2 for tag_id in shared)
    norm_mine = math.sqrt(sum(index.style_idf(tag_id) ** 2 for tag_id in mine))
    norm_theirs = math.sqrt(sum(index.style_idf(tag_id) ** 2 for tag_id in theirs))
    if not numerator:
        return
    result.contributions["styles"] = weights.styles * numerator / (norm_mine * norm_theirs)
    result.shared_styles = tuple(
        sorted(shared, key=lambda tag_id: (-index.style_idf(tag_id), _name(index, tag_id)))
    )


def _graph(
    index: MatchingIndex, source: int, target: int, weights: RankingWeights, result: DirectionScore
) -> None:
    """Adamic-Adar over followed people who follow the target, follow-back, popularity, co-work."""
    empty: frozenset[int] = frozenset()
    intermediaries = index.following.get(source, empty) & index.followers.get(target, empty)
    if intermediaries:
        adamic_adar = sum(
            intermediary_weight(index.degree(person), weights.proximity)
            for person in intermediaries
        )
        result.contributions["graph"] = weights.graph * adamic_adar / (1.0 + adamic_adar)
        result.followed_by_your_follows = len(intermediaries)
    if source in index.following.get(target, empty):
        result.contributions["follows_you"] = weights.follows_you
    followers = index.follower_count(target)
    if followers:
        popularity = math.log1p(followers) / math.log1p(index.most_followers)
        prior = 1.0
        if weights.popularity_prior:
            prior += weights.popularity_prior / (1.0 + len(index.following.get(source, empty)))
        result.contributions["popularity"] = weights.popularity * prior * popularity
        result.followers = followers
    sessions = index.co_participations.get(source, {}).get(target, 0)
    if sessions:
        result.contributions["co_participation"] = weights.co_participation * (1.0 - 0.5**sessions)
        result.sessions_together = sessions


def _walk(
    index: MatchingIndex, source: int, target: int, weights: RankingWeights, result: DirectionScore
) -> None:
    """Multi-hop proximity (two and three steps in the tie graph), saturated."""
    if not weights.walk:
        return
    near, mutual = proximity(index, source, target, weights.three_step)
    if near > 0:
        result.contributions["walk"] = weights.walk * near / (near + weights.walk_saturation)
        result.mutual_connections = mutual


def intermediary_weight(degree: int, proximity: str) -> float:
    """How much one shared neighbour of this degree brings to graph proximity."""
    if proximity == "resource_allocation":
        return 1.0 / (1.0 + degree)
    return 1.0 / math.log(2.0 + degree)


def _ekoh(
    index: MatchingIndex, source: int, target: int, weights: RankingWeights, result: DirectionScore
) -> None:
    """The target's best EkoH expertise among the domains the source also has expertise in."""
    mine = index.expertise.get(source)
    theirs = index.expertise.get(target)
    if not mine or not theirs:
        return
    shared = [(score, name) for name, score in theirs.items() if name in mine and score > 0]
    if not shared:
        return
    score, name = min(shared, key=lambda item: (-item[0], item[1]))
    result.contributions["ekoh"] = weights.ekoh * min(1.0, score / 100.0)
    if score >= STRONG_EXPERTISE_SCORE:
        result.strong_in = name


def _smart_vote(
    index: MatchingIndex, target: int, weights: RankingWeights, result: DirectionScore
) -> None:
    """Smart Vote results about the target, shrunk towards zero when there are few votes."""
    votes = index.vote_results.get(target)
    if votes is None:
        return
    confidence = votes.count / (votes.count + VOTE_PRIOR_COUNT)
    value = max(0.0, min(1.0, votes.mean)) * confidence
    if value > 0:
        result.contributions["smart_vote"] = weights.smart_vote * value
        result.votes = votes


def _name(index: MatchingIndex, tag_id: int) -> str:
    return index.tag_names.get(tag_id, str(tag_id))
