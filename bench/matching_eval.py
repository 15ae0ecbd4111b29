"""Offline quality of the people ranking (`konnaxion.kreative.matching`) against baselines.

For each dataset and seed, 20 % of everyone's follows are hidden; each method ranks people for
everyone who had follows hidden, from the remaining graph and the tags, and is scored on the
hidden follows: precision@k, recall@k, NDCG@k (k = 5, 10) and catalogue coverage (the share of
people who appear in at least one top 10). Methods: random, popularity (most followed first),
plain tag Jaccard and this project's ranking. Two classical graph-only link predictors
(bench/_link_predictors.py: personalized PageRank, Katz) are shown beside them as a reference:
not baselines of the target, they tell what the follow graph alone gives on each dataset.

It imports the pure ranking core from its package rather than through
`services/intelligent_matching.py`, the entry point of everything else: the core needs no
database, and the service would need Django set up over PostgreSQL and Redis.

    .venv/bin/python bench/matching_eval.py           # the reported seeds 1-5
    .venv/bin/python bench/matching_eval.py --tune    # the weight search, on seeds 101-103 only
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _link_predictors import REFERENCES, reference_scores, top_k
from _matching_datasets import (
    Dataset,
    Split,
    hold_out,
    networkx_graphs,
    planted_communities,
    with_community_tags,
)
from _table import print_table

from konnaxion.kreative.matching import DEFAULT_WEIGHTS, MatchingIndex, RankingWeights, rank

REPORTED_SEEDS = (1, 2, 3, 4, 5)
TUNING_SEEDS = (101, 102, 103)
TOP_K = 10
TARGET_RATIO = 1.3
# Against the better graph-only reference, on the datasets of at least REFERENCE_MIN_PEOPLE.
REFERENCE_TARGET_RATIO = 1.1
REFERENCE_MIN_PEOPLE = 70
NOW = datetime(2025, 1, 1, tzinfo=UTC)
METHODS = ("random", "popularity", "tag Jaccard", "Konnaxion ranking")


def _all_tags(dataset: Dataset, user: int) -> set[int]:
    tags = set(dataset.skills.get(user, ())) | set(dataset.artwork_tags.get(user, ()))
    return tags | {("style", style) for style in dataset.styles.get(user, ())}


def recommend_all(
    dataset: Dataset, split: Split, *, seed: int, weights: RankingWeights
) -> dict[str, dict[int, list[int]]]:
    """Top-k lists of every method for every evaluated person (never self or already followed)."""
    rng = random.Random(seed)
    viewers = sorted(split.held_out)
    training = split.training
    in_degree: dict[int, int] = defaultdict(int)
    for followees in training.values():
        for followee in followees:
            in_degree[followee] += 1
    by_popularity = sorted(dataset.users, key=lambda user: (-in_degree[user], user))

    tags = {user: _all_tags(dataset, user) for user in dataset.users}
    holders: dict[object, list[int]] = defaultdict(list)
    for user in dataset.users:
        for tag in tags[user]:
            holders[tag].append(user)

    index = MatchingIndex.build(
        usernames={user: f"user{user:06d}" for user in dataset.users},
        skills=dataset.skills,
        styles=dataset.styles,
        artwork_tags=dataset.artwork_tags,
        follows=training,
        last_active={
            user: NOW - timedelta(days=days) for user, days in dataset.days_since_active.items()
        },
        now=NOW,
    )

    lists: dict[str, dict[int, list[int]]] = {method: {} for method in (*METHODS, *REFERENCES)}
    references = reference_scores(dataset.users, training)
    position = {user: number for number, user in enumerate(dataset.users)}
    for viewer in viewers:
        excluded = training.get(viewer, set()) | {viewer}
        eligible = [user for user in dataset.users if user not in excluded]
        lists["random"][viewer] = rng.sample(eligible, min(TOP_K, len(eligible)))
        lists["popularity"][viewer] = [u for u in by_popularity if u not in excluded][:TOP_K]

        similarity: dict[int, float] = {}
        for tag in tags[viewer]:
            for other in holders[tag]:
                if other not in excluded and other not in similarity:
                    common = len(tags[viewer] & tags[other])
                    similarity[other] = common / (len(tags[viewer]) + len(tags[other]) - common)
        lists["tag Jaccard"][viewer] = sorted(similarity, key=lambda u: (-similarity[u], u))[:TOP_K]
        lists["Konnaxion ranking"][viewer] = [
            suggestion.user_id
            for suggestion in rank(viewer=viewer, index=index, top_n=TOP_K, weights=weights)
        ]
        for name, scores in references.items():
            lists[name][viewer] = top_k(scores[position[viewer]], dataset.users, excluded, TOP_K)
    return lists


def measure(
    lists: dict[int, list[int]], held_out: dict[int, set[int]], population: int
) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for viewer, relevant in held_out.items():
        ranked = lists.get(viewer, [])
        for k in (5, 10):
            hits = [1.0 if user in relevant else 0.0 for user in ranked[:k]]
            dcg = sum(hit / math.log2(position + 2) for position, hit in enumerate(hits))
            ideal = sum(1.0 / math.log2(position + 2) for position in range(min(k, len(relevant))))
            totals[f"P@{k}"] += sum(hits) / k
            totals[f"R@{k}"] += sum(hits) / len(relevant)
            totals[f"NDCG@{k}"] += dcg / ideal
    result = {name: value / len(held_out) for name, value in totals.items()}
    shown = {user for ranked in lists.values() for user in ranked[:TOP_K]}
    result["coverage"] = len(shown) / population
    return result


METRICS = ("P@5", "R@5", "NDCG@5", "P@10", "R@10", "NDCG@10", "coverage")


def evaluate(datasets, *, seeds, weights: RankingWeights) -> dict[str, dict[str, dict[str, float]]]:
    """{dataset name: {method: {metric: mean over seeds}}}; the "people" entry holds the
    dataset's size under "count"."""
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, make in datasets:
        methods = (*METHODS, *REFERENCES)
        sums: dict[str, dict[str, float]] = {method: defaultdict(float) for method in methods}
        for seed in seeds:
            dataset, split = make(seed)
            lists = recommend_all(dataset, split, seed=seed, weights=weights)
            for method in methods:
                for metric, value in measure(
                    lists[method], split.held_out, len(dataset.users)
                ).items():
                    sums[method][metric] += value / len(seeds)
        results[name] = {method: dict(values) for method, values in sums.items()}
        results[name]["people"] = {"count": len(dataset.users)}
    return results


def _planted(seed: int) -> tuple[Dataset, Split]:
    dataset = planted_communities(seed)
    return dataset, hold_out(dataset, seed=seed)


def _real(dataset: Dataset, real_tags: dict[int, list[int]]):
    def make(seed: int) -> tuple[Dataset, Split]:
        split = hold_out(dataset, seed=seed)
        return with_community_tags(dataset, split, real_tags=real_tags, seed=seed), split

    return make


def all_datasets():
    return [("planted communities", _planted)] + [
        (dataset.name, _real(dataset, real_tags)) for dataset, real_tags in networkx_graphs()
    ]


def report(results) -> bool:
    verdicts = []
    for name, by_method in results.items():
        rows = [
            [method if method in METHODS else f"(reference) {method}"]
            + [by_method[method][metric] for metric in METRICS]
            for method in (*METHODS, *REFERENCES)
        ]
        best_name, best = max(
            ((method, by_method[method]["NDCG@10"]) for method in METHODS[:-1]),
            key=lambda item: item[1],
        )
        ours = by_method["Konnaxion ranking"]["NDCG@10"]
        ratio = ours / best if best else math.inf
        passed = ratio >= TARGET_RATIO
        verdicts.append(passed)
        if passed:
            verdict = f"meets the {TARGET_RATIO} x target"
        elif TARGET_RATIO * best > 1.0:
            # NDCG is at most 1: no ranking can reach 1.3 x a baseline above 0.77.
            verdict = (
                f"the {TARGET_RATIO} x target ({TARGET_RATIO * best:.3f}) is unreachable here: "
                "NDCG cannot exceed 1.0"
            )
        else:
            verdict = f"misses the {TARGET_RATIO} x target"
        reference_name, reference = max(
            ((method, by_method[method]["NDCG@10"]) for method in REFERENCES),
            key=lambda item: item[1],
        )
        people = int(by_method["people"]["count"])
        against_reference = ours / reference if reference else math.inf
        if people < REFERENCE_MIN_PEOPLE:
            reference_verdict = f"not a target ({people} people, fewer than {REFERENCE_MIN_PEOPLE})"
        else:
            reference_passed = against_reference >= REFERENCE_TARGET_RATIO
            verdicts.append(reference_passed)
            reference_verdict = ("met" if reference_passed else "not met") + (
                f" (target {REFERENCE_TARGET_RATIO} x)"
            )
        footer = (
            f"NDCG@10 {ours:.3f} = {ratio:.2f} x the best baseline ({best_name}, {best:.3f}): "
            + verdict
            + f"\nbest graph-only reference: {reference_name}, "
            + f"{reference / best:.2f} x that baseline"
            + f"\nNDCG@10 {ours:.3f} = {against_reference:.2f} x that reference "
            + f"({reference:.3f}): {reference_verdict}"
        )
        print_table(
            title=f"{name}: mean of seeds {', '.join(map(str, REPORTED_SEEDS))}",
            columns=["method", *METRICS],
            rows=rows,
            footer=footer,
        )
    return all(verdicts)


# The fourth round: the multi-hop walk (earlier rounds: docs/matching.md).
TUNING_GRID = {
    "walk": (0.0, 2.0, 4.0),
    "walk_saturation": (1.0, 3.0),
    "three_step": (0.0, 0.85),
}


def tune() -> None:
    """Grid search of a few weights on the tuning seeds (never the reported ones)."""
    datasets = all_datasets()
    rows = []
    candidates = [DEFAULT_WEIGHTS]
    for name, values in TUNING_GRID.items():
        candidates = [replace(base, **{name: value}) for base in candidates for value in values]
    for weights in candidates:
        results = evaluate(datasets, seeds=TUNING_SEEDS, weights=weights)
        scores = [results[name]["Konnaxion ranking"]["NDCG@10"] for name, _ in datasets]
        rows.append(
            [*(getattr(weights, name) for name in TUNING_GRID), *scores, sum(scores) / len(scores)]
        )
    rows.sort(key=lambda row: -row[-1])
    print_table(
        title=f"weight search on tuning seeds {TUNING_SEEDS} (NDCG@10 of the ranking)",
        columns=[*TUNING_GRID, *(name for name, _ in datasets), "mean"],
        rows=rows[:10],
        footer=f"{len(rows)} combinations; the best first",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="search weights on tuning seeds")
    arguments = parser.parse_args()
    if arguments.tune:
        tune()
        return 0
    started = time.perf_counter()
    passed = report(evaluate(all_datasets(), seeds=REPORTED_SEEDS, weights=DEFAULT_WEIGHTS))
    print(f"finished in {time.perf_counter() - started:.0f} s")
    print("target met on every dataset" if passed else "target missed on at least one dataset")
    return 0


if __name__ == "__main__":
    sys.exit(main())
