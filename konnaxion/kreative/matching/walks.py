"""Multi-hop proximity in the tie graph: how near two people are beyond shared neighbours.

The tie graph is undirected: two people are tied when one follows the other or when they
worked together (a shared session or project). From a source, paths of two and three steps are
counted, each intermediary weighing one over its degree (as a random walk leaving it would):

    two[c]   = sum over paths s - m - c       of 1 / degree(m)
    three[c] = sum over paths s - m - n - c   of 1 / (degree(m) x degree(n))

which is personalized PageRank truncated after three steps, times the source's degree (a
constant for one source). Both sums are symmetric: two[c] seen from s equals two[s] seen from c,
so the `collaborate` purpose reads its backward direction from the viewer's walk. People with
more than `MAX_POSTINGS_WALKED` ties are not walked through (as hubs are not elsewhere).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .index import MAX_POSTINGS_WALKED, MatchingIndex

# The people a walk reaches, best first, that become candidates (beside tags, follows, ...).
WALK_CANDIDATES = 100


@dataclass(frozen=True)
class Walk:
    """What a walk from one source found: two- and three-step sums, shared ties per person."""

    two: dict[int, float]
    three: dict[int, float]
    mutual: dict[int, int]

    def proximity(self, target: int, three_step_weight: float) -> float:
        return self.two.get(target, 0.0) + three_step_weight * self.three.get(target, 0.0)


def walk_from(index: MatchingIndex, source: int, three_step_weight: float) -> Walk:
    """The walk from `source`, computed once per index and source (the three-step sums only
    when they count)."""
    cached = index.walks.get(source)
    if cached is not None:
        return cached
    ties = index.ties
    two: dict[int, float] = defaultdict(float)
    mutual: dict[int, int] = defaultdict(int)
    for middle in ties.get(source, ()):
        around = ties.get(middle, ())
        if len(around) > MAX_POSTINGS_WALKED:
            continue
        step = 1.0 / index.tie_degree(middle)
        for person in around:
            if person != source:
                two[person] += step
                mutual[person] += 1
    three: dict[int, float] = defaultdict(float)
    for middle, reached in two.items() if three_step_weight else ():
        around = ties.get(middle, ())
        if len(around) > MAX_POSTINGS_WALKED:
            continue
        step = reached / index.tie_degree(middle)
        for person in around:
            if person != source:
                three[person] += step
    walk = Walk(two=dict(two), three=dict(three), mutual=dict(mutual))
    index.walks[source] = walk
    return walk


def proximity(
    index: MatchingIndex, source: int, target: int, three_step_weight: float
) -> tuple[float, int]:
    """Multi-hop proximity of two people and how many ties they share, from whichever of the
    two already has a walk (the viewer's is computed first), else from `source`."""
    walk = index.walks.get(source)
    other = target
    if walk is None and target in index.walks:
        walk, other = index.walks[target], source
    if walk is None:
        walk = walk_from(index, source, three_step_weight)
    return walk.proximity(other, three_step_weight), walk.mutual.get(other, 0)


def walk_candidates(index: MatchingIndex, source: int, three_step_weight: float) -> list[int]:
    """The `WALK_CANDIDATES` people nearest to `source` by the walk (ties by id)."""
    walk = walk_from(index, source, three_step_weight)
    reached = set(walk.two) | set(walk.three)
    return sorted(reached, key=lambda person: (-walk.proximity(person, three_step_weight), person))[
        :WALK_CANDIDATES
    ]
