"""People matching, the implementation behind `services/intelligent_matching.py`.

Code outside this package goes through that service, which re-exports what callers need;
only the offline evaluation (`bench/matching_eval.py`), which has no database, imports the
ranking core from here. The package holds:

- the ranking core, re-exported here: `index.py`, `signals.py`, `walks.py` (multi-hop
  proximity), `collaboration.py` (signals of the `collaborate` purpose), `ranking.py`,
  `reasons.py`.
  Pure Python over plain mappings (no Django, no ORM): importing the package loads nothing else;
- `neighbourhood.py` (its SQL in `neighbourhood_sql.py`): loads one viewer's neighbourhood from
  the database into a `MatchingIndex`;
- `statistics.py`: the population-wide figures it needs, computed in SQL and cached;
- `reason_text.py`: reasons worded in the reader's language (gettext).

Build an index with `MatchingIndex.build(...)`; every argument is keyword-only and all but
`usernames` may be left out:

- `usernames`: {user_id: username}. The people the index knows (candidates and viewers).
- `tag_names`: {tag_id: name}, the shared `kreative.Tag` vocabulary, used in the reasons.
- `skills`: {user_id: [tag_id, ...]}, the tags a profile lists as skills.
- `styles`: {user_id: [tag_id, ...]}, the tags a profile lists as styles.
- `artwork_tags`: {user_id: {tag_id: number of the user's artworks carrying the tag}}.
- `follows`: {follower_id: [followee_id, ...]}, the directed follow graph.
- `co_participations`: [(user_id, user_id), ...], one pair per session both took part in.
- `worked_together`: [(user_id, user_id), ...], one pair per project (or other shared work)
  both took part in; sessions count as work together too.
- `open_to_collaboration`: [user_id, ...], people whose profile says they are open to it.
- `last_active`: {user_id: datetime}, with `now` (default: the latest of them) for the decay.
- `expertise`: {user_id: {category name: EkoH weighted score}}, optional.
- `vote_results`: {user_id: (mean normalised Smart Vote value in [0, 1], vote count)}, optional.
- `hidden`: [user_id, ...], people who are not discoverable or whose profile is hidden.
- `blocks`: [(blocker_id, blocked_id), ...]; either direction excludes both from each other.
- `dismissed`: {viewer_id: [user_id, ...]}, dismissals still in force: never suggested.
- `dismissal_counts`: {viewer_id: {user_id: n}}, past dismissals: each multiplies the score
  by `dismissal_factor`.
- `ignored_impressions`: {viewer_id: {user_id: n}}, suggestions shown and not acted on: each
  multiplies the score by `ignored_impression_factor`.

`rank(viewer=..., index=..., purpose="follow"|"collaborate", top_n=8, signals={"ekoh",
"smart_vote"})` returns `Suggestion(user_id, username, score, reasons)` objects, best first.
Reasons are data (`Reason`: a stable `code` from `REASON_CODES` and its parameters, e.g.
`{"code": "shared_skills", "count": 3, "names": ["cyanotype", ...], "more": 0}`), rendered to
text in the reader's language by `reason_text`.

Candidates come from the inverted indexes (tag -> people, style -> people), friends of friends
in the follow graph, followers and past co-participants. The score of a candidate sums BM25
over shared skills and artwork tags (rare tags weigh more), IDF-weighted style cosine,
Adamic-Adar over the people the viewer follows who follow the candidate, a multi-hop walk in
the tie graph (follows either way and work together, two and three steps), follow-back and
co-participation, and, when asked for and present, EkoH expertise in shared domains and Smart
Vote results; the sum is scaled by an exponentially decaying recent-activity factor. The
`collaborate` purpose takes the harmonic mean of both directions and adds openness to
collaboration, work with the viewer's collaborators and complementary skills of people who
worked with people like the viewer. Past dismissals and ignored
impressions push a person down, and a maximal-marginal-relevance pass keeps the top N from
being clones of each other. Equal input gives an equal order (ties by username, then id).
"""

from .index import CorpusStatistics, MatchingIndex, VoteSummary
from .ranking import (
    MAX_TOP_N,
    PURPOSE_COLLABORATE,
    PURPOSE_FOLLOW,
    PURPOSES,
    Suggestion,
    candidates_for,
    rank,
)
from .reasons import REASON_CODES, Reason
from .signals import (
    DEFAULT_WEIGHTS,
    OPTIONAL_SIGNALS,
    SIGNAL_EKOH,
    SIGNAL_SMART_VOTE,
    RankingWeights,
)

__all__ = [
    "DEFAULT_WEIGHTS",
    "MAX_TOP_N",
    "OPTIONAL_SIGNALS",
    "PURPOSES",
    "PURPOSE_COLLABORATE",
    "PURPOSE_FOLLOW",
    "REASON_CODES",
    "SIGNAL_EKOH",
    "SIGNAL_SMART_VOTE",
    "CorpusStatistics",
    "MatchingIndex",
    "RankingWeights",
    "Reason",
    "Suggestion",
    "VoteSummary",
    "candidates_for",
    "rank",
]
