"""Classical graph-only link predictors, as a reference for the offline evaluation.

They are not baselines (the target compares the ranking with random, popularity and tag
Jaccard): they show how far the follow graph alone can go on each dataset, so that a ratio on a
tiny graph can be read against what the best-known methods reach on the same split. Textbook
parameters, never tuned on the evaluation: personalized PageRank with a restart probability of
0.15, and Katz with a damping of half the inverse of the largest eigenvalue.

Dense matrices: fine for the datasets here (at most a few hundred people).
"""

from __future__ import annotations

import numpy as np

REFERENCES = ("personalized PageRank", "Katz")
RESTART = 0.15


def _adjacency(users: list[int], training: dict[int, set[int]]) -> np.ndarray:
    position = {user: number for number, user in enumerate(users)}
    matrix = np.zeros((len(users), len(users)))
    for user, followees in training.items():
        for followee in followees:
            matrix[position[user], position[followee]] = 1.0
    return matrix


def reference_scores(users: list[int], training: dict[int, set[int]]) -> dict[str, np.ndarray]:
    """{predictor: matrix whose row i scores everyone for users[i]} on the training graph,
    taken as undirected (a follow in either direction ties two people)."""
    ties = _adjacency(users, training)
    ties = np.maximum(ties, ties.T)
    identity = np.eye(len(users))
    degree = ties.sum(axis=1)
    # A walk from someone without ties restarts at once.
    transition = ties / np.where(degree > 0, degree, 1.0)[:, None]
    pagerank = RESTART * np.linalg.inv(identity - (1.0 - RESTART) * transition)
    largest = max(np.abs(np.linalg.eigvals(ties)).max(), 1.0)
    katz = np.linalg.inv(identity - (0.5 / largest) * ties) - identity
    return {"personalized PageRank": pagerank, "Katz": katz}


def top_k(row: np.ndarray, users: list[int], excluded: set[int], k: int) -> list[int]:
    """The k best-scored people of `row` (scores in the order of `users`) outside `excluded`;
    ties go to the smaller id."""
    order = np.lexsort((np.asarray(users), -row))
    ranked = (users[position] for position in order if users[position] not in excluded)
    return [user for user, _ in zip(ranked, range(k), strict=False)]
