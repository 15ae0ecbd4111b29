"""keenKonnect API: visibility, owner/team permissions; lists keep a flat query count."""

import pytest
from rest_framework.test import APIClient

from konnaxion.core.tests.querycount import assert_flat_query_count
from konnaxion.ekoh.tests.factories import category
from konnaxion.keenkonnect.models import Project, ProjectTask, ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import (
    ProjectMessageFactory,
    ProjectRatingFactory,
    ProjectTaskFactory,
    project_for,
)
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def test_create_a_project_and_become_its_owner(user, user_client):
    # when
    response = user_client.post(
        "/api/keenkonnect/projects/",
        {"title": "Rain Harvester", "category": category().pk, "tags": ["water"]},
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["creator"], body["tags"]) == (
        "rain-harvester",
        user.username,
        ["water"],
    )
    team = user_client.get("/api/keenkonnect/projects/rain-harvester/team/").json()["results"]
    assert team == [
        {
            "username": user.username,
            "name": user.name,
            "role": "owner",
            "joined_at": team[0]["joined_at"],
        }
    ]


def test_members_only_projects_are_404_to_strangers_everywhere(user_client):
    # given
    project = project_for(title="Secret", visibility="members")
    base = f"/api/keenkonnect/projects/{project.slug}"
    # then
    assert user_client.get("/api/keenkonnect/projects/").json()["count"] == 0
    for url in (f"{base}/", f"{base}/tasks/", f"{base}/messages/", f"{base}/team/"):
        response = user_client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert client_for(project.creator).get(f"{base}/").status_code == 200


def test_only_owners_edit_and_add_members(user, user_client):
    project = project_for(title="Shared")
    base = f"/api/keenkonnect/projects/{project.slug}"
    assert user_client.patch(f"{base}/", {"title": "Hijacked"}, format="json").status_code == 403
    owner = client_for(project.creator)
    added = owner.post(
        f"{base}/team/", {"username": user.username, "role": "mentor"}, format="json"
    )
    assert added.status_code == 201
    assert owner.patch(f"{base}/", {"status": "completed"}, format="json").json()["status"] == (
        "completed"
    )
    assert Project.objects.get(pk=project.pk).title == "Shared"
    unknown = owner.post(f"{base}/team/", {"username": "nobody"}, format="json")
    assert unknown.status_code == 400


def test_team_members_write_tasks_and_messages_others_do_not(user, user_client):
    project = project_for(title="Open")
    base = f"/api/keenkonnect/projects/{project.slug}"
    refused = user_client.post(f"{base}/tasks/", {"title": "Sneak"}, format="json")
    assert refused.status_code == 403
    project_member_add(project=project, user=user)
    created = user_client.post(
        f"{base}/tasks/", {"title": "Cut pipes", "assignee": user.username}, format="json"
    )
    assert created.status_code == 201, created.content
    outsider = UserFactory()
    bad = user_client.post(
        f"{base}/tasks/", {"title": "x", "assignee": outsider.username}, format="json"
    )
    assert bad.status_code == 400
    assert (
        user_client.post(f"{base}/messages/", {"content": "Hi"}, format="json").status_code == 201
    )
    assert ProjectTask.objects.filter(project=project).count() == 1


def test_rating_a_project_twice_keeps_one_rating(user_client):
    project = project_for(title="Rated")
    url = f"/api/keenkonnect/projects/{project.slug}/ratings/"
    user_client.post(url, {"value": 2}, format="json")
    response = user_client.post(url, {"value": 5, "review": "Better"}, format="json")
    assert response.status_code == 201
    assert [r["value"] for r in user_client.get(url).json()["results"]] == [5]
    assert user_client.post(url, {"value": 9}, format="json").status_code == 400


def test_projects_filter_by_status_and_tag(user_client):
    project_for(title="A", status="completed", tags=["wood"])
    project_for(title="B", status="active", tags=["metal"])
    completed = user_client.get("/api/keenkonnect/projects/?status=completed").json()
    assert [p["title"] for p in completed["results"]] == ["A"]
    metal = user_client.get("/api/keenkonnect/projects/?tag=METAL").json()
    assert [p["title"] for p in metal["results"]] == ["B"]


def test_projects_list_query_count_is_flat(user, user_client, django_assert_max_num_queries):
    def make_rows(n: int) -> None:
        for index in range(n):
            project = project_for(
                category=category(), tags=[f"t{index}", "shared"], visibility="members"
            )
            project_member_add(project=project, user=user)

    assert_flat_query_count(
        user_client, "/api/keenkonnect/projects/", make_rows, django_assert_max_num_queries
    )


@pytest.mark.parametrize(
    ("resource", "factory"),
    [
        ("tasks", ProjectTaskFactory),
        ("messages", ProjectMessageFactory),
        ("ratings", ProjectRatingFactory),
    ],
)
def test_project_sublists_query_counts_are_flat(
    user_client, django_assert_max_num_queries, resource, factory
):
    project = project_for(title="Busy")

    def make_rows(n: int) -> None:
        for _ in range(n):
            factory(project=project)

    assert_flat_query_count(
        user_client,
        f"/api/keenkonnect/projects/{project.slug}/{resource}/",
        make_rows,
        django_assert_max_num_queries,
    )


def test_team_list_query_count_is_flat(user_client, django_assert_max_num_queries):
    project = project_for(title="Crowd")

    def make_rows(n: int) -> None:
        for _ in range(n):
            ProjectTeam.objects.create(project=project, user=UserFactory())

    assert_flat_query_count(
        user_client,
        f"/api/keenkonnect/projects/{project.slug}/team/",
        make_rows,
        django_assert_max_num_queries,
    )
