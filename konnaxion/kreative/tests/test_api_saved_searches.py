"""/api/connect/saved-searches/: one's own saved searches (others' are 404), run, alerts."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from konnaxion.kreative.models import SavedSearch
from konnaxion.kreative.services.saved_searches import saved_search_create
from konnaxion.kreative.tests.factories import opportunity_for, profile_for
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db
URL = "/api/connect/saved-searches/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def _search(owner, **fields) -> SavedSearch:
    fields.setdefault("kind", "opportunities")
    fields.setdefault("name", "Print")
    fields.setdefault("filters", {"tags": "print"})
    return saved_search_create(owner=owner, **fields)


def test_create_keeps_the_normalized_filters():
    # given
    owner = UserFactory()
    body = {
        "name": "Print residencies",
        "kind": "opportunities",
        "filters": {"tags": "print, etching", "type": "residency", "remote": ""},
        "alert": "daily",
    }
    # when
    response = client_for(owner).post(URL, body, format="json")
    # then
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["filters"] == {"tags": "print,etching", "type": "residency"}
    assert data["alert"] == "daily"
    assert data["last_run_at"] is None
    search = SavedSearch.objects.get(pk=data["id"])
    assert search.owner == owner


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "opportunities", "filters": {"type": "boat"}}, "type"),
        ({"kind": "opportunities", "filters": {"deadline_before": "tomorrow"}}, "deadline_before"),
        ({"kind": "people", "filters": {"role": "king"}}, "role"),
        ({"kind": "people", "filters": {"tags": "print"}}, "tags"),
        ({"kind": "people", "filters": {"q": ["a"]}}, "q"),
    ],
)
def test_invalid_filters_answer_400_naming_the_field(body, field):
    # given
    owner = UserFactory()
    # when
    response = client_for(owner).post(URL, {"name": "Mine", **body}, format="json")
    # then
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["details"]["fields"]["filters"]) == [field]
    assert not SavedSearch.objects.filter(owner=owner).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "boats", "name": "x"}, "kind"),
        ({"kind": "people", "name": ""}, "name"),
        ({"kind": "people", "name": "x", "alert": "hourly"}, "alert"),
    ],
)
def test_invalid_fields_answer_400(body, field):
    response = client_for(UserFactory()).post(URL, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["details"]["fields"]


def test_others_saved_searches_are_404_everywhere():
    # given
    owner, other = UserFactory(), UserFactory()
    search = _search(owner)
    client = client_for(other)
    detail = f"{URL}{search.pk}/"
    # when / then
    assert client.get(URL).json()["results"] == []
    assert client.get(detail).status_code == 404
    assert client.get(f"{detail}run/").status_code == 404
    assert client.patch(detail, {"name": "Mine"}, format="json").status_code == 404
    assert client.delete(detail).status_code == 404
    search.refresh_from_db()
    assert search.name == "Print"
    assert search.last_run_at is None


def test_anonymous_visitors_are_refused():
    assert APIClient().get(URL).status_code in (401, 403)


def test_owner_renames_changes_alert_and_filters_then_deletes():
    # given
    owner = UserFactory()
    search = _search(owner)
    client = client_for(owner)
    detail = f"{URL}{search.pk}/"
    # when
    response = client.patch(
        detail,
        {"name": "Etching", "alert": "immediate", "filters": {"tags": "etching"}},
        format="json",
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Etching"
    assert response.json()["alert"] == "immediate"
    assert response.json()["filters"] == {"tags": "etching"}
    # when: a bad change changes nothing
    response = client.patch(detail, {"filters": {"type": "boat"}}, format="json")
    assert response.status_code == 400
    assert SavedSearch.objects.get(pk=search.pk).filters == {"tags": "etching"}
    # when
    assert client.delete(detail).status_code == 204
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_run_answers_the_current_results_of_each_kind():
    # given
    owner = UserFactory()
    match = opportunity_for(tags=["print"], title="Print residency")
    opportunity_for(tags=["clay"])
    opportunities = _search(owner)
    person = UserFactory(username="ada")
    profile_for(user=person, skills=["etching"])
    people = _search(owner, kind="people", filters={"skills": "etching"})
    client = client_for(owner)
    # when
    found = client.get(f"{URL}{opportunities.pk}/run/")
    found_people = client.get(f"{URL}{people.pk}/run/")
    # then
    assert found.status_code == 200, found.content
    assert [item["id"] for item in found.json()["results"]] == [match.pk]
    assert found.json()["count"] == 1
    assert [item["username"] for item in found_people.json()["results"]] == ["ada"]
    assert SavedSearch.objects.get(pk=opportunities.pk).last_run_at is not None


def test_too_many_saved_searches_answer_409(settings):
    # given
    settings.SAVED_SEARCH_MAX_PER_USER = 1
    owner = UserFactory()
    _search(owner)
    # when
    response = client_for(owner).post(URL, {"name": "Two", "kind": "people"}, format="json")
    # then
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "too_many_saved_searches"


@pytest.mark.parametrize("rows", [2, 50])
def test_list_and_run_query_counts_are_flat(rows, django_assert_max_num_queries):
    # given
    owner = UserFactory()
    client = client_for(owner)
    for number in range(rows):
        _search(owner, name=f"Search {number}")
        opportunity_for(tags=["print", f"tag {number}"])
    search = SavedSearch.objects.filter(owner=owner).first()
    # when / then
    with django_assert_max_num_queries(8):
        assert client.get(f"{URL}?page_size=100").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"{URL}{search.pk}/run/?page_size=100").status_code == 200
