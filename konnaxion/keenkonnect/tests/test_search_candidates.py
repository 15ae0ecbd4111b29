"""The search's bounded ranking: past SEARCH_CANDIDATES matches, documents are ranked among the
most recently changed ones the caller may read; counts are exact up to SEARCH_EXACT_COUNT and
"about N" past it; pages go through the ranked documents only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, Project, ProjectResource
from konnaxion.keenkonnect.search import about
from konnaxion.keenkonnect.services.intelligent_indexing import resource_vector_refresh
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _documents(project, owner, texts: list[str], *, days_ago: list[int]) -> list[ProjectResource]:
    """Documents of `texts` (indexed), changed `days_ago` days ago each."""
    made = []
    for number, (text, age) in enumerate(zip(texts, days_ago, strict=True)):
        resource = resource_create(
            project=project,
            upload=incoming_file(png_bytes(), name=f"d{number}.png"),
            actor=owner,
            title=f"Sheet {number}",
        )
        changed = timezone.now() - timedelta(days=age)
        ProjectResource.objects.filter(pk=resource.pk).update(
            extracted_text=text, updated_at=changed
        )
        made.append(resource)
    resource_vector_refresh(resource_ids=[resource.pk for resource in made])
    return made


def _search(client, **params) -> dict:
    response = client.get("/api/search/", {"kind": "document", **params})
    assert response.status_code == 200, response.content
    return response.json()


def _ids(body: dict) -> list[int]:
    return [int(result["id"]) for result in body["results"]]


def test_few_matches_are_all_ranked_and_counted_exactly(settings):
    # given
    settings.SEARCH_CANDIDATES = 3
    project, users = team_project()
    owner = users["owner"]
    strong, weak = _documents(
        project, owner, ["walnut walnut walnut veneer", "walnut veneer"], days_ago=[400, 1]
    )
    # when
    body = _search(client_for(owner), q="walnut")
    # then: the old document with more matches still ranks first
    assert _ids(body) == [strong.pk, weak.pk]
    assert (body["count"], body["count_is_estimate"]) == (2, False)


def test_past_the_candidates_the_most_recent_matches_are_ranked(settings):
    # given: five matches for three candidates; the best text is also the oldest
    settings.SEARCH_CANDIDATES = 3
    project, users = team_project()
    owner = users["owner"]
    texts = ["maple " * 8, "maple", "maple", "maple board", "maple plank"]
    documents = _documents(project, owner, texts, days_ago=[500, 40, 30, 20, 10])
    # when
    body = _search(client_for(owner), q="maple")
    # then: ranked among the three most recent, counted exactly (below SEARCH_EXACT_COUNT)
    assert set(_ids(body)) == {documents[2].pk, documents[3].pk, documents[4].pk}
    assert (body["count"], body["count_is_estimate"]) == (5, False)
    # and the exact ranking (no bound) ranks them all
    settings.SEARCH_CANDIDATES = 0
    exact = _search(client_for(owner), q="maple")
    assert _ids(exact)[0] == documents[0].pk and exact["count"] == 5


def test_a_query_expected_to_match_broadly_is_counted_by_estimate(settings):
    # given: no exact count at all, so that any match is more than the planner's bound
    settings.SEARCH_CANDIDATES = 2
    settings.SEARCH_EXACT_COUNT = 0
    project, users = team_project()
    _documents(project, users["owner"], ["cherry"] * 5, days_ago=[5, 4, 3, 2, 1])
    # when
    body = _search(client_for(users["owner"]), q="cherry")
    # then
    assert body["count_is_estimate"] is True
    assert body["count"] >= 1
    assert len(body["results"]) == 2


def test_pages_go_through_the_ranked_documents_only(settings):
    # given
    settings.SEARCH_CANDIDATES = 4
    project, users = team_project()
    _documents(project, users["owner"], ["birch"] * 6, days_ago=[6, 5, 4, 3, 2, 1])
    client = client_for(users["owner"])
    # when
    first = _search(client, q="birch", page_size=3)
    second = client.get(first["next"])
    # then
    assert first["count"] == 6 and len(first["results"]) == 3
    assert second.status_code == 200
    assert len(second.json()["results"]) == 1 and second.json()["next"] is None
    assert set(_ids(first)) | set(_ids(second.json())) == {
        resource.pk
        for resource in ProjectResource.objects.filter(project=project).order_by("-updated_at")[:4]
    }


def test_documents_the_caller_may_not_read_take_no_candidate_place(settings):
    # given: the most recent matches are hidden from the collaborator or in a private project
    settings.SEARCH_CANDIDATES = 2
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    owner, collaborator = users["owner"], users["collaborator"]
    readable = _documents(project, owner, ["larch"] * 2, days_ago=[30, 20])
    hidden = _documents(project, owner, ["larch"] * 2, days_ago=[2, 1])
    for resource in hidden:
        DocumentAccess.objects.create(resource=resource, user=collaborator, level=AccessLevel.NONE)
    other, other_users = team_project(visibility=Project.Visibility.MEMBERS)
    _documents(other, other_users["owner"], ["larch"] * 3, days_ago=[3, 2, 1])
    # when
    body = _search(client_for(collaborator), q="larch")
    stranger = _search(client_for(UserFactory()), q="larch")
    # then
    assert sorted(_ids(body)) == sorted(resource.pk for resource in readable)
    assert (body["count"], body["count_is_estimate"]) == (2, False)
    assert (stranger["count"], stranger["results"]) == (0, [])


def test_the_search_page_says_about_when_the_count_is_an_estimate(settings):
    # given
    settings.SEARCH_CANDIDATES = 2
    settings.SEARCH_EXACT_COUNT = 0
    project, users = team_project()
    _documents(project, users["owner"], ["alder"] * 5, days_ago=[5, 4, 3, 2, 1])
    from django.test import Client

    client = Client()
    client.force_login(users["owner"])
    # when
    page = client.get("/search/", {"q": "alder"})
    settings.SEARCH_CANDIDATES = 0
    exact = client.get("/search/", {"q": "alder"})
    # then
    assert page.status_code == 200
    assert "About" in page.content.decode()
    assert "About" not in exact.content.decode() and "Results: 5" in exact.content.decode()


@pytest.mark.parametrize(
    ("number", "told"),
    [(7, 7), (42, 42), (10_001, 10_000), (16_355, 16_000), (209_054, 210_000), (95_500, 96_000)],
)
def test_an_estimate_is_told_to_two_significant_figures(number, told):
    assert about(number) == told
