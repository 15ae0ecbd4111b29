"""Smart Vote API: cast and replace votes, read results; lists keep a flat query count."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from konnaxion.core.tests.querycount import assert_flat_query_count, list_query_count
from konnaxion.ekoh.services.confidentiality import confidentiality_set
from konnaxion.ekoh.tests.factories import category
from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.smart_vote.models import EmergingExpert, Vote, VoteResult
from konnaxion.smart_vote.services.voting import vote_cast
from konnaxion.smart_vote.tests.factories import IntegrationMappingFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    return IntegrationMappingFactory(module_name="ethikos", context_type="topic")


def test_casting_and_recasting_a_vote(user, user_client, topics):
    # when
    first = user_client.post(
        "/api/smart-vote/votes/",
        {"target_type": "ethikos.topic", "target_id": "7", "raw_value": 1},
        format="json",
    )
    second = user_client.post(
        "/api/smart-vote/votes/",
        {"target_type": "ethikos.topic", "target_id": "7", "raw_value": 0},
        format="json",
    )
    # then
    assert first.status_code == second.status_code == 201
    assert second.json()["raw_value"] == 0
    assert second.json()["modality"] == "approval"
    assert Vote.objects.filter(user=user).count() == 1
    result = user_client.get("/api/smart-vote/results/?target_type=ethikos.topic&target_id=7")
    assert result.json()["results"][0]["vote_count"] == 1
    assert result.json()["results"][0]["sum_weighted_value"] == "0.000"


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (
            {"target_type": "nowhere.x", "target_id": "1", "raw_value": 1},
            400,
            "unknown_target_type",
        ),
        ({"target_type": "ethikos.topic", "target_id": "1", "raw_value": 3}, 400, "invalid_vote"),
        ({"target_type": "ethikos.topic", "target_id": "1", "raw_value": [1]}, 400, "invalid_vote"),
        ({"target_type": "ethikos.topic", "raw_value": 1}, 400, "invalid"),
        (
            {
                "target_type": "ethikos.topic",
                "target_id": "1",
                "raw_value": 1,
                "modality": "rating",
            },
            400,
            "wrong_modality",
        ),
    ],
)
def test_bad_votes_get_a_clear_error_and_leave_nothing(user_client, topics, payload, status, code):
    response = user_client.post("/api/smart-vote/votes/", payload, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not Vote.objects.exists() and not VoteResult.objects.exists()


def test_a_user_lists_only_their_own_votes(user, user_client, topics):
    vote_cast(user=user, target_type="ethikos.topic", target_id="1", raw_value=1)
    vote_cast(user=UserFactory(), target_type="ethikos.topic", target_id="1", raw_value=1)
    response = user_client.get("/api/smart-vote/votes/")
    assert response.json()["count"] == 1


def test_emerging_experts_respect_confidentiality(user_client):
    hidden = UserFactory()
    confidentiality_set(user=hidden, level="anonymous")
    EmergingExpert.objects.create(
        user=hidden, category=category(), detection_date=timezone.localdate(), score_delta=9
    )
    rows = user_client.get("/api/smart-vote/emerging-experts/").json()["results"]
    assert rows[0]["identity"] is None
    assert hidden.username not in str(rows)


def test_votes_list_query_count_is_flat(user, user_client, topics, django_assert_max_num_queries):
    counter = iter(range(1000))

    def make_rows(n: int) -> None:
        for _ in range(n):
            vote_cast(
                user=user, target_type="ethikos.topic", target_id=str(next(counter)), raw_value=1
            )

    assert_flat_query_count(
        user_client, "/api/smart-vote/votes/", make_rows, django_assert_max_num_queries
    )


def test_results_list_query_count_is_flat(user_client, django_assert_max_num_queries):
    counter = iter(range(1000))

    def make_rows(n: int) -> None:
        VoteResult.objects.bulk_create(
            VoteResult(target_type="ethikos.topic", target_id=str(next(counter)), vote_count=1)
            for _ in range(n)
        )

    assert_flat_query_count(
        user_client, "/api/smart-vote/results/", make_rows, django_assert_max_num_queries
    )


def test_emerging_experts_list_query_count_is_flat(user_client, django_assert_max_num_queries):
    def make_rows(n: int) -> None:
        for index in range(n):
            user = UserFactory()
            if index % 3 == 0:
                confidentiality_set(user=user, level="pseudonym")
            EmergingExpert.objects.create(
                user=user,
                category=category(),
                detection_date=timezone.localdate(),
                score_delta=Decimal("5"),
            )

    assert_flat_query_count(
        user_client, "/api/smart-vote/emerging-experts/", make_rows, django_assert_max_num_queries
    )


def test_integrations_list_query_count_is_flat(user_client, django_assert_max_num_queries):
    def make_rows(n: int) -> None:
        for _ in range(n):
            IntegrationMappingFactory()

    assert_flat_query_count(
        user_client, "/api/smart-vote/integrations/", make_rows, django_assert_max_num_queries
    )


def test_modalities_list_is_small(user_client):
    assert list_query_count(user_client, "/api/smart-vote/modalities/") <= 4


def test_results_about_a_members_only_project_are_the_projects_business(user, user_client):
    # given a vote on a members-only project by one of its members
    IntegrationMappingFactory(
        module_name="keenkonnect",
        context_type="project",
        mapping_details={"model": "keenkonnect.Project", "modality": "rating"},
    )
    project = project_for(user, visibility=Project.Visibility.MEMBERS)
    vote_cast(user=user, target_type="keenkonnect.project", target_id=project.pk, raw_value=4)
    result = VoteResult.objects.get(target_type="keenkonnect.project")
    topic_result = VoteResult.objects.create(target_type="ethikos.topic", target_id="3")
    outsider = APIClient()
    outsider.force_authenticate(UserFactory())
    # when
    outsider_list = outsider.get("/api/smart-vote/results/").json()["results"]
    outsider_detail = outsider.get(f"/api/smart-vote/results/{result.pk}/")
    member_list = user_client.get("/api/smart-vote/results/").json()["results"]
    # then
    assert [row["id"] for row in outsider_list] == [topic_result.pk]
    assert outsider_detail.status_code == 404
    assert {row["id"] for row in member_list} == {result.pk, topic_result.pk}


def test_emerging_experts_never_name_hidden_blocked_or_closed_accounts(user, user_client):
    from konnaxion.kreative.services.professional_profile import block_create
    from konnaxion.kreative.tests.factories import profile_for

    hidden = profile_for(visibility="hidden").user
    blocker = UserFactory()
    block_create(blocker=blocker, blocked=user)
    closed = UserFactory(is_active=False)
    for holder in (hidden, blocker, closed):
        EmergingExpert.objects.create(
            user=holder, category=category(), detection_date=timezone.localdate(), score_delta=9
        )
    response = user_client.get("/api/smart-vote/emerging-experts/")
    rows = response.json()["results"]
    assert [row["identity"] for row in rows] == [None, None]
    for person in (hidden, blocker, closed):
        assert person.username not in response.content.decode()
