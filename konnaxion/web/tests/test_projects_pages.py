"""The /projects pages through Django's test client: tabs, permissions, 404s, forms and team."""

import re

import pytest
from django.template.loader import get_template
from django.template.loader_tags import BlockNode
from django.test import Client

from konnaxion.ekoh.models import ExpertiseCategory
from konnaxion.keenkonnect.models import Project, ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MEMBERS = Project.Visibility.MEMBERS
HTMX = {"HTTP_HX_REQUEST": "true"}


def client_of(user) -> Client:
    """Signed in as `user`, the session already seen once: a session's first request records
    it for the sessions page (at most once a minute), which the query counts below leave out."""
    client = Client()
    client.force_login(user)
    client.get("/livez")
    return client


def titles_in(html: str) -> list[str]:
    return re.findall(
        r'<h3 id="project-\d+-title"><a href="[^"]+"><bdi>([^<]+)</bdi></a></h3>', html
    )


def role_shown(html: str, username: str) -> str | None:
    """The role the team list shows beside `username` (for a visitor who cannot change it)."""
    found = re.search(
        rf'team-member__name"><bdi>{username}</bdi>'
        r'( <span class="muted">\(<bdi>[^<]*</bdi>\)</span>)?'
        r"</span>\s*"
        r'<span class="role">([^<]+)</span>',
        html,
    )
    return found.group(2) if found else None


# Browse ---------------------------------------------------------------------------------


def test_browse_lists_public_projects_and_members_only_projects_of_my_teams():
    # given
    me, stranger = UserFactory(), UserFactory()
    project_for(creator=stranger, title="Open lathe")
    project_for(creator=stranger, title="Secret forge", visibility=MEMBERS)
    project_for(creator=me, title="My hidden kiln", visibility=MEMBERS)
    # when
    html = client_of(me).get("/projects/").content.decode()
    # then
    assert sorted(titles_in(html)) == ["My hidden kiln", "Open lathe"]


def test_browse_is_open_to_visitors_who_are_not_signed_in(client):
    # given
    project_for(title="Open lathe")
    project_for(title="Secret forge", visibility=MEMBERS)
    # when
    response = client.get("/projects/?tab=browse")
    # then
    assert response.status_code == 200
    assert titles_in(response.content.decode()) == ["Open lathe"]


def test_browse_searches_by_title_and_filters_by_tag_and_status(client):
    # given
    project_for(title="Oak table", tags=["Woodwork"], status=Project.Status.ACTIVE)
    project_for(title="Oak chair", tags=["woodwork"], status=Project.Status.DRAFT)
    project_for(title="Steel table", tags=["metal"], status=Project.Status.ACTIVE)

    def found(query: str) -> list[str]:
        return sorted(titles_in(client.get(f"/projects/?tab=browse&{query}").content.decode()))

    # then
    assert found("q=table") == ["Oak table", "Steel table"]
    assert found("tag=WOODWORK") == ["Oak chair", "Oak table"]
    assert found("tag=woodwork&status=active") == ["Oak table"]
    assert found("q=nothing-like-this") == []


def test_browse_with_an_unknown_status_shows_the_error_not_a_crash(client):
    # given
    project_for(title="Oak table")
    # when
    response = client.get("/projects/?tab=browse&status=bogus")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html
    assert titles_in(html) == ["Oak table"]


def test_browse_is_paginated_and_keeps_the_filters_in_page_links(client):
    # given
    for number in range(23):
        project_for(title=f"Lamp {number:02}", tags=["light"])
    # when
    first = client.get("/projects/?tab=browse&tag=light").content.decode()
    second = client.get("/projects/?tab=browse&tag=light&page=2").content.decode()
    # then
    assert len(titles_in(first)) == 20
    assert len(titles_in(second)) == 3
    assert "Page 1 of 2" in first
    assert 'href="?tab=browse&amp;tag=light&amp;page=2"' in first
    assert client.get("/projects/?tab=browse&page=abc").status_code == 200


@pytest.mark.parametrize("rows", [2, 50])
def test_browse_query_count_does_not_grow_with_rows(rows, django_assert_max_num_queries):
    # given
    user = UserFactory()
    for number in range(rows):
        project = project_for(title=f"Bench {number}", tags=["wood", f"t{number}"])
        if number % 2:
            project_member_add(project=project, user=user)
    client = client_of(user)
    # then
    with django_assert_max_num_queries(8):
        assert client.get("/projects/?tab=browse").status_code == 200


# My Projects ----------------------------------------------------------------------------


def test_my_projects_lists_the_projects_i_am_on_with_my_role():
    # given
    me, other = UserFactory(), UserFactory()
    project_for(creator=me, title="Mine")
    theirs = project_for(creator=other, title="Theirs, with me", visibility=MEMBERS)
    project_member_add(project=theirs, user=me, role=ProjectTeam.Role.MENTOR)
    project_for(creator=other, title="Not mine")
    # when
    html = client_of(me).get("/projects/?tab=mine").content.decode()
    # then
    assert sorted(titles_in(html)) == ["Mine", "Theirs, with me"]
    assert "Your role: Owner" in html
    assert "Your role: Mentor" in html


@pytest.mark.parametrize("rows", [2, 50])
def test_my_projects_query_count_does_not_grow_with_rows(rows, django_assert_max_num_queries):
    # given
    user = UserFactory()
    for number in range(rows):
        project_for(creator=user, title=f"Stool {number}", tags=["wood"])
    client = client_of(user)
    # then
    with django_assert_max_num_queries(8):
        assert client.get("/projects/?tab=mine").status_code == 200


def test_create_and_my_projects_ask_visitors_to_sign_in(client):
    for tab in ("create", "mine"):
        html = client.get(f"/projects/?tab={tab}").content.decode()
        assert "/accounts/login/?next=/projects/%3Ftab%3D" + tab in html


# Create ---------------------------------------------------------------------------------


def test_create_makes_the_project_with_its_creator_as_owner():
    # given
    user = UserFactory()
    category = ExpertiseCategory.objects.order_by("code").first()
    # when
    response = client_of(user).post(
        "/projects/?tab=create",
        {
            "title": "Solar dryer",
            "description": "Dry fruit with the sun.",
            "category": category.pk,
            "visibility": MEMBERS,
            "tags": "solar, food , , Solar",
        },
    )
    # then
    project = Project.objects.get(title="Solar dryer")
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.slug}/"
    assert project.category == category
    assert project.visibility == MEMBERS
    assert project.status == Project.Status.DRAFT
    assert sorted(tag.name for tag in project.tags.all()) == ["food", "solar"]
    assert list(project.team.values_list("user", "role")) == [(user.pk, "owner")]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Ok", "visibility": "everyone"}, "visibility"),
        ({"title": "Ok", "category": "999999"}, "category"),
        ({"title": "Ok", "tags": "a" * 65}, "tags"),
        ({"title": "Ok", "tags": ",".join(f"t{n}" for n in range(51))}, "tags"),
    ],
)
def test_create_with_bad_input_shows_the_error_and_creates_nothing(data, field):
    # given
    user = UserFactory()
    data = {"visibility": "public", **data}
    # when
    response = client_of(user).post("/projects/?tab=create", data)
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in html or f'aria-invalid="true" id="id_{field}"' in html
    assert not Project.objects.exists()


def test_create_when_signed_out_goes_to_sign_in_and_creates_nothing(client):
    # when
    response = client.post("/projects/?tab=create", {"title": "Sneaky", "visibility": "public"})
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Project.objects.exists()


# A project's page -------------------------------------------------------------------------


def test_the_overview_shows_the_details_and_the_team_with_roles(client):
    # given
    owner, mentor = UserFactory(username="ada"), UserFactory(username="alan")
    project = project_for(creator=owner, title="Loom", description="A **loom**.", tags=["textile"])
    project_member_add(project=project, user=mentor, role="mentor")
    # when
    response = client.get(f"/projects/{project.slug}/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="project-title"><bdi>Loom</bdi></h1>' in html
    assert "A **loom**." in html
    assert "><bdi>textile</bdi></a>" in html
    assert role_shown(html, "ada") == "Owner"
    assert role_shown(html, "alan") == "Mentor"
    assert "Add a member" not in html  # visitors and members do not manage the team
    assert "Edit the project" not in html


def test_the_project_page_leaves_a_named_block_for_the_blueprints_tab():
    # given
    template = get_template("web/projects/project.html").template
    # when
    blocks = {node.name for node in template.nodelist.get_nodes_by_type(BlockNode)}
    # then
    assert {"blueprints_tab", "blueprints_tab_link"} <= blocks


@pytest.mark.parametrize("visitor", ["anonymous", "outsider"])
def test_a_members_only_project_is_a_404_page_for_outsiders(visitor):
    # given
    project = project_for(title="Secret forge", visibility=MEMBERS)
    client = Client() if visitor == "anonymous" else client_of(UserFactory())
    # when
    response = client.get(f"/projects/{project.slug}/")
    # then
    assert response.status_code == 404
    assert "Secret forge" not in response.content.decode()
    assert "Page not found" in response.content.decode()


def test_a_members_only_project_opens_for_its_team():
    # given
    member = UserFactory()
    project = project_for(title="Secret forge", visibility=MEMBERS)
    project_member_add(project=project, user=member)
    # then
    assert client_of(member).get(f"/projects/{project.slug}/").status_code == 200


def test_an_unknown_project_is_a_404_page(client):
    assert client.get("/projects/no-such-project/").status_code == 404


def test_owners_see_the_management_forms():
    # given
    owner = UserFactory()
    project = project_for(creator=owner, title="Loom")
    # when
    html = client_of(owner).get(f"/projects/{project.slug}/").content.decode()
    # then
    assert "Add a member" in html
    assert "Edit the project" in html
    assert f'action="/projects/{project.slug}/delete/"' in html
