from dataclasses import replace

from konnaxion.kreative.matching import DEFAULT_WEIGHTS, rank
from konnaxion.kreative.matching.reason_text import reasons_text

from .matching_data import build_index

# The order of reasons follows the weights. In graphs of three or four people everybody is
# "the most followed", so the popularity prior for small neighbourhoods would put "followed by
# n people" first; these tests pin it off (its effect is tested in test_matching_scoring).
NO_PRIOR = replace(DEFAULT_WEIGHTS, popularity_prior=0.0)


def _reasons(index, ids, viewer="viewer", **options):
    """The reasons of everyone suggested to `viewer`, worded in English (the default language)."""
    names = {user_id: name for name, user_id in ids.items()}
    return {
        names[item.user_id]: tuple(reasons_text(item.reasons))
        for item in rank(viewer=ids[viewer], index=index, top_n=20, **options)
    }


def test_shared_skills_are_named_rarest_first():
    # given: "etching" is common, "cyanotype" and "risograph" are rare
    crowd = [f"etcher{number}" for number in range(6)]
    people = ["viewer", "peer", *crowd]
    skills = {key: ["etching"] for key in crowd}
    skills |= {
        "viewer": ["etching", "cyanotype", "risograph"],
        "peer": ["etching", "cyanotype", "risograph"],
    }
    index, ids = build_index(people, skills=skills)

    # when
    reasons = _reasons(index, ids)

    # then
    assert reasons["peer"] == ("shares 3 skills: cyanotype, risograph, etching",)
    assert reasons["etcher0"] == ("shares 1 skill: etching",)


def test_reasons_are_data_a_code_and_its_parameters():
    # given
    people = ["viewer", "peer", "friend"]
    skills = {"viewer": ["etching", "cyanotype"], "peer": ["etching", "cyanotype", "weaving"]}
    index, ids = build_index(
        people, skills=skills, follows={"viewer": ["friend"], "friend": ["peer"]}
    )

    # when
    suggested = rank(viewer=ids["viewer"], index=index, weights=NO_PRIOR)
    (peer,) = [item for item in suggested if item.username == "peer"]

    # then: JSON-ready, nothing worded
    assert peer.reasons == (
        {"code": "shared_skills", "count": 2, "names": ["cyanotype", "etching"], "more": 0},
        {"code": "followed_by_people_you_follow", "count": 1},
        {"code": "followers", "count": 1},
    )


def test_long_lists_of_shared_skills_are_cut():
    # given
    shared = ["etching", "cyanotype", "risograph", "weaving", "ceramics"]
    index, ids = build_index(["viewer", "peer"], skills={"viewer": shared, "peer": shared})

    # when
    (reason,) = _reasons(index, ids)["peer"]

    # then
    assert rank(viewer=ids["viewer"], index=index)[0].reasons[0]["more"] == 2
    assert reason.startswith("shares 5 skills: ")
    assert reason.endswith(" and 2 more")
    assert reason.count(",") == 2


def test_graph_styles_tags_and_sessions_explain_themselves_strongest_first():
    # given
    people = ["viewer", "friend1", "friend2", "candidate"]
    index, ids = build_index(
        people,
        follows={
            "viewer": ["friend1", "friend2"],
            "friend1": ["candidate"],
            "friend2": ["candidate"],
            "candidate": ["viewer"],
        },
        styles={"viewer": ["surrealism"], "candidate": ["surrealism"]},
        artwork_tags={"viewer": {"cyanotype": 2}, "candidate": {"cyanotype": 1}},
        co_participations=[("viewer", "candidate")],
    )

    # when
    reasons = _reasons(index, ids, weights=NO_PRIOR)["candidate"]

    # then: at most three, the strongest signals first
    assert reasons == (
        "followed by 2 people you follow",
        "follows you",
        "shares 1 tag: cyanotype",
    )


def test_one_follower_and_one_session_are_singular():
    # given
    people = ["viewer", "friend", "candidate"]
    index, ids = build_index(
        people,
        follows={"viewer": ["friend"], "friend": ["candidate"]},
        co_participations=[("viewer", "candidate")],
    )

    # when
    reasons = _reasons(index, ids, weights=NO_PRIOR)["candidate"]

    # then
    assert reasons == (
        "followed by 1 person you follow",
        "collaborated with you in 1 session",
        "followed by 1 person",
    )


def test_ekoh_and_smart_vote_reasons_appear_only_with_their_signals():
    # given
    people = ["viewer", "expert"]
    index, ids = build_index(
        people,
        skills={key: ["etching"] for key in people},
        expertise={"viewer": {"Fine arts": 20.0}, "expert": {"Fine arts": 85.0}},
        vote_results={"expert": (0.8, 12)},
    )

    # when
    plain = _reasons(index, ids)["expert"]
    enriched = _reasons(index, ids, signals=["ekoh", "smart_vote"])["expert"]

    # then
    assert plain == ("shares 1 skill: etching",)
    assert enriched == (
        "shares 1 skill: etching",
        "strong in Fine arts",
        "well rated in Smart Vote (12 votes)",
    )
