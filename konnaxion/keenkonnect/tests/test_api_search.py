"""GET /api/search/: websearch syntax, ranking, snippets, filters, permissions, pagination."""

from __future__ import annotations

import pytest

from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, Project
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _document(project, owner, pages: list[str], name: str = "doc.pdf", title: str = ""):
    resource = resource_create(
        project=project,
        upload=incoming_file(multipage_pdf(pages), name=name),
        actor=owner,
        title=title,
    )
    resource_index(resource_id=resource.pk, version_number=1)
    return resource


def test_a_word_only_on_page_three_is_found_with_a_highlight():
    # given
    project, users = team_project()
    pages = ["Site survey notes.", "Drainage layout.", "The cistern overflows into a swale."]
    resource = _document(project, users["owner"], pages)
    # when
    response = client_for(users["mentor"]).get("/api/search/", {"q": "swale"})
    # then
    assert response.status_code == 200
    [result] = response.json()["results"]
    assert (result["kind"], result["id"], result["project"]) == (
        "document",
        str(resource.pk),
        project.slug,
    )
    assert "<mark>swale</mark>" in result["snippet"]
    assert result["version"] == 1 and result["content_type"] == "application/pdf"


def test_websearch_syntax_phrases_or_and_exclusion():
    # given
    project, users = team_project()
    owner = users["owner"]
    timber = _document(project, owner, ["Timber frame with oak pegs."], "a.pdf")
    steel = _document(project, owner, ["Steel frame with bolted joints."], "b.pdf")
    client = client_for(owner)

    def ids(q):
        return {int(r["id"]) for r in client.get("/api/search/", {"q": q}).json()["results"]}

    # then
    assert ids("frame") == {timber.pk, steel.pk}
    assert ids('"oak pegs"') == {timber.pk}
    assert ids('"pegs oak"') == set()
    assert ids("oak or bolted") == {timber.pk, steel.pk}
    assert ids("frame -steel") == {timber.pk}


def test_title_weighs_more_than_text():
    # given
    project, users = team_project()
    owner = users["owner"]
    in_text = _document(project, owner, ["A note about the gazebo and the garden."], "t.pdf")
    in_title = _document(project, owner, ["Garden furniture."], "g.pdf", title="Gazebo")
    # when
    results = client_for(owner).get("/api/search/", {"q": "gazebo"}).json()["results"]
    # then
    assert [int(r["id"]) for r in results] == [in_title.pk, in_text.pk]
    assert results[0]["score"] > results[1]["score"]


def test_documents_the_caller_may_not_read_never_appear():
    # given
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    owner = users["owner"]
    hidden = _document(project, owner, ["Confidential lattice budget."], "h.pdf")
    shown = _document(project, owner, ["Public lattice drawing."], "s.pdf")
    DocumentAccess.objects.create(
        resource=hidden, user=users["collaborator"], level=AccessLevel.NONE
    )
    other, other_users = team_project(visibility=Project.Visibility.MEMBERS)
    _document(other, other_users["owner"], ["Another lattice."], "o.pdf")
    # when
    collaborator = client_for(users["collaborator"]).get("/api/search/", {"q": "lattice"}).json()
    stranger = client_for(UserFactory()).get("/api/search/", {"q": "lattice"}).json()
    # then
    assert [int(r["id"]) for r in collaborator["results"]] == [shown.pk]
    assert collaborator["count"] == 1
    assert stranger["count"] == 0


def test_public_projects_are_searched_by_everyone_and_filters_narrow():
    # given
    project, users = team_project(visibility=Project.Visibility.PUBLIC)
    owner = users["owner"]
    pdf = _document(project, owner, ["Bamboo scaffolding guide."], "bamboo.pdf")
    other, other_users = team_project(visibility=Project.Visibility.PUBLIC)
    _document(other, other_users["owner"], ["Bamboo flooring."], "floor.pdf")
    client = client_for(UserFactory())

    def count(**params):
        return client.get("/api/search/", {"q": "bamboo", **params}).json()["count"]

    # then
    assert count() == 2
    assert count(project=project.slug) == 1
    assert count(type="pdf") == 2
    assert count(type="png") == 0
    assert count(uploader=owner.username) == 1
    assert count(date_from="2000-01-01", date_to="2999-01-01") == 2
    assert count(date_to="2000-01-01") == 0
    assert count(tags="nothing-like-this") == 0
    assert pdf.pk


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 201},
        {"q": "a", "date_from": "nope"},
        {"q": "a", "date_from": "2020-02-01", "date_to": "2020-01-01"},
        {"q": "a", "kind": "robots"},
        {"q": "a", "page_size": "0"},
    ],
)
def test_bad_parameters_are_a_clear_400(params):
    # when
    response = client_for(UserFactory()).get("/api/search/", params)
    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"]


def test_odd_queries_never_fail():
    # given
    project, users = team_project()
    _document(project, users["owner"], ["Plain words."])
    client = client_for(users["owner"])
    # then
    for q in ['"', "-", "or", "!!&|", "a:*", "'\\", "((", "<b>plain</b>"]:
        assert client.get("/api/search/", {"q": q}).status_code == 200


def test_snippets_are_escaped_html():
    # given
    project, users = team_project()
    _document(project, users["owner"], ["Load < 5 kN & span > 3 m for quartz slabs."])
    # when
    [result] = client_for(users["owner"]).get("/api/search/", {"q": "quartz"}).json()["results"]
    # then
    assert "&lt; 5 kN &amp; span &gt; 3" in result["snippet"]
    assert "<mark>quartz</mark>" in result["snippet"]


def test_anonymous_callers_are_refused():
    from rest_framework.test import APIClient

    assert APIClient().get("/api/search/", {"q": "a"}).status_code == 401


@pytest.mark.parametrize("rows", [2, 50])
def test_query_count_does_not_grow_with_rows(rows, django_assert_max_num_queries):
    # given
    project, users = team_project()
    owner = users["owner"]
    for index in range(rows):
        resource = resource_create(
            project=project,
            upload=incoming_file(multipage_pdf([f"Gravel path {index}"]), name=f"p{index}.pdf"),
            actor=owner,
        )
        from konnaxion.keenkonnect.models import ProjectResource
        from konnaxion.keenkonnect.services.intelligent_indexing import resource_vector_refresh

        ProjectResource.objects.filter(pk=resource.pk).update(extracted_text=f"gravel path {index}")
        resource_vector_refresh(resource_ids=[resource.pk])
    client = client_for(owner)
    # when
    with django_assert_max_num_queries(8):
        response = client.get("/api/search/", {"q": "gravel", "page_size": 100})
    # then
    assert response.json()["count"] == rows
