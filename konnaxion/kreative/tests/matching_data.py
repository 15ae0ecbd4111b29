"""Small hand-written communities for the ranking tests, described by names instead of ids."""

from datetime import UTC, datetime, timedelta

from konnaxion.kreative.matching import MatchingIndex

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

TAGS = [
    "etching",
    "cyanotype",
    "risograph",
    "painting",
    "photography",
    "ceramics",
    "sculpture",
    "weaving",
    "surrealism",
    "minimalism",
    "bauhaus",
]
TAG_IDS = {name: position + 1 for position, name in enumerate(TAGS)}


def build_index(
    people: list[str],
    *,
    skills: dict[str, list[str]] | None = None,
    styles: dict[str, list[str]] | None = None,
    artwork_tags: dict[str, dict[str, int]] | None = None,
    follows: dict[str, list[str]] | None = None,
    co_participations: list[tuple[str, str]] = (),
    active_days_ago: dict[str, float] | None = None,
    **by_name,
) -> tuple[MatchingIndex, dict[str, int]]:
    """An index over `people` (ids in list order, from 1); extra arguments use names too."""
    ids = {name: position + 1 for position, name in enumerate(people)}
    active = active_days_ago if active_days_ago is not None else dict.fromkeys(people, 0)

    def tag_lists(mapping):
        return {ids[user]: [TAG_IDS[tag] for tag in tags] for user, tags in (mapping or {}).items()}

    converted = {}
    for key, value in by_name.items():
        converted[key] = _convert(value, ids)
    index = MatchingIndex.build(
        usernames={user_id: name for name, user_id in ids.items()},
        tag_names={tag_id: name for name, tag_id in TAG_IDS.items()},
        skills=tag_lists(skills),
        styles=tag_lists(styles),
        artwork_tags={
            ids[user]: {TAG_IDS[tag]: count for tag, count in counts.items()}
            for user, counts in (artwork_tags or {}).items()
        },
        follows={
            ids[user]: [ids[other] for other in others] for user, others in (follows or {}).items()
        },
        co_participations=[(ids[first], ids[second]) for first, second in co_participations],
        last_active={ids[user]: NOW - timedelta(days=days) for user, days in active.items()},
        now=NOW,
        **converted,
    )
    return index, ids


def _convert(value, ids):
    """Replace people's names by their ids in lists, pairs and nested mappings."""
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, dict):
        return {_convert(key, ids): _convert(item, ids) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return type(value)(_convert(item, ids) for item in value)
    return value
