"""Projects as a kind of the platform search (`ProjectSearch`): by title, description and
tags, through `projects_visible_to`, also after the changes of state that take access away."""

from __future__ import annotations

import pytest

from konnaxion.keenkonnect.services.projects import project_update
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def found(user, query: str, **params) -> list[dict]:
    response = client_for(user).get("/api/search/", {"q": query, "kind": "project", **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_project_is_found_by_its_title_description_and_tags_with_its_title():
    # given
    project, users = team_project(
        title="Cargo bike frame",
        description="A welded frame that carries two crates.",
        tags=["welding", "bicycles"],
    )
    # when
    by_title = found(users["owner"], "cargo")
    by_description = found(users["owner"], "crates")
    by_tag = found(users["owner"], "welding")
    # then
    for results in (by_title, by_description, by_tag):
        assert [r["id"] for r in results] == [project.slug]
    result = by_title[0]
    assert result["kind"] == "project"
    assert (result["title"], result["project_title"]) == ("Cargo bike frame", "Cargo bike frame")
    assert result["url"] == f"/api/projects/{project.slug}/"
    assert sorted(result["tags"]) == ["bicycles", "welding"]
    assert "<mark>" in found(users["owner"], "crates")[0]["snippet"]


def test_the_title_weighs_more_than_the_description():
    # given
    in_text, users = team_project(title="Garden shed", description="Roof of cedar shingles.")
    in_title, _ = team_project(title="Cedar chest", description="A box for blankets.")
    # when
    results = found(users["owner"], "cedar")
    # then
    assert [r["id"] for r in results] == [in_title.slug, in_text.slug]


def test_members_only_projects_are_found_by_their_team_only():
    # given
    _project, users = team_project(title="Secret loom", visibility="members")
    outsider = UserFactory()
    # then
    assert found(users["mentor"], "loom")
    assert found(outsider, "loom") == []
    assert found(outsider, "loom", kind=["project", "document"]) == []


def test_a_removed_member_and_a_project_made_private_stop_being_found():
    # given
    project, users = team_project(title="Quiet kiln", visibility="members")
    public, public_users = team_project(title="Open kiln")
    outsider = UserFactory()
    assert found(users["collaborator"], "kiln")
    # when the collaborator is removed, and the public project becomes members-only
    project_member_remove(project=project, user=users["collaborator"], actor=users["owner"])
    project_update(project=public, actor=public_users["owner"], visibility="members")
    # then
    assert found(users["collaborator"], "kiln") == []
    assert found(outsider, "kiln") == []


def test_document_results_name_their_project_by_its_title():
    # given a document result of the search (the other tests of the API cover documents)
    from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
    from konnaxion.keenkonnect.services.secure_document_storage import resource_create
    from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes

    project, users = team_project(title="Harbour crane")
    document = resource_create(
        project=project,
        upload=incoming_file(png_bytes((40, 30)), name="gantry.png"),
        actor=users["owner"],
        title="Gantry sketch",
    )
    resource_index(resource_id=document.pk, version_number=1)
    # when
    response = client_for(users["owner"]).get("/api/search/", {"q": "gantry", "kind": "document"})
    # then
    [result] = response.json()["results"]
    assert (result["project"], result["project_title"]) == (project.slug, "Harbour crane")
