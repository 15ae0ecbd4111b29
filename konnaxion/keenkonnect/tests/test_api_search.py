"""GET /api/search/: websearch syntax, ranking, snippets, filters, permissions, pagination."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, Project
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.kreative.tests.factories import opportunity_for, profile_for
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
    # when: the token, then for documents the planner's estimate, their most recent matches, the
    # ranked page with the count and the page's details; for profiles, opportunities,
    # comments and projects, their page with the count
    with django_assert_max_num_queries(9):
        response = client.get("/api/search/", {"q": "gravel", "page_size": 100})
    # then
    assert response.json()["count"] == rows
    # when: only documents are asked for, the other kinds' queries do not run
    with django_assert_max_num_queries(5):
        response = client.get("/api/search/", {"q": "gravel", "kind": "document"})
    # then
    assert response.json()["count"] == rows


def _cedar_search(documents: int):
    """`documents` documents (one to four times "cedar") and a profile that match "cedar", with
    different scores; a client of their owner."""
    project, users = team_project()
    owner = users["owner"]
    for number in range(documents):
        words = " ".join(["cedar"] * (number % 4 + 1))
        _document(project, owner, [f"{words} shingles {number}."], name=f"c{number}.pdf")
    profile_for(UserFactory(username="cedric"), display_name="Cedric", headline="Cedar roofer")
    return client_for(owner)


def test_pages_follow_one_order_and_each_gives_the_count():
    # given: 25 documents and a profile that match, with different scores
    client = _cedar_search(25)

    def page(**params):
        return client.get("/api/search/", {"q": "cedar", "page_size": 10, **params})

    everything = client.get("/api/search/", {"q": "cedar", "page_size": 100}).json()
    # when
    pages = [page().json(), page(page=2).json(), page(page="last").json()]
    beyond = page(page=4)
    # then
    assert everything["count"] == 26
    assert [body["count"] for body in pages] == [26, 26, 26]
    ids = [(r["kind"], r["id"]) for body in pages for r in body["results"]]
    assert ids == [(r["kind"], r["id"]) for r in everything["results"]]
    assert beyond.status_code == 404
    assert beyond.json()["error"]["code"]
    far_beyond = page(page="1" + "0" * 20)
    assert far_beyond.status_code == 404
    assert far_beyond.json()["error"]["code"]


def test_the_type_filter_follows_the_current_version():
    # given: a PDF that became an image
    project, users = team_project()
    owner = users["owner"]
    resource = _document(project, owner, ["Walnut veneer sample."], "w.pdf", title="Walnut")
    version_create(
        resource=resource_get_visible(user=owner, project=project, resource_id=resource.pk),
        upload=incoming_file(png_bytes(), name="walnut.png"),
        actor=owner,
    )
    client = client_for(owner)

    def found(file_type):
        params = {"q": "walnut", "type": file_type}
        return [r["id"] for r in client.get("/api/search/", params).json()["results"]]

    # then
    assert found("png") == [str(resource.pk)]
    assert found("pdf") == []


def test_a_deep_page_of_merged_kinds_builds_only_its_own_results():
    # given: 16 documents, a profile and an opportunity that match, with different scores
    client = _cedar_search(16)
    opportunity_for(title="Cedar barn residency", description="Cedar framing in the hills.")
    everything = client.get("/api/search/", {"q": "cedar", "page_size": 100}).json()
    # when: the third page of five is read; every kind's first fifteen rows must be ranked
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/search/", {"q": "cedar", "page_size": 5, "page": 3}).json()
    # then: the page is the merged list's rows 10-14, and snippets were made for its own
    # documents only
    assert [(r["kind"], r["id"]) for r in body["results"]] == [
        (r["kind"], r["id"]) for r in everything["results"][10:15]
    ]
    [details] = [
        query["sql"]
        for query in queries
        if "ts_headline" in query["sql"] and '"keenkonnect_projectresource"' in query["sql"]
    ]
    ids = re.search(r'"keenkonnect_projectresource"\."id" IN \(([^)]*)\)', details).group(1)
    page_documents = {r["id"] for r in body["results"] if r["kind"] == "document"}
    assert {part.strip() for part in ids.split(",")} == page_documents
