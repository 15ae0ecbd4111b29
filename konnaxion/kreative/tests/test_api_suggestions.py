"""GET /api/connect/suggestions/ and POST .../<username>/dismiss/ (intelligent_matching)."""

import pytest
from rest_framework.test import APIClient

from konnaxion.ekoh.tests.factories import UserExpertiseScoreFactory, category
from konnaxion.kreative.models import (
    PrecomputedSuggestions,
    SuggestionDismissal,
    SuggestionImpression,
)
from konnaxion.kreative.services.professional_profile import block_create, follow_create
from konnaxion.kreative.tests.factories import profile_for
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db
URL = "/api/connect/suggestions/"
SKILLS = ["etching", "cyanotype", "risograph"]


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def person(username: str, skills=SKILLS, **fields):
    user = UserFactory(username=username)
    profile_for(user=user, skills=skills, **fields)
    return user


def usernames(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["username"] for item in response.json()["results"]]


def test_people_sharing_skills_come_with_the_reasons():
    # given
    viewer = person("viewer")
    person("ada")
    person("noor", skills=["etching", "weaving"])
    person("zed", skills=["pottery"])
    # when
    response = client_for(viewer).get(URL)
    # then
    assert usernames(response) == ["ada", "noor"]
    first = response.json()["results"][0]
    assert first["reasons"][0].startswith("shares 3 skills: ")
    assert set(first["reasons"][0].split(": ")[1].split(", ")) == set(SKILLS)
    assert response.json()["results"][1]["reasons"] == ["shares 1 skill: etching"]
    assert response.json()["purpose"] == "follow"


def test_friends_of_friends_are_explained():
    # given: the viewer follows two people who both follow "carol"
    viewer = person("viewer", skills=["pottery"])
    for name in ("amy", "bob"):
        friend = person(name, skills=["weaving"])
        follow_create(follower=viewer, followee=friend)
        follow_create(
            follower=friend,
            followee=person("carol", skills=["knitting"])
            if name == "amy"
            else UserFactory._meta.model.objects.get(username="carol"),
        )
    # when
    results = client_for(viewer).get(URL).json()["results"]
    # then
    carol = next(item for item in results if item["username"] == "carol")
    assert "followed by 2 people you follow" in carol["reasons"]


@pytest.mark.parametrize(
    "exclusion",
    ["self", "followed", "blocked", "blocked_by", "dismissed", "undiscoverable", "hidden"],
)
def test_excluded_people_are_never_suggested(exclusion):
    # given
    viewer = person("viewer")
    other = person(
        "other",
        discoverable=exclusion != "undiscoverable",
        visibility="hidden" if exclusion == "hidden" else "public",
    )
    person("kept")
    if exclusion == "followed":
        follow_create(follower=viewer, followee=other)
    elif exclusion == "blocked":
        block_create(blocker=viewer, blocked=other)
    elif exclusion == "blocked_by":
        block_create(blocker=other, blocked=viewer)
    elif exclusion == "dismissed":
        client_for(viewer).post(f"{URL}other/dismiss/")
    # when
    names = usernames(client_for(viewer).get(URL))
    # then
    assert "viewer" not in names
    assert ("other" in names) is (exclusion == "self")
    assert "kept" in names


def test_exclusions_made_after_precompute_are_applied_when_served():
    # given: a stored list that contains "other"
    viewer = person("viewer")
    other = person("other")
    assert usernames(client_for(viewer).get(URL)) == ["other"]
    # when
    follow_create(follower=viewer, followee=other)
    # then: served from the same stored list, without "other"
    assert PrecomputedSuggestions.objects.filter(viewer=viewer).count() == 1
    assert usernames(client_for(viewer).get(URL)) == []


def test_order_is_deterministic_and_top_n_is_respected():
    # given: ten equal people
    viewer = person("viewer")
    for number in range(10):
        person(f"p{number}")
    client = client_for(viewer)
    # when
    first = usernames(client.get(URL, {"top_n": 4}))
    PrecomputedSuggestions.objects.all().delete()
    SuggestionImpression.objects.all().delete()
    second = usernames(client.get(URL, {"top_n": 4}))
    # then
    assert len(first) == 4
    assert first == second


def test_ignored_impressions_push_people_down():
    # given: ten equal people, the first four shown once
    viewer = person("viewer")
    for number in range(10):
        person(f"p{number}")
    client = client_for(viewer)
    shown = usernames(client.get(URL, {"top_n": 4}))
    assert SuggestionImpression.objects.filter(viewer=viewer, count=1).count() == 4
    # when: the list is computed again
    PrecomputedSuggestions.objects.all().delete()
    again = usernames(client.get(URL, {"top_n": 10}))
    # then
    assert again[-4:] == shown


def test_ekoh_signal_counts_only_when_asked():
    # given: two equal people, one an expert in the viewer's domain
    viewer = person("viewer")
    person("plain")
    expert = person("expert")
    domain = category("061")
    UserExpertiseScoreFactory(user=viewer, category=domain, weighted_score=20)
    UserExpertiseScoreFactory(user=expert, category=domain, weighted_score=90)
    client = client_for(viewer)
    # when
    without = client.get(URL).json()["results"]
    with_ekoh = client.get(URL, {"signals": "ekoh"}).json()["results"]
    # then
    assert not any(reason.startswith("strong in") for item in without for reason in item["reasons"])
    assert with_ekoh[0]["username"] == "expert"
    assert f"strong in {domain.name}" in with_ekoh[0]["reasons"]
    assert with_ekoh[0]["score"] > without[0]["score"]


def test_collaborate_is_mutual():
    # given: "fan" follows the viewer, who follows nobody
    viewer = person("viewer")
    fan = person("fan")
    follow_create(follower=fan, followee=viewer)
    # when
    mine = client_for(viewer).get(URL, {"purpose": "collaborate"}).json()["results"]
    theirs = client_for(fan).get(URL, {"purpose": "collaborate"}).json()["results"]
    # then: the fan still follows the viewer, so only the viewer sees the fan
    assert [item["username"] for item in mine] == ["fan"]
    assert theirs == []


def test_dismissal_counts_and_pushes_down():
    # given
    viewer = person("viewer")
    person("other")
    client = client_for(viewer)
    # when
    first = client.post(f"{URL}other/dismiss/")
    second = client.post(f"{URL}other/dismiss/")
    # then
    assert first.status_code == 200
    assert second.json()["count"] == 2
    assert SuggestionDismissal.objects.get(viewer=viewer).count == 2
    assert usernames(client.get(URL)) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"top_n": 0}, "top_n"),
        ({"top_n": 51}, "top_n"),
        ({"top_n": "x"}, "top_n"),
        ({"purpose": "date"}, "purpose"),
        ({"signals": "ekoh,astrology"}, "signals"),
    ],
)
def test_bad_parameters_are_400_and_store_nothing(params, field):
    # given
    viewer = person("viewer")
    # when
    response = client_for(viewer).get(URL, params)
    # then
    assert response.status_code == 400
    assert field in response.json()["error"]["details"]["fields"]
    assert not PrecomputedSuggestions.objects.exists()


def test_dismissing_oneself_or_a_stranger_is_refused():
    # given
    viewer = person("viewer")
    blocker = person("blocker")
    block_create(blocker=blocker, blocked=viewer)
    client = client_for(viewer)
    # when / then
    assert client.post(f"{URL}viewer/dismiss/").status_code == 400
    assert client.post(f"{URL}nobody/dismiss/").status_code == 404
    assert client.post(f"{URL}blocker/dismiss/").status_code == 404
    assert not SuggestionDismissal.objects.exists()


def test_anonymous_is_401():
    assert APIClient().get(URL).status_code == 401


@pytest.mark.parametrize("people", [2, 50])
def test_query_count_is_flat(people, django_assert_max_num_queries):
    # given
    viewer = person("viewer", styles=["baroque"])
    for number in range(people):
        other = person(f"p{number}", styles=["baroque"])
        follow_create(follower=other, followee=viewer)
    client = client_for(viewer)
    # when / then: computed on demand, then served precomputed
    with django_assert_max_num_queries(36):
        assert (
            len(usernames(client.get(URL, {"top_n": 50, "signals": "ekoh,smart_vote"}))) == people
        )
    with django_assert_max_num_queries(8):
        assert len(usernames(client.get(URL, {"top_n": 50, "signals": "smart_vote,ekoh"}))) == min(
            people, 50
        )
