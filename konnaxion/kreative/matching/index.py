"""The in-memory structures the ranking reads, built once from plain mappings.

`MatchingIndex.build` takes what the database-backed service loads with a few querysets and
turns it into inverted indexes (tag -> users), adjacency sets and per-user vectors, so that
ranking one viewer touches only the people reachable from that viewer.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .walks import Walk

# A tag listed as a skill counts fully; a tag on an artwork counts for each artwork carrying it,
# at a lower weight, and BM25 saturates repeated artwork tags.
SKILL_WEIGHT = 1.0
ARTWORK_TAG_WEIGHT = 0.5

# Tags (or followed people) with more members than this are too common to find candidates
# through: they still score the candidates found otherwise, but their postings are not walked.
MAX_POSTINGS_WALKED = 2_000

ACTIVITY_HALF_LIFE_DAYS = 30.0

# The most followed people are candidates for everyone, so a newcomer with no tags and no
# follows still gets suggestions; a small popularity signal ranks them.
POPULAR_CANDIDATES = 100


@dataclass(frozen=True)
class VoteSummary:
    """Smart Vote results about a person: mean normalised value in [0, 1] and number of votes."""

    mean: float
    count: int


@dataclass(frozen=True)
class CorpusStatistics:
    """Figures about the whole population, for an index that holds only part of it.

    The database-backed service loads one viewer's neighbourhood; these keep rarity (IDF),
    document lengths, degrees and popularity those of everybody, not of the loaded few.
    """

    population: int
    tag_frequencies: Mapping[int, int]
    style_frequencies: Mapping[int, int]
    average_document_length: float
    follower_counts: Mapping[int, int]
    following_counts: Mapping[int, int]
    most_followers: int
    popular: tuple[int, ...] = ()


@dataclass
class MatchingIndex:
    """Everything `rank` needs about every person, keyed by user id. Build it with `build`."""

    usernames: dict[int, str]
    tag_names: dict[int, str]
    skills: dict[int, frozenset[int]]
    styles: dict[int, frozenset[int]]
    documents: dict[int, dict[int, float]]
    document_lengths: dict[int, float]
    average_document_length: float
    postings: dict[int, tuple[int, ...]]
    style_postings: dict[int, tuple[int, ...]]
    profile_tags: dict[int, frozenset[int]]
    following: dict[int, frozenset[int]]
    followers: dict[int, frozenset[int]]
    popular: tuple[int, ...]
    most_followers: int
    co_participations: dict[int, dict[int, int]]
    activity: dict[int, float]
    expertise: dict[int, dict[str, float]]
    vote_results: dict[int, VoteSummary]
    hidden: frozenset[int]
    blocked: dict[int, frozenset[int]]
    dismissed: dict[int, frozenset[int]]
    dismissal_counts: dict[int, dict[int, int]]
    ignored_impressions: dict[int, dict[int, int]]
    statistics: CorpusStatistics | None = None
    # Undirected ties (a follow either way, or work together) for the multi-hop walk.
    ties: dict[int, frozenset[int]] = field(default_factory=dict)
    open_to_collaboration: frozenset[int] = frozenset()
    # Who worked with whom (a shared session or project): {user: {other: times}}.
    worked_together: dict[int, dict[int, int]] = field(default_factory=dict)
    walks: dict[int, Walk] = field(default_factory=dict, repr=False)  # by source
    _idf_cache: dict[int, float] = field(default_factory=dict, repr=False)
    _style_idf_cache: dict[int, float] = field(default_factory=dict, repr=False)

    @property
    def size(self) -> int:
        if self.statistics is not None:
            return max(self.statistics.population, len(self.usernames))
        return len(self.usernames)

    def idf(self, tag_id: int) -> float:
        """BM25 inverse document frequency of a skill or artwork tag (rare tags weigh more)."""
        cached = self._idf_cache.get(tag_id)
        if cached is None:
            frequency = len(self.postings.get(tag_id, ()))
            if self.statistics is not None:
                frequency = max(frequency, self.statistics.tag_frequencies.get(tag_id, 0))
            cached = bm25_idf(self.size, frequency)
            self._idf_cache[tag_id] = cached
        return cached

    def style_idf(self, tag_id: int) -> float:
        cached = self._style_idf_cache.get(tag_id)
        if cached is None:
            frequency = len(self.style_postings.get(tag_id, ()))
            if self.statistics is not None:
                frequency = max(frequency, self.statistics.style_frequencies.get(tag_id, 0))
            cached = bm25_idf(self.size, frequency)
            self._style_idf_cache[tag_id] = cached
        return cached

    def follower_count(self, user_id: int) -> int:
        loaded = len(self.followers.get(user_id, ()))
        if self.statistics is None:
            return loaded
        return max(loaded, self.statistics.follower_counts.get(user_id, 0))

    def degree(self, user_id: int) -> int:
        """Follows made plus follows received (the Adamic-Adar weight of an intermediary)."""
        following = len(self.following.get(user_id, ()))
        if self.statistics is not None:
            following = max(following, self.statistics.following_counts.get(user_id, 0))
        return following + self.follower_count(user_id)

    def tie_degree(self, user_id: int) -> int:
        """How many ties leave a person in the walk's graph (at least those loaded, at least 1)."""
        loaded = len(self.ties.get(user_id, ()))
        if self.statistics is None:
            return max(1, loaded)
        return max(1, loaded, self.degree(user_id) + len(self.worked_together.get(user_id, ())))

    @classmethod
    def build(
        cls,
        *,
        usernames: Mapping[int, str],
        tag_names: Mapping[int, str] | None = None,
        skills: Mapping[int, Iterable[int]] | None = None,
        styles: Mapping[int, Iterable[int]] | None = None,
        artwork_tags: Mapping[int, Mapping[int, int]] | None = None,
        follows: Mapping[int, Iterable[int]] | None = None,
        co_participations: Iterable[tuple[int, int]] = (),
        last_active: Mapping[int, datetime] | None = None,
        now: datetime | None = None,
        expertise: Mapping[int, Mapping[str, float]] | None = None,
        vote_results: Mapping[int, tuple[float, int]] | None = None,
        hidden: Iterable[int] = (),
        blocks: Iterable[tuple[int, int]] = (),
        dismissed: Mapping[int, Iterable[int]] | None = None,
        dismissal_counts: Mapping[int, Mapping[int, int]] | None = None,
        ignored_impressions: Mapping[int, Mapping[int, int]] | None = None,
        statistics: CorpusStatistics | None = None,
        open_to_collaboration: Iterable[int] = (),
        worked_together: Iterable[tuple[int, int]] = (),
    ) -> MatchingIndex:
        """Index plain mappings (shapes in the package docstring). Unknown user ids are dropped.

        `statistics`, when given, supplies population-wide figures for a partial index."""
        known = set(usernames)
        skills_by_user = _sets(skills, known)
        styles_by_user = _sets(styles, known)

        documents: dict[int, dict[int, float]] = {}
        postings: dict[int, list[int]] = defaultdict(list)
        style_postings: dict[int, list[int]] = defaultdict(list)
        for user_id in sorted(known):
            document: dict[int, float] = {}
            for tag_id in skills_by_user.get(user_id, ()):
                document[tag_id] = document.get(tag_id, 0.0) + SKILL_WEIGHT
            for tag_id, count in (artwork_tags or {}).get(user_id, {}).items():
                if count > 0:
                    document[tag_id] = document.get(tag_id, 0.0) + ARTWORK_TAG_WEIGHT * count
            if document:
                documents[user_id] = document
                for tag_id in document:
                    postings[tag_id].append(user_id)
            for tag_id in styles_by_user.get(user_id, ()):
                style_postings[tag_id].append(user_id)

        lengths = {user_id: sum(document.values()) for user_id, document in documents.items()}
        average = sum(lengths.values()) / len(lengths) if lengths else 1.0
        if statistics is not None and statistics.average_document_length > 0:
            average = statistics.average_document_length

        following: dict[int, set[int]] = defaultdict(set)
        followers: dict[int, set[int]] = defaultdict(set)
        for follower, followees in (follows or {}).items():
            if follower not in known:
                continue
            for followee in followees:
                if followee in known and followee != follower:
                    following[follower].add(followee)
                    followers[followee].add(follower)

        sessions = list(co_participations)
        co_counts: dict[int, dict[int, int]] = defaultdict(dict)
        for first, second in sessions:
            if first in known and second in known and first != second:
                co_counts[first][second] = co_counts[first].get(second, 0) + 1
                co_counts[second][first] = co_counts[second].get(first, 0) + 1

        # Sessions are work together too; projects only come through `worked_together`.
        together: dict[int, dict[int, int]] = defaultdict(dict)
        for first, second in (*sessions, *worked_together):
            if first in known and second in known and first != second:
                together[first][second] = together[first].get(second, 0) + 1
                together[second][first] = together[second].get(first, 0) + 1

        ties: dict[int, set[int]] = defaultdict(set)
        for person, others in following.items():
            ties[person] |= others
        for person, others in followers.items():
            ties[person] |= others
        for person, worked_with in together.items():
            ties[person].update(worked_with)

        blocked: dict[int, set[int]] = defaultdict(set)
        for blocker, blocked_user in blocks:
            blocked[blocker].add(blocked_user)
            blocked[blocked_user].add(blocker)

        return cls(
            usernames=dict(usernames),
            tag_names=dict(tag_names or {}),
            skills=skills_by_user,
            styles=styles_by_user,
            documents=documents,
            document_lengths=lengths,
            average_document_length=average or 1.0,
            postings={tag_id: tuple(users) for tag_id, users in postings.items()},
            style_postings={tag_id: tuple(users) for tag_id, users in style_postings.items()},
            profile_tags={
                user_id: frozenset(documents.get(user_id, ())) | styles_by_user.get(user_id, set())
                for user_id in known
            },
            following={user_id: frozenset(users) for user_id, users in following.items()},
            followers={user_id: frozenset(users) for user_id, users in followers.items()},
            popular=tuple(
                sorted(followers, key=lambda user_id: (-len(followers[user_id]), user_id))[
                    :POPULAR_CANDIDATES
                ]
            )
            if statistics is None
            else tuple(user_id for user_id in statistics.popular if user_id in known),
            most_followers=max(
                max((len(users) for users in followers.values()), default=0),
                statistics.most_followers if statistics is not None else 0,
            ),
            co_participations=dict(co_counts),
            activity=_activity(last_active or {}, now, known),
            expertise={
                user_id: {name: float(score) for name, score in scores.items()}
                for user_id, scores in (expertise or {}).items()
                if user_id in known and scores
            },
            vote_results={
                user_id: VoteSummary(mean=float(mean), count=int(count))
                for user_id, (mean, count) in (vote_results or {}).items()
                if user_id in known and count > 0
            },
            hidden=frozenset(hidden),
            blocked={user_id: frozenset(users) for user_id, users in blocked.items()},
            dismissed={user_id: frozenset(users) for user_id, users in (dismissed or {}).items()},
            dismissal_counts={
                user_id: dict(counts) for user_id, counts in (dismissal_counts or {}).items()
            },
            ignored_impressions={
                user_id: dict(counts) for user_id, counts in (ignored_impressions or {}).items()
            },
            statistics=statistics,
            ties={user_id: frozenset(users) for user_id, users in ties.items()},
            open_to_collaboration=frozenset(open_to_collaboration) & known,
            worked_together=dict(together),
        )


def bm25_idf(population: int, document_frequency: int) -> float:
    """BM25 inverse document frequency: rare tags weigh more, a tag everybody has about 0."""
    return math.log(1.0 + (population - document_frequency + 0.5) / (document_frequency + 0.5))


def _sets(
    mapping: Mapping[int, Iterable[int]] | None, known: set[int]
) -> dict[int, frozenset[int]]:
    return {
        user_id: frozenset(tags)
        for user_id, tags in (mapping or {}).items()
        if user_id in known and tags
    }


def _activity(
    last_active: Mapping[int, datetime], now: datetime | None, known: set[int]
) -> dict[int, float]:
    """Exponential decay of the time since each person's last activity, 1.0 = active right now."""
    if not last_active:
        return {}
    reference = now or max(last_active.values())
    decay = math.log(2) / ACTIVITY_HALF_LIFE_DAYS
    result = {}
    for user_id, moment in last_active.items():
        if user_id in known:
            age_days = max(0.0, (reference - moment).total_seconds() / 86_400)
            result[user_id] = math.exp(-decay * age_days)
    return result
