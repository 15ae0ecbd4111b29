"""A project's team management and its edit and delete forms, through Django's test client."""

import pytest
from django.test import Client, override_settings

from konnaxion.keenkonnect.models import Project, ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def team_of(project: Project) -> dict[str, str]:
    return dict(project.team.values_list("user__username", "role"))


@pytest.fixture
def owner():
    return UserFactory(username="ada")


@pytest.fixture
def project(owner):
    return project_for(creator=owner, title="Loom")


# Adding ---------------------------------------------------------------------------------


def test_an_owner_adds_a_member_and_htmx_gets_the_team_section_alone(owner, project):
    # given
    UserFactory(username="grace")
    # when
    response = client_of(owner).post(
        f"/projects/{project.slug}/team/", {"username": "grace", "role": "mentor"}, **HTMX
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="team"')
    assert "grace joined the team." in html
    assert "<html" not in html
    assert team_of(project) == {"ada": "owner", "grace": "mentor"}


def test_without_htmx_adding_a_member_redirects_to_the_team(owner, project):
    # given
    UserFactory(username="grace")
    # when
    response = client_of(owner).post(
        f"/projects/{project.slug}/team/", {"username": "grace", "role": "collaborator"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.slug}/#team"
    assert team_of(project) == {"ada": "owner", "grace": "collaborator"}


def test_adding_an_unknown_username_says_so_and_adds_nobody(owner, project):
    # when
    response = client_of(owner).post(
        f"/projects/{project.slug}/team/", {"username": "nobody-here", "role": "mentor"}, **HTMX
    )
    # then
    html = response.content.decode()
    assert "No user has this username." in html
    assert 'aria-invalid="true"' in html
    assert team_of(project) == {"ada": "owner"}


def test_adding_someone_already_on_the_team_says_so(owner, project):
    # when
    response = client_of(owner).post(
        f"/projects/{project.slug}/team/", {"username": "ada", "role": "mentor"}
    )
    # then
    assert response.status_code == 409
    assert "This person is already on the team." in response.content.decode()
    assert team_of(project) == {"ada": "owner"}


@override_settings(COLLAB_SPACE_MEMBER_CAP=3)
def test_the_member_cap_error_is_shown_clearly(owner, project):
    # given a team at its cap
    for name in ("b1", "b2"):
        project_member_add(project=project, user=UserFactory(username=name))
    UserFactory(username="one-too-many")
    # when
    response = client_of(owner).post(
        f"/projects/{project.slug}/team/", {"username": "one-too-many", "role": "mentor"}, **HTMX
    )
    # then
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "This team is full: a project has at most 3 members." in html
    assert "Members: 3 of 3" in html
    assert "one-too-many" not in team_of(project)


@pytest.mark.parametrize(
    "data", [{"username": "", "role": "mentor"}, {"username": "x", "role": "boss"}]
)
def test_adding_with_a_bad_form_changes_nothing(owner, project, data):
    # given
    UserFactory(username="x")
    # when
    response = client_of(owner).post(f"/projects/{project.slug}/team/", data)
    # then
    assert response.status_code == 400
    assert team_of(project) == {"ada": "owner"}


# Roles and removal ------------------------------------------------------------------------


def test_an_owner_changes_a_role(owner, project):
    # given
    project_member_add(project=project, user=UserFactory(username="grace"))
    # when
    response = client_of(owner).post(
        f"/projects/{project.slug}/team/grace/role/", {"role": "owner"}, **HTMX
    )
    # then
    assert "The role of grace is changed." in response.content.decode()
    assert team_of(project) == {"ada": "owner", "grace": "owner"}


def test_the_last_owner_cannot_step_down(owner, project):
    # when
    response = client_of(owner).post(f"/projects/{project.slug}/team/ada/role/", {"role": "mentor"})
    # then
    assert response.status_code == 409
    assert "A project keeps at least one owner." in response.content.decode()
    assert team_of(project) == {"ada": "owner"}


def test_an_owner_removes_a_member(owner, project):
    # given
    project_member_add(project=project, user=UserFactory(username="grace"))
    # when
    response = client_of(owner).post(f"/projects/{project.slug}/team/grace/remove/", **HTMX)
    # then
    assert "grace left the team." in response.content.decode()
    assert team_of(project) == {"ada": "owner"}


def test_removing_someone_not_on_the_team_says_so(owner, project):
    # given
    UserFactory(username="grace")
    # when
    response = client_of(owner).post(f"/projects/{project.slug}/team/grace/remove/")
    # then
    assert response.status_code == 404
    assert "No member has this username." in response.content.decode()


def test_a_member_leaves_the_project(project):
    # given
    grace = UserFactory(username="grace")
    project_member_add(project=project, user=grace)
    # when
    response = client_of(grace).post(f"/projects/{project.slug}/team/grace/remove/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/projects/?tab=mine"
    assert team_of(project) == {"ada": "owner"}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("team/", {"username": "grace", "role": "owner"}),
        ("team/ada/role/", {"role": "mentor"}),
        ("team/ada/remove/", {}),
        ("update/", {"title": "Taken over", "visibility": "public", "status": "active"}),
        ("delete/", {}),
    ],
)
def test_members_who_are_not_owners_are_refused_and_nothing_changes(project, path, data):
    # given
    member = UserFactory(username="grace")
    project_member_add(project=project, user=member)
    # when
    response = client_of(member).post(f"/projects/{project.slug}/{path}", data)
    # then
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.title == "Loom"
    assert team_of(project) == {"ada": "owner", "grace": "collaborator"}


@pytest.mark.parametrize(
    "path", ["team/", "team/ada/role/", "team/ada/remove/", "update/", "delete/"]
)
def test_outsiders_of_a_members_only_project_get_404_and_nothing_changes(owner, path):
    # given
    project = project_for(creator=owner, title="Secret", visibility=Project.Visibility.MEMBERS)
    # when
    response = client_of(UserFactory(username="grace")).post(
        f"/projects/{project.slug}/{path}", {"username": "grace", "role": "owner"}
    )
    # then
    assert response.status_code == 404
    assert Project.objects.filter(pk=project.pk, title="Secret").exists()
    assert team_of(project) == {"ada": "owner"}


def test_signed_out_visitors_are_sent_to_sign_in(project):
    response = Client().post(f"/projects/{project.slug}/team/", {"username": "ada"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert ProjectTeam.objects.filter(project=project).count() == 1


def test_get_on_an_action_is_refused(owner, project):
    assert client_of(owner).get(f"/projects/{project.slug}/delete/").status_code == 405
    assert Project.objects.filter(pk=project.pk).exists()


# Edit and delete --------------------------------------------------------------------------


def test_an_owner_edits_the_project_and_the_slug_stays(owner, project):
    # given
    slug = project.slug
    # when
    response = client_of(owner).post(
        f"/projects/{slug}/update/",
        {
            "title": "Jacquard loom",
            "description": "Punched cards.",
            "status": "active",
            "visibility": "members",
            "tags": "textile, history",
        },
    )
    # then
    project.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{slug}/"
    assert (project.title, project.status, project.visibility) == (
        "Jacquard loom",
        "active",
        "members",
    )
    assert project.slug == slug
    assert sorted(tag.name for tag in project.tags.all()) == ["history", "textile"]


def test_editing_with_bad_input_reopens_the_form_with_its_error(owner, project):
    # when
    response = client_of(owner).post(
        f"/projects/{project.slug}/update/",
        {"title": "", "status": "finished", "visibility": "public"},
    )
    # then
    html = response.content.decode()
    project.refresh_from_db()
    assert response.status_code == 400
    assert '<details class="disclosure" open>' in html
    assert 'id="edit_status_error"' in html
    assert project.title == "Loom"


def test_an_owner_deletes_the_project(owner, project):
    # when
    response = client_of(owner).post(f"/projects/{project.slug}/delete/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/projects/?tab=mine"
    assert not Project.objects.filter(pk=project.pk).exists()


def test_an_owner_who_steps_down_gets_the_page_refreshed_without_owner_tools(owner, project):
    # given a second owner
    project_member_add(project=project, user=UserFactory(username="grace"), role="owner")
    # when ada makes herself a mentor
    response = client_of(owner).post(
        f"/projects/{project.slug}/team/ada/role/", {"role": "mentor"}, **HTMX
    )
    # then
    assert response["HX-Refresh"] == "true"
    assert "Add a member" not in response.content.decode()
    assert team_of(project) == {"ada": "mentor", "grace": "owner"}
