import pytest

from konnaxion.kreative.matching import rank
from konnaxion.kreative.matching.reason_text import reasons_text

from .matching_data import build_index

EVERYONE = ["viewer", "followed", "blocked", "blocker", "dismissed", "hidden", "welcome"]


def _index_with(**extra):
    # Everybody shares the viewer's skill and is followed by someone the viewer follows.
    skills = {key: ["etching"] for key in EVERYONE}
    follows = {
        "viewer": ["followed"],
        "followed": [name for name in EVERYONE if name != "followed"],
    }
    return build_index(EVERYONE, skills=skills, follows=follows, **extra)


def _suggested(index, ids, viewer="viewer", **options):
    names = {user_id: name for name, user_id in ids.items()}
    return [names[item.user_id] for item in rank(viewer=ids[viewer], index=index, **options)]


def test_nobody_is_excluded_without_a_reason():
    # given
    index, ids = _index_with()

    # when
    suggested = _suggested(index, ids, top_n=10)

    # then
    assert sorted(suggested) == ["blocked", "blocker", "dismissed", "hidden", "welcome"]


@pytest.mark.parametrize("purpose", ["follow", "collaborate"])
def test_excluded_people_are_never_suggested(purpose):
    # given
    index, ids = _index_with(
        blocks=[("viewer", "blocked"), ("blocker", "viewer")],
        dismissed={"viewer": ["dismissed"]},
        hidden=["hidden"],
    )

    # when
    suggested = _suggested(index, ids, purpose=purpose, top_n=10)

    # then: not oneself, not followed, not blocked either way, not dismissed, not hidden
    assert suggested == ["welcome"]


def test_blocking_excludes_the_blocker_from_the_blocked_person_too():
    # given
    index, ids = _index_with(blocks=[("blocked", "welcome")])

    # when
    seen_by_welcome = _suggested(index, ids, viewer="welcome", top_n=10)
    seen_by_blocked = _suggested(index, ids, viewer="blocked", top_n=10)

    # then
    assert "blocked" not in seen_by_welcome
    assert "welcome" not in seen_by_blocked


def test_a_dismissal_in_force_only_hides_the_person_from_that_viewer():
    # given
    index, ids = _index_with(dismissed={"welcome": ["dismissed"]})

    # when
    suggested = _suggested(index, ids, top_n=10)

    # then
    assert "dismissed" in suggested


def test_people_unreachable_from_the_viewer_are_not_candidates():
    # given: "stranger" shares nothing and is not near in the graph
    index, ids = build_index(
        ["viewer", "peer", "stranger"],
        skills={"viewer": ["etching"], "peer": ["etching"], "stranger": ["weaving"]},
    )

    # when
    suggested = _suggested(index, ids)

    # then
    assert suggested == ["peer"]


def test_an_unknown_viewer_gets_no_suggestions():
    # given
    index, _ = _index_with()

    # when
    suggestions = rank(viewer=999, index=index)

    # then
    assert suggestions == []


@pytest.mark.parametrize(
    "options",
    [{"purpose": "befriend"}, {"signals": ["ekoh", "horoscope"]}, {"top_n": 0}, {"top_n": 51}],
)
def test_bad_options_are_refused(options):
    # given
    index, ids = _index_with()

    # when / then
    with pytest.raises(ValueError):
        rank(viewer=ids["viewer"], index=index, **options)


def test_a_newcomer_gets_the_most_followed_people():
    # given: the newcomer has no tags and follows nobody
    people = ["newcomer", "star", "known", "fan1", "fan2", "fan3"]
    follows = {"fan1": ["star", "known"], "fan2": ["star"], "fan3": ["star"]}
    index, ids = build_index(people, follows=follows)

    # when
    suggested = rank(viewer=ids["newcomer"], index=index)

    # then
    assert [item.username for item in suggested] == ["star", "known"]
    assert reasons_text(suggested[0].reasons) == ["followed by 3 people"]
