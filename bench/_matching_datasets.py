"""Datasets for the offline evaluation of the people ranking, and the 20 % follow hold-out.

Every dataset is a directed follow graph plus, per person, skills, styles, artwork tags and
days since the last activity. `planted_communities` generates them; `networkx_graphs` wraps the
small real social graphs bundled with networkx, whose people have no tags: they get synthetic
tags from their communities (found on the training graph only, never on held-out edges) and
from their real node attributes where there are some.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

HOLD_OUT_SHARE = 0.2
MIN_FOLLOWS_TO_EVALUATE = 3


@dataclass
class Dataset:
    name: str
    users: list[int]
    follows: dict[int, set[int]]
    skills: dict[int, list[int]] = field(default_factory=dict)
    styles: dict[int, list[int]] = field(default_factory=dict)
    artwork_tags: dict[int, dict[int, int]] = field(default_factory=dict)
    days_since_active: dict[int, float] = field(default_factory=dict)
    # Undirected source graphs: a held-out tie is hidden in both directions.
    symmetric: bool = False


@dataclass
class Split:
    training: dict[int, set[int]]
    held_out: dict[int, set[int]]


def hold_out(dataset: Dataset, *, seed: int) -> Split:
    """Hide 20 % (at least one) of the follows of everyone who follows 3 people or more."""
    rng = random.Random(seed)
    training = {user: set(followees) for user, followees in dataset.follows.items()}
    held_out: dict[int, set[int]] = defaultdict(set)
    evaluated = [user for user in dataset.users if len(dataset.follows.get(user, ())) >= 3]
    rng.shuffle(evaluated)
    for user in evaluated:
        count = max(1, round(HOLD_OUT_SHARE * len(dataset.follows[user])))
        remaining = sorted(training.get(user, ()))
        for followee in rng.sample(remaining, min(count, len(remaining))):
            training[user].discard(followee)
            held_out[user].add(followee)
            if dataset.symmetric:
                training.get(followee, set()).discard(user)
                if followee in dataset.follows and user in dataset.follows[followee]:
                    held_out[followee].add(user)
    return Split(training=training, held_out=dict(held_out))


def _zipf_weights(count: int, exponent: float) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, count + 1)]


def planted_communities(
    seed: int,
    *,
    users: int = 600,
    communities: int = 12,
    vocabulary: int = 400,
    style_vocabulary: int = 40,
) -> Dataset:
    """People in planted communities: Zipf-distributed tags, denser follows inside communities.

    Each community has its own niche tags (Zipf within the niche) and styles; everyone also
    draws tags from the global Zipf distribution, so the most common tags say little. People
    follow mostly inside their community, preferring popular, recently active people who share
    their niche tags; a quarter of follows close triangles and some are returned.
    """
    rng = random.Random(seed)
    community = [rng.randrange(communities) for _ in range(users)]
    global_order = rng.sample(range(vocabulary), vocabulary)
    global_weights = _zipf_weights(vocabulary, 1.1)
    niche = [rng.sample(range(vocabulary), 25) for _ in range(communities)]
    niche_weights = _zipf_weights(25, 0.8)
    style_order = rng.sample(range(style_vocabulary), style_vocabulary)
    style_weights = _zipf_weights(style_vocabulary, 1.0)
    niche_styles = [rng.sample(range(style_vocabulary), 4) for _ in range(communities)]

    def tag_for(user: int) -> int:
        if rng.random() < 0.5:
            return rng.choices(niche[community[user]], niche_weights)[0]
        return rng.choices(global_order, global_weights)[0]

    def tags_for(user: int, count: int) -> list[int]:
        chosen: set[int] = set()
        while len(chosen) < count:
            chosen.add(tag_for(user))
        return sorted(chosen)

    dataset = Dataset(name="planted communities", users=list(range(users)), follows={})
    for user in range(users):
        dataset.skills[user] = tags_for(user, rng.randint(2, 6))
        styles = set()
        for _ in range(rng.randint(1, 2)):
            if rng.random() < 0.6:
                styles.add(rng.choice(niche_styles[community[user]]))
            else:
                styles.add(rng.choices(style_order, style_weights)[0])
        dataset.styles[user] = sorted(styles)
        counts: dict[int, int] = defaultdict(int)
        for _ in range(rng.randint(0, 4)):
            for tag in tags_for(user, rng.randint(1, 3)):
                counts[tag] += 1
        dataset.artwork_tags[user] = dict(counts)
        dataset.days_since_active[user] = rng.expovariate(1 / 25)

    popularity = [rng.paretovariate(1.5) for _ in range(users)]
    members: dict[int, list[int]] = defaultdict(list)
    for user in range(users):
        members[community[user]].append(user)
    niche_sets = [set(tags) for tags in niche]

    def appeal(follower: int, target: int) -> float:
        mine = (set(dataset.skills[follower]) | set(dataset.artwork_tags[follower])) & niche_sets[
            community[follower]
        ]
        theirs = set(dataset.skills[target]) | set(dataset.artwork_tags[target])
        activity = 2.0 ** (-dataset.days_since_active[target] / 30)
        return popularity[target] * (0.3 + activity) * (1 + 2 * len(mine & theirs))

    follows: dict[int, set[int]] = {user: set() for user in range(users)}
    degrees = {user: min(50, max(2, int(rng.lognormvariate(2.0, 0.7)))) for user in range(users)}
    for user in range(users):
        wanted = round(degrees[user] * 0.75)
        inside = [other for other in members[community[user]] if other != user]
        inside_weights = [appeal(user, other) for other in inside]
        for _ in range(wanted * 3):
            if len(follows[user]) >= wanted:
                break
            if rng.random() < 0.85 and inside:
                target = rng.choices(inside, inside_weights)[0]
            else:
                target = rng.choices(range(users), popularity)[0]
            if target != user:
                follows[user].add(target)
    for user in range(users):
        for _ in range(degrees[user] * 2):
            if len(follows[user]) >= degrees[user] or not follows[user]:
                break
            friend = rng.choice(sorted(follows[user]))
            if follows[friend]:
                target = rng.choice(sorted(follows[friend]))
                if target != user:
                    follows[user].add(target)
    for user in range(users):
        for target in sorted(follows[user]):
            if rng.random() < 0.2:
                follows[target].add(user)
    dataset.follows = follows
    return dataset


def networkx_graphs() -> list[tuple[Dataset, dict[int, list[int]]]]:
    """The real graphs bundled with networkx, each with the real tags its nodes have, if any."""
    graphs = []

    karate = nx.karate_club_graph()
    clubs = sorted({data["club"] for _, data in karate.nodes(data=True)})
    club_tags = {node: [clubs.index(data["club"])] for node, data in karate.nodes(data=True)}
    graphs.append((_from_undirected("karate club", karate), club_tags))

    graphs.append((_from_undirected("Les Misérables", nx.les_miserables_graph()), {}))
    graphs.append((_from_undirected("Florentine families", nx.florentine_families_graph()), {}))

    davis = nx.davis_southern_women_graph()
    women = sorted(davis.graph["top"])
    events = sorted(davis.graph["bottom"])
    # Two women are tied when they attended four events or more together; the events they
    # attended are real attributes and become their tags.
    ties = nx.Graph()
    ties.add_nodes_from(women)
    projected = nx.bipartite.weighted_projected_graph(davis, women)
    ties.add_edges_from((a, b) for a, b, data in projected.edges(data=True) if data["weight"] >= 4)
    event_tags = {
        women.index(woman): sorted(events.index(event) for event in davis[woman]) for woman in women
    }
    graphs.append((_from_undirected("Davis southern women", ties), event_tags))
    return graphs


def _from_undirected(name: str, graph: nx.Graph) -> Dataset:
    nodes = sorted(graph.nodes, key=str)
    position = {node: number for number, node in enumerate(nodes)}
    follows = {position[node]: {position[other] for other in graph[node]} for node in nodes}
    return Dataset(name=name, users=list(range(len(nodes))), follows=follows, symmetric=True)


def with_community_tags(
    dataset: Dataset, split: Split, *, real_tags: dict[int, list[int]], seed: int
) -> Dataset:
    """Tag people by their Louvain community in the training graph (plus their real tags)."""
    graph = nx.Graph()
    graph.add_nodes_from(dataset.users)
    graph.add_edges_from(
        (user, other) for user, others in split.training.items() for other in others
    )
    found = nx.community.louvain_communities(graph, seed=seed)
    offset = 1_000
    skills = {user: list(real_tags.get(user, ())) for user in dataset.users}
    for number, members in enumerate(sorted(found, key=min)):
        for user in members:
            skills[user].append(offset + number)
    return Dataset(
        name=dataset.name,
        users=dataset.users,
        follows=dataset.follows,
        skills=skills,
        symmetric=dataset.symmetric,
    )
