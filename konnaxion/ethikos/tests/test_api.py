import pytest

from konnaxion.core.tests.querycount import assert_flat_query_count
from konnaxion.ethikos.models import (
    CitizenSuggestion,
    ConsultationResult,
    ConsultationVote,
    EthikosCategory,
    EthikosStance,
    ImpactTrack,
)
from konnaxion.ethikos.tests.factories import (
    ConsultationFactory,
    EthikosArgumentFactory,
    EthikosTopicFactory,
)
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _rows(kind, user):
    def make(count):
        for _ in range(count):
            if kind == "categories":
                EthikosCategory.objects.create(name=f"c{EthikosCategory.objects.count()}")
            elif kind == "topics":
                EthikosStance.objects.create(topic=EthikosTopicFactory(), user=user, value=1)
            elif kind == "stances":
                EthikosStance.objects.create(topic=EthikosTopicFactory(), user=user, value=-1)
            elif kind == "arguments":
                EthikosArgumentFactory()
            elif kind == "consultations":
                CitizenSuggestion.objects.create(
                    consultation=ConsultationFactory(), author=user, content="x"
                )
            elif kind == "suggestions":
                CitizenSuggestion.objects.create(
                    consultation=ConsultationFactory(), author=UserFactory(), content="x"
                )
            elif kind == "consultation-votes":
                ConsultationVote.objects.create(
                    consultation=ConsultationFactory(),
                    user=user,
                    raw_value=1,
                    weight=1,
                    weighted_value=1,
                )
            elif kind == "results":
                ConsultationResult.objects.create(
                    consultation=ConsultationFactory(status="closed"), results_data={}
                )
            elif kind == "impact-tracks":
                consultation = ConsultationFactory(status="closed")
                ImpactTrack.objects.create(
                    consultation=consultation,
                    action="x",
                    date="2025-01-01",
                    created_by=consultation.created_by,
                )

    return make


@pytest.mark.parametrize(
    "kind",
    [
        "categories",
        "topics",
        "stances",
        "arguments",
        "consultations",
        "suggestions",
        "consultation-votes",
        "results",
        "impact-tracks",
    ],
)
def test_list_query_count_is_flat(kind, user, user_client, django_assert_max_num_queries):
    assert_flat_query_count(
        user_client, f"/api/ethikos/{kind}/", _rows(kind, user), django_assert_max_num_queries
    )


def test_hidden_arguments_are_listed_for_their_author_only(user, user_client, api_client):
    # given
    mine = EthikosArgumentFactory(author=user, is_hidden=True)
    theirs = EthikosArgumentFactory(is_hidden=True)
    visible = EthikosArgumentFactory()
    # when
    response = user_client.get("/api/ethikos/arguments/")
    # then
    ids = {item["id"] for item in response.json()["results"]}
    assert ids == {mine.pk, visible.pk}
    assert user_client.get(f"/api/ethikos/arguments/{theirs.pk}/").status_code == 404


def test_stance_set_twice_through_the_api_keeps_one_row(user, user_client):
    # given
    topic = EthikosTopicFactory()
    # when
    first = user_client.post("/api/ethikos/stances/", {"topic": topic.pk, "value": 3})
    second = user_client.post("/api/ethikos/stances/", {"topic": topic.pk, "value": -3})
    # then
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["value"] == -3
    assert EthikosStance.objects.get().value == -3


@pytest.mark.parametrize("value", [4, -4, "x", None])
def test_bad_stance_is_a_400(user_client, value):
    # given
    topic = EthikosTopicFactory()
    # when
    response = user_client.post(
        "/api/ethikos/stances/", {"topic": topic.pk, "value": value}, format="json"
    )
    # then
    assert response.status_code == 400
    assert not EthikosStance.objects.exists()


def test_vote_on_a_closed_consultation_is_a_409(user_client):
    # given
    consultation = ConsultationFactory(status="closed")
    # when
    response = user_client.post(
        "/api/ethikos/consultation-votes/", {"consultation": consultation.pk, "raw_value": 1}
    )
    # then
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "consultation_not_open"
    assert not ConsultationVote.objects.exists()
