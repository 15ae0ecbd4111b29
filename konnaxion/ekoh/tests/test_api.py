"""EkoH API: scores shown with confidentiality applied; lists keep a flat query count."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from konnaxion.core.tests.querycount import assert_flat_query_count, list_query_count
from konnaxion.ekoh.models import ConfidentialitySetting, ScoreHistory, UserExpertiseScore
from konnaxion.ekoh.services.confidentiality import confidentiality_set, pseudonym_for
from konnaxion.ekoh.services.expertise import expertise_score_set
from konnaxion.ekoh.tests.factories import UserExpertiseScoreFactory, category
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_scores_show_identities_as_each_user_chose(user_client):
    # given
    public = UserFactory(name="Public Person")
    hidden = UserFactory(name="Pseudo Person")
    gone = UserFactory(name="Anon Person")
    confidentiality_set(user=hidden, level="pseudonym")
    confidentiality_set(user=gone, level="anonymous")
    for holder, weighted in ((public, 30), (hidden, 20), (gone, 10)):
        UserExpertiseScoreFactory(user=holder, weighted_score=Decimal(weighted))
    # when
    response = user_client.get("/api/ekoh/scores/")
    # then
    identities = [row["identity"] for row in response.json()["results"]]
    assert identities == [
        {"level": "public", "display_name": "Public Person", "username": public.username},
        {"level": "pseudonym", "display_name": pseudonym_for(hidden)},
        None,
    ]
    assert "Pseudo Person" not in response.content.decode()
    assert hidden.username not in response.content.decode()


def test_scores_filter_by_category_code(user_client):
    UserExpertiseScoreFactory(category=category("042"))
    UserExpertiseScoreFactory(category=category("061"))
    response = user_client.get("/api/ekoh/scores/?category_code=042")
    assert [r["category"]["code"] for r in response.json()["results"]] == ["042"]


def test_confidentiality_is_read_and_set_by_the_user(user, user_client):
    assert user_client.get("/api/ekoh/confidentiality/").json()["level"] == "public"
    response = user_client.put("/api/ekoh/confidentiality/", {"level": "pseudonym"}, format="json")
    assert response.status_code == 200
    assert ConfidentialitySetting.objects.get(user=user).level == "pseudonym"
    refused = user_client.put("/api/ekoh/confidentiality/", {"level": "secret"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid"


def test_weight_endpoint_gives_the_voter_weight(user, user_client):
    expertise_score_set(user=user, category=category(), raw_score=40, reason="r")
    response = user_client.get(f"/api/ekoh/weight/?category={category().pk}")
    assert response.json() == {"category": category().pk, "weight": "1.600"}
    assert user_client.get("/api/ekoh/weight/?category=abc").status_code == 400
    assert user_client.get("/api/ekoh/weight/?category=999999").status_code == 404


def test_history_lists_only_the_callers_scores(user, user_client):
    expertise_score_set(user=user, category=category(), raw_score=40, reason="mine")
    expertise_score_set(user=UserFactory(), category=category(), raw_score=40, reason="theirs")
    reasons = [r["change_reason"] for r in user_client.get("/api/ekoh/history/").json()["results"]]
    assert reasons == ["mine"]


def test_anonymous_callers_are_refused():
    assert APIClient().get("/api/ekoh/scores/").status_code == 401


def test_scores_list_query_count_is_flat(user_client, django_assert_max_num_queries):
    def make_rows(n: int) -> None:
        for index in range(n):
            score = UserExpertiseScoreFactory()
            if index % 2:
                confidentiality_set(user=score.user, level="pseudonym")

    assert_flat_query_count(
        user_client, "/api/ekoh/scores/", make_rows, django_assert_max_num_queries
    )


def test_history_list_query_count_is_flat(user, user_client, django_assert_max_num_queries):
    def make_rows(n: int) -> None:
        score = UserExpertiseScore.objects.get_or_create(user=user, category=category())[0]
        ScoreHistory.objects.bulk_create(
            ScoreHistory(merit_score=score, old_value=i, new_value=i + 1, change_reason="r")
            for i in range(n)
        )

    assert_flat_query_count(
        user_client, "/api/ekoh/history/", make_rows, django_assert_max_num_queries
    )


def test_fixed_lists_query_counts_are_small(user_client):
    assert list_query_count(user_client, "/api/ekoh/categories/") <= 4
    assert list_query_count(user_client, "/api/ekoh/configuration/") <= 4


def test_scores_never_name_someone_the_viewer_may_not_know(user, user_client):
    """Hidden profiles, blocks either way and closed accounts: the score may count, the person
    stays unnamed (or, closed, unlisted)."""
    from konnaxion.kreative.services.professional_profile import block_create
    from konnaxion.kreative.tests.factories import profile_for

    # given
    hidden = profile_for(visibility="hidden").user
    blocker, blocked = UserFactory(), UserFactory()
    block_create(blocker=blocker, blocked=user)
    block_create(blocker=user, blocked=blocked)
    closed = UserFactory(is_active=False)
    shown = UserFactory()
    for weighted, holder in enumerate((hidden, blocker, blocked, closed, shown)):
        UserExpertiseScoreFactory(user=holder, weighted_score=Decimal(10 + weighted))
    # when
    response = user_client.get("/api/ekoh/scores/")
    # then
    rows = response.json()["results"]
    assert [row["identity"] for row in rows] == [
        {
            "level": "public",
            "display_name": shown.name or shown.username,
            "username": shown.username,
        },
        None,
        None,
        None,
    ]
    body = response.content.decode()
    for person in (hidden, blocker, blocked, closed):
        assert person.username not in body
    # and the owner of a hidden profile still sees their own name
    own = APIClient()
    own.force_authenticate(hidden)
    identities = [row["identity"] for row in own.get("/api/ekoh/scores/").json()["results"]]
    assert {
        "level": "public",
        "display_name": hidden.name or hidden.username,
        "username": hidden.username,
    } in identities
