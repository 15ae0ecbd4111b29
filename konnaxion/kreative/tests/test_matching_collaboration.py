"""The multi-hop walk signal and the signals that make "To work with" differ from "To follow"."""

from dataclasses import replace

import pytest
from django.utils import translation

from konnaxion.kreative.matching import DEFAULT_WEIGHTS, rank
from konnaxion.kreative.matching.reason_text import reason_text
from konnaxion.kreative.matching.walks import proximity

from .matching_data import build_index


def _reasons(index, ids, viewer="viewer", **options):
    names = {user_id: name for name, user_id in ids.items()}
    return {
        names[item.user_id]: item.reasons
        for item in rank(viewer=ids[viewer], index=index, top_n=20, **options)
    }


def _order(index, ids, **options):
    names = {user_id: name for name, user_id in ids.items()}
    return [names[item.user_id] for item in rank(viewer=ids["viewer"], index=index, **options)]


def test_with_three_steps_someone_far_is_found_and_said_to_be_in_the_wider_network():
    # given: viewer - friend - middle - far, and far shares no tag with anyone
    people = ["viewer", "friend", "middle", "far"]
    follows = {"viewer": ["friend"], "friend": ["middle"], "far": ["middle"]}
    index, ids = build_index(people, follows=follows)

    # when
    reasons = _reasons(index, ids, weights=replace(DEFAULT_WEIGHTS, three_step=0.85))
    two_steps_only = _reasons(build_index(people, follows=follows)[0], ids)

    # then: "middle" is two steps away (through "friend"), "far" three
    assert {"code": "wider_network"} in reasons["far"]
    assert "far" not in two_steps_only
    assert {"code": "followed_by_people_you_follow", "count": 1} in reasons["middle"]


def test_people_who_follow_the_same_people_have_mutual_connections():
    # given: "twin" follows the three people the viewer follows, "half" one of them
    people = ["viewer", "a", "b", "c", "twin", "half"]
    follows = {"viewer": ["a", "b", "c"], "twin": ["a", "b", "c"], "half": ["a"]}
    index, ids = build_index(people, follows=follows)

    # when
    reasons = _reasons(index, ids)
    order = _order(index, ids)

    # then
    assert {"code": "mutual_connections", "count": 3} in reasons["twin"]
    assert {"code": "mutual_connections", "count": 1} in reasons["half"]
    assert order.index("twin") < order.index("half")


def test_the_walk_is_symmetric_whoever_starts_it():
    # given
    people = ["viewer", "a", "b", "c", "d"]
    follows = {"viewer": ["a", "b"], "a": ["c"], "b": ["c", "d"], "d": ["viewer"]}
    index, ids = build_index(people, follows=follows)

    # when
    forward = proximity(index, ids["viewer"], ids["c"], 0.85)
    index.walks.clear()
    backward = proximity(index, ids["c"], ids["viewer"], 0.85)

    # then
    assert forward == pytest.approx(backward)
    assert forward[0] > 0 and forward[1] == 2


def test_to_work_with_prefers_people_open_to_collaboration_and_says_so():
    # given: "closed" and "open" are alike in every way but openness
    people = ["viewer", "closed", "open"]
    skills = {name: ["etching", "cyanotype"] for name in people}
    index, ids = build_index(people, skills=skills, open_to_collaboration=["open"])

    # when
    to_follow = _order(index, ids, purpose="follow")
    to_work_with = _order(index, ids, purpose="collaborate")
    reasons = _reasons(index, ids, purpose="collaborate")

    # then
    assert to_follow == ["closed", "open"]  # ties by username: openness does not count
    assert to_work_with == ["open", "closed"]
    assert {"code": "open_to_collaboration"} in reasons["open"]
    assert {"code": "open_to_collaboration"} not in _reasons(index, ids)["open"]


def test_to_work_with_finds_people_who_worked_with_your_collaborators():
    # given: the viewer worked with "ann" and "ben", who both worked with "cal"
    people = ["viewer", "ann", "ben", "cal", "dan"]
    skills = {name: ["etching"] for name in people}
    index, ids = build_index(
        people,
        skills=skills,
        co_participations=[("viewer", "ann")],
        worked_together=[("viewer", "ben"), ("ann", "cal"), ("ben", "cal"), ("dan", "ann")],
    )

    # when
    reasons = _reasons(index, ids, purpose="collaborate")

    # then
    assert {"code": "worked_with_your_collaborators", "count": 2} in reasons["cal"]
    assert {"code": "worked_with_your_collaborators", "count": 1} in reasons["dan"]
    assert _order(index, ids, purpose="collaborate")[0] == "cal"


def test_to_work_with_brings_complementary_skills_of_people_who_worked_with_people_like_you():
    # given: "peer" has the viewer's skills; "maker" worked with "peer" and brings weaving and
    # ceramics; "copy" has only the viewer's skills and worked with "peer" too
    people = ["viewer", "peer", "maker", "copy"]
    skills = {
        "viewer": ["etching", "cyanotype"],
        "peer": ["etching", "cyanotype"],
        "maker": ["etching", "weaving", "ceramics"],
        "copy": ["etching", "cyanotype"],
    }
    index, ids = build_index(
        people, skills=skills, worked_together=[("maker", "peer"), ("copy", "peer")]
    )

    # when
    reasons = _reasons(index, ids, purpose="collaborate")
    follow_reasons = _reasons(index, ids)

    # then
    complementary = next(r for r in reasons["maker"] if r["code"] == "complementary_skills")
    assert complementary["count"] == 2
    assert sorted(complementary["names"]) == ["ceramics", "weaving"]
    assert {"code": "worked_with_people_like_you", "count": 1} in reasons["maker"]
    assert all(r["code"] != "complementary_skills" for r in reasons["copy"])
    assert all(r["code"] != "complementary_skills" for r in follow_reasons["maker"])


@pytest.mark.parametrize(
    ("language", "reason", "text"),
    [
        ("en", {"code": "mutual_connections", "count": 3}, "3 mutual connections"),
        ("fr", {"code": "mutual_connections", "count": 1}, "1 relation en commun"),
        ("es", {"code": "wider_network"}, "en tu red ampliada"),
        ("ar", {"code": "open_to_collaboration"}, "منفتح على التعاون"),
        (
            "fr",
            {"code": "worked_with_your_collaborators", "count": 2},
            "a travaillé avec 2 de vos collaborateurs",
        ),
        (
            "ar",
            {"code": "worked_with_people_like_you", "count": 2},
            "عمل مع شخصين بمهارات تشبه مهاراتك",
        ),
        (
            "en",
            {
                "code": "complementary_skills",
                "count": 2,
                "names": ["weaving", "ceramics"],
                "more": 0,
            },
            "brings 2 skills you do not list: weaving, ceramics",
        ),
        (
            "es",
            {"code": "complementary_skills", "count": 1, "names": ["weaving"], "more": 0},
            "aporta 1 habilidad que no tienes: weaving",
        ),
    ],
)
def test_the_new_reasons_are_worded_in_each_language(language, reason, text):
    # when
    with translation.override(language):
        worded = reason_text(reason)

    # then
    assert worded == text
