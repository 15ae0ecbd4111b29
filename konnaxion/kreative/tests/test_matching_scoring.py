import pytest

from konnaxion.kreative.matching import rank

from .matching_data import build_index


def _ranked(index, ids, viewer="viewer", **options):
    names = {user_id: name for name, user_id in ids.items()}
    return [
        (names[item.user_id], item.score)
        for item in rank(viewer=ids[viewer], index=index, **options)
    ]


def _order(index, ids, **options):
    return [name for name, _ in _ranked(index, ids, **options)]


def test_a_rare_shared_tag_beats_a_common_one():
    # given: "painting" is on everyone's profile, "cyanotype" only on the viewer's and rare's
    crowd = [f"painter{number}" for number in range(8)]
    people = ["viewer", "rare", "common", *crowd]
    skills = {name: ["painting"] for name in crowd}
    skills |= {"viewer": ["painting", "cyanotype"], "rare": ["cyanotype"], "common": ["painting"]}
    index, ids = build_index(people, skills=skills)

    # when
    ranked = _ranked(index, ids, top_n=3)

    # then
    assert ranked[0][0] == "rare"
    common_score = dict(_ranked(index, ids, top_n=20))["common"]
    assert ranked[0][1] > 2 * common_score


def test_equal_input_gives_the_same_order_with_ties_broken_by_username():
    # given: four identical candidates, listed in an order unlike their usernames
    people = ["viewer", "delta", "alpha", "charlie", "bravo"]
    index, ids = build_index(people, skills={key: ["etching"] for key in people})

    # when
    first = _ranked(index, ids)
    second = _ranked(index, ids)

    # then
    assert first == second
    assert [name for name, _ in first] == ["alpha", "bravo", "charlie", "delta"]
    assert len({score for _, score in first}) == 1


def test_more_shared_skills_rank_higher():
    # given
    people = ["viewer", "one", "two", "three"]
    skills = {
        "viewer": ["etching", "cyanotype", "risograph"],
        "one": ["etching", "weaving", "ceramics"],
        "two": ["etching", "cyanotype", "ceramics"],
        "three": ["etching", "cyanotype", "risograph"],
    }
    index, ids = build_index(people, skills=skills)

    # when
    order = _order(index, ids)

    # then
    assert order == ["three", "two", "one"]


def test_adamic_adar_counts_a_selective_intermediary_more_than_a_hub():
    # given: the viewer follows "curator" (follows 2 people) and "hub" (follows 12)
    fans = [f"fan{number}" for number in range(10)]
    people = ["viewer", "curator", "hub", "picked_by_curator", "picked_by_hub", *fans]
    follows = {
        "viewer": ["curator", "hub"],
        "curator": ["picked_by_curator", "viewer"],
        "hub": ["picked_by_hub", *fans, "viewer"],
    }
    index, ids = build_index(people, follows=follows)

    # when
    scores = dict(_ranked(index, ids, top_n=20))

    # then
    assert scores["picked_by_curator"] > scores["picked_by_hub"]


def test_recent_activity_ranks_higher_and_decays():
    # given: identical candidates but for their last activity
    people = ["viewer", "today", "last_month", "last_year"]
    active = {"viewer": 0, "today": 0, "last_month": 30, "last_year": 365}
    index, ids = build_index(
        people, skills={key: ["etching"] for key in people}, active_days_ago=active
    )

    # when
    scores = dict(_ranked(index, ids))

    # then
    assert scores["today"] > scores["last_month"] > scores["last_year"] > 0


def test_a_past_dismissal_pushes_a_person_down():
    # given: "alpha" would come first (username tie-break) but was dismissed before
    people = ["viewer", "alpha", "bravo"]
    skills = {key: ["etching"] for key in people}
    before, _ = build_index(people, skills=skills)
    index, ids = build_index(people, skills=skills, dismissal_counts={"viewer": {"alpha": 1}})

    # when
    order_before = _order(before, ids)
    ranked = _ranked(index, ids)

    # then
    assert order_before == ["alpha", "bravo"]
    assert [name for name, _ in ranked] == ["bravo", "alpha"]
    assert ranked[1][1] == pytest.approx(ranked[0][1] * 0.5)


def test_repeatedly_ignored_impressions_push_a_person_down_step_by_step():
    # given
    people = ["viewer", "alpha", "bravo"]
    skills = {key: ["etching"] for key in people}
    once, ids = build_index(people, skills=skills, ignored_impressions={"viewer": {"alpha": 1}})
    thrice, _ = build_index(people, skills=skills, ignored_impressions={"viewer": {"alpha": 3}})

    # when
    after_one = dict(_ranked(once, ids))
    after_three = dict(_ranked(thrice, ids))

    # then
    assert after_one["bravo"] > after_one["alpha"] > after_three["alpha"]


EXPERTISE = {"viewer": {"Arts": 40.0}, "expert": {"Arts": 90.0}, "novice": {"Arts": 10.0}}


def test_ekoh_counts_only_when_asked():
    # given
    people = ["viewer", "expert", "novice"]
    index, ids = build_index(
        people, skills={key: ["etching"] for key in people}, expertise=EXPERTISE
    )

    # when
    without = _ranked(index, ids)
    with_ekoh = _ranked(index, ids, signals=["ekoh"])

    # then
    assert [name for name, _ in without] == ["expert", "novice"]
    assert without[0][1] == without[1][1]
    assert [name for name, _ in with_ekoh] == ["expert", "novice"]
    assert with_ekoh[0][1] > with_ekoh[1][1] > without[1][1]


def test_ekoh_needs_a_shared_domain():
    # given: the candidate's expertise is in a domain the viewer has none in
    people = ["viewer", "expert"]
    expertise = {"viewer": {"Arts": 40.0}, "expert": {"Physics": 95.0}}
    plain, ids = build_index(people, skills={key: ["etching"] for key in people})
    index, _ = build_index(people, skills={key: ["etching"] for key in people}, expertise=expertise)

    # when
    score = _ranked(index, ids, signals=["ekoh"])[0][1]

    # then
    assert score == _ranked(plain, ids)[0][1]


def test_smart_vote_counts_only_when_asked_and_present():
    # given: "voted" has good results, "unvoted" has none
    people = ["viewer", "unvoted", "voted"]
    votes = {"voted": (0.9, 20)}
    index, ids = build_index(
        people, skills={key: ["etching"] for key in people}, vote_results=votes
    )

    # when
    without = _order(index, ids)
    with_votes = dict(_ranked(index, ids, signals=["smart_vote"]))
    plain = dict(_ranked(index, ids))

    # then
    assert without == ["unvoted", "voted"]
    assert with_votes["voted"] > with_votes["unvoted"] == plain["unvoted"]


def test_collaborate_is_symmetric_and_needs_both_directions():
    # given: "fan" follows the viewer's whole world; "match" shares rare skills both ways
    people = ["viewer", "match", "other", "lopsided"]
    skills = {
        "viewer": ["etching", "cyanotype"],
        "match": ["etching", "cyanotype"],
        "other": ["etching", "weaving"],
        "lopsided": ["etching", "cyanotype", "weaving", "ceramics", "sculpture", "painting"],
    }
    index, ids = build_index(people, skills=skills)

    # when
    seen = {
        (viewer, other): score
        for viewer in people
        for other, score in _ranked(index, ids, viewer=viewer, purpose="collaborate", top_n=10)
    }

    # then: the score of a pair is the same whoever asks
    for (viewer, other), score in seen.items():
        assert seen[(other, viewer)] == score
    assert seen[("viewer", "match")] > seen[("viewer", "lopsided")]


def test_collaborate_is_the_harmonic_mean_of_both_follow_scores():
    # given
    people = ["viewer", "candidate"]
    skills = {"viewer": ["etching"], "candidate": ["etching", "weaving", "ceramics", "sculpture"]}
    index, ids = build_index(people, skills=skills)

    # when
    forward = _ranked(index, ids)[0][1]
    backward = _ranked(index, ids, viewer="candidate")[0][1]
    mutual = _ranked(index, ids, purpose="collaborate")[0][1]

    # then
    assert forward != backward
    assert mutual == pytest.approx(2 * forward * backward / (forward + backward), abs=1e-6)


def test_diversity_keeps_the_top_n_from_being_clones():
    # given: five clones, and "different" nearly as relevant but with other styles and artworks
    clones = [f"clone{number}" for number in range(5)]
    people = ["viewer", *clones, "different"]
    index, ids = build_index(
        people,
        skills={key: ["etching", "cyanotype", "risograph"] for key in people},
        styles={key: ["surrealism"] for key in clones} | {"different": ["minimalism", "bauhaus"]},
        artwork_tags={"different": {"weaving": 1, "ceramics": 1}},
    )

    # when
    plain = _order(index, ids, top_n=3, weights=_no_diversity())
    diverse = _order(index, ids, top_n=3)

    # then
    assert plain == ["clone0", "clone1", "clone2"]
    assert diverse == ["clone0", "different", "clone1"]


def _no_diversity():
    from konnaxion.kreative.matching import RankingWeights

    return RankingWeights(diversity_lambda=1.0)


def test_popularity_counts_most_for_a_viewer_who_follows_few_people():
    # given: "star" has three followers; "newcomer" follows nobody, "insider" three others
    people = ["newcomer", "insider", "star", "a", "b", "c", "d", "e", "f"]
    index, ids = build_index(
        people, follows={"a": ["star"], "b": ["star"], "c": ["star"], "insider": ["d", "e", "f"]}
    )

    def star_score(viewer):
        ranked = rank(viewer=ids[viewer], index=index, top_n=10)
        return next(item.score for item in ranked if item.user_id == ids["star"])

    # when / then: the prior 6 / (1 + follows) multiplies popularity by 7 and by 2.5
    assert star_score("newcomer") == pytest.approx(star_score("insider") * 7 / 2.5, rel=1e-3)
