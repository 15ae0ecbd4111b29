"""Signals that count only for the `collaborate` purpose ("To work with"), not for "To follow".

- open to collaboration: the candidate says so on their profile;
- collaborators' circle: the candidate worked (a shared session or project) with people the
  viewer worked with, `1 - 0.5^people`;
- complementary skills: the candidate worked with people whose skills are like the viewer's
  (share of the viewer's skills they list, summed, `1 - 0.5^sum`) and lists skills the viewer
  does not (the share of the candidate's skills that are new to the viewer).
"""

from __future__ import annotations

from .index import MatchingIndex
from .signals import DirectionScore, RankingWeights


def collaboration_score(
    index: MatchingIndex,
    *,
    viewer: int,
    candidate: int,
    weights: RankingWeights,
    result: DirectionScore,
) -> float:
    """Add the collaboration signals to `result` (viewer looking at candidate) and return what
    they add to the score, scaled by the candidate's recent-activity factor like the rest."""
    added = 0.0
    if candidate in index.open_to_collaboration and weights.open_to_collaboration:
        result.contributions["open_to_collaboration"] = weights.open_to_collaboration
        added += weights.open_to_collaboration
    worked_with = index.worked_together
    theirs = worked_with.get(candidate, {})
    mine = worked_with.get(viewer, {})
    in_common = sum(1 for person in mine if person in theirs)
    if in_common and weights.collaborators_circle:
        value = weights.collaborators_circle * (1.0 - 0.5**in_common)
        result.contributions["collaborators_circle"] = value
        result.collaborators_in_common = in_common
        added += value
    added += _complementary(index, viewer, candidate, theirs, weights, result)
    activity = index.activity.get(candidate, 0.0)
    return added * (1.0 - weights.activity_share + weights.activity_share * activity)


def _complementary(
    index: MatchingIndex,
    viewer: int,
    candidate: int,
    theirs: dict[int, int],
    weights: RankingWeights,
    result: DirectionScore,
) -> float:
    my_skills = index.skills.get(viewer, frozenset())
    their_skills = index.skills.get(candidate, frozenset())
    if not my_skills or not their_skills or not weights.complementary:
        return 0.0
    likeness = 0.0
    alike = 0
    for person in theirs:
        shared = len(my_skills & index.skills.get(person, frozenset()))
        if person != viewer and shared:
            likeness += shared / len(my_skills)
            alike += 1
    new_to_viewer = their_skills - my_skills
    if not alike or not new_to_viewer:
        return 0.0
    value = weights.complementary * (1.0 - 0.5**likeness) * len(new_to_viewer) / len(their_skills)
    result.contributions["complementary"] = value
    result.people_like_you = alike
    result.complementary_skills = tuple(
        sorted(
            new_to_viewer,
            key=lambda tag_id: (-index.idf(tag_id), index.tag_names.get(tag_id, str(tag_id))),
        )
    )
    return value
