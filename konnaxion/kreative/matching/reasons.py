"""Why a person is suggested, as data: a stable code and its parameters, never finished text.

The ranking stores and serves reasons in this form; `reason_text` turns one into a sentence
in the active language when it is displayed.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

from .index import MatchingIndex
from .signals import DirectionScore

MAX_REASONS = 3
NAMES_PER_REASON = 3

SHARED_SKILLS = "shared_skills"
SHARED_TAGS = "shared_tags"
SHARED_STYLES = "shared_styles"
FOLLOWED_BY_PEOPLE_YOU_FOLLOW = "followed_by_people_you_follow"
FOLLOWS_YOU = "follows_you"
FOLLOWERS = "followers"
COLLABORATED = "collaborated"
STRONG_IN = "strong_in"
WELL_RATED = "well_rated"
MUTUAL_CONNECTIONS = "mutual_connections"
WIDER_NETWORK = "wider_network"
OPEN_TO_COLLABORATION = "open_to_collaboration"
WORKED_WITH_YOUR_COLLABORATORS = "worked_with_your_collaborators"
WORKED_WITH_PEOPLE_LIKE_YOU = "worked_with_people_like_you"
COMPLEMENTARY_SKILLS = "complementary_skills"
# Every code, in the order that breaks a tie between two equally strong reasons.
REASON_CODES = (
    COLLABORATED,
    COMPLEMENTARY_SKILLS,
    FOLLOWED_BY_PEOPLE_YOU_FOLLOW,
    FOLLOWERS,
    FOLLOWS_YOU,
    MUTUAL_CONNECTIONS,
    OPEN_TO_COLLABORATION,
    SHARED_SKILLS,
    SHARED_STYLES,
    SHARED_TAGS,
    STRONG_IN,
    WELL_RATED,
    WIDER_NETWORK,
    WORKED_WITH_PEOPLE_LIKE_YOU,
    WORKED_WITH_YOUR_COLLABORATORS,
)


class Reason(TypedDict):
    """One reason, JSON-ready. Which parameters come with which code:

    - `shared_skills`, `shared_tags`, `shared_styles`, `complementary_skills` (skills the
      viewer does not list): `count`, `names` of the rarest (at most three, rarest first) and
      `more`, how many are not named;
    - `followed_by_people_you_follow`, `followers`, `mutual_connections`,
      `worked_with_your_collaborators`, `worked_with_people_like_you`: `count` people;
    - `collaborated`: `count` sessions together; `well_rated`: `count` Smart Vote votes;
    - `strong_in`: `domain`, the EkoH domain's name;
    - `follows_you`, `wider_network`, `open_to_collaboration`: nothing.
    """

    code: str
    count: NotRequired[int]
    names: NotRequired[list[str]]
    more: NotRequired[int]
    domain: NotRequired[str]


def reasons_for(index: MatchingIndex, score: DirectionScore) -> tuple[Reason, ...]:
    """The reasons of the strongest signals, strongest first, at most `MAX_REASONS`."""
    weighed: list[tuple[float, Reason]] = []
    contributions = score.contributions
    if "tags" in contributions:
        # The tag signal is explained by its shared skills and, separately, its other shared tags.
        total = len(score.shared_skills) + len(score.shared_tags)
        if score.shared_skills:
            share = contributions["tags"] * len(score.shared_skills) / total
            weighed.append((share, _shared(index, SHARED_SKILLS, score.shared_skills)))
        if score.shared_tags:
            share = contributions["tags"] * len(score.shared_tags) / total
            weighed.append((share, _shared(index, SHARED_TAGS, score.shared_tags)))
    if "styles" in contributions:
        reason = _shared(index, SHARED_STYLES, score.shared_styles)
        weighed.append((contributions["styles"], reason))
    if "graph" in contributions:
        reason = Reason(code=FOLLOWED_BY_PEOPLE_YOU_FOLLOW, count=score.followed_by_your_follows)
        weighed.append((contributions["graph"], reason))
    if "follows_you" in contributions:
        weighed.append((contributions["follows_you"], Reason(code=FOLLOWS_YOU)))
    if "popularity" in contributions:
        weighed.append((contributions["popularity"], Reason(code=FOLLOWERS, count=score.followers)))
    if "co_participation" in contributions:
        reason = Reason(code=COLLABORATED, count=score.sessions_together)
        weighed.append((contributions["co_participation"], reason))
    if "ekoh" in contributions and score.strong_in:
        weighed.append((contributions["ekoh"], Reason(code=STRONG_IN, domain=score.strong_in)))
    if "smart_vote" in contributions and score.votes:
        reason = Reason(code=WELL_RATED, count=score.votes.count)
        weighed.append((contributions["smart_vote"], reason))
    if "walk" in contributions and "graph" not in contributions:
        # With people the viewer follows following the candidate, that reason says it already.
        reason = (
            Reason(code=MUTUAL_CONNECTIONS, count=score.mutual_connections)
            if score.mutual_connections
            else Reason(code=WIDER_NETWORK)
        )
        weighed.append((contributions["walk"], reason))
    if "open_to_collaboration" in contributions:
        weighed.append((contributions["open_to_collaboration"], Reason(code=OPEN_TO_COLLABORATION)))
    if "collaborators_circle" in contributions:
        reason = Reason(code=WORKED_WITH_YOUR_COLLABORATORS, count=score.collaborators_in_common)
        weighed.append((contributions["collaborators_circle"], reason))
    if "complementary" in contributions:
        # Explained twice, half each: who they worked with, and what they bring.
        half = contributions["complementary"] / 2.0
        reason = Reason(code=WORKED_WITH_PEOPLE_LIKE_YOU, count=score.people_like_you)
        weighed.append((half, reason))
        weighed.append((half, _shared(index, COMPLEMENTARY_SKILLS, score.complementary_skills)))
    weighed.sort(key=lambda item: (-item[0], REASON_CODES.index(item[1]["code"])))
    return tuple(reason for _, reason in weighed[:MAX_REASONS])


def _shared(index: MatchingIndex, code: str, tag_ids: tuple[int, ...]) -> Reason:
    names = [index.tag_names.get(tag_id, str(tag_id)) for tag_id in tag_ids[:NAMES_PER_REASON]]
    return Reason(code=code, count=len(tag_ids), names=names, more=len(tag_ids) - len(names))
