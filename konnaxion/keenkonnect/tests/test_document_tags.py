"""A document's own tags: set through PATCH by writers, kept apart from those indexing finds,
searchable and filterable."""

from __future__ import annotations

import pytest

from konnaxion.keenkonnect.models import AuditEvent, ProjectResource
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def a_document():
    project, users = team_project()
    resource = resource_create(
        project=project, upload=incoming_file(pdf_bytes("x")), actor=users["owner"]
    )
    return project, users, resource


def url(project, resource) -> str:
    return f"/api/projects/{project.slug}/resources/{resource.pk}/"


def test_a_writer_sets_tags_normalised_and_without_repeats():
    # given
    project, users, resource = a_document()

    # when
    response = client_for(users["collaborator"]).patch(
        url(project, resource),
        {"tags": ["  Cedar   roof ", "CNC", "cnc", "cedar roof"]},
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["tags"] == ["Cedar roof", "CNC"]
    resource.refresh_from_db()
    assert resource.tags == ["Cedar roof", "CNC"]
    audit = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert audit.details == {"fields": ["tags"]}


@pytest.mark.parametrize(
    "tags",
    [["x" * 65], [" "], [f"t{index}" for index in range(21)], "not a list"],
)
def test_bad_tags_are_refused(tags):
    project, users, resource = a_document()
    response = client_for(users["owner"]).patch(
        url(project, resource), {"tags": tags}, format="json"
    )
    assert response.status_code == 400, response.content
    assert ProjectResource.objects.get(pk=resource.pk).tags == []


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("outsider", 404)])
def test_readers_and_outsiders_cannot_tag(who, status):
    project, users, resource = a_document()
    project.visibility = "members"
    project.save(update_fields=["visibility"])
    client = client_for(users.get(who) or UserFactory())
    response = client.patch(url(project, resource), {"tags": ["mine"]}, format="json")
    assert response.status_code == status
    assert ProjectResource.objects.get(pk=resource.pk).tags == []


def test_tags_are_found_by_search_and_filter_it():
    # given
    project, users, resource = a_document()
    other = resource_create(
        project=project, upload=incoming_file(pdf_bytes("y")), actor=users["owner"]
    )
    client = client_for(users["owner"])
    assert client.get("/api/search/", {"q": "pergola"}).json()["results"] == []

    # when
    client.patch(url(project, resource), {"tags": ["pergola"]}, format="json")

    # then
    found = client.get("/api/search/", {"q": "pergola"}).json()["results"]
    assert [(row["id"], row["tags"]) for row in found] == [(str(resource.pk), ["pergola"])]
    client.patch(url(project, other), {"tags": ["shed"]}, format="json")
    both = client.get("/api/search/", {"q": "pergola or shed"}).json()["results"]
    assert sorted(row["id"] for row in both) == sorted([str(resource.pk), str(other.pk)])
    filtered = client.get("/api/search/", {"q": "pergola or shed", "tags": "pergola"})
    filtered = filtered.json()["results"]
    assert [row["id"] for row in filtered] == [str(resource.pk)]
