"""Projects: stable unique slugs, the creator as owner, visibility in one selector."""

import pytest

from konnaxion.core.errors import PermissionDenied
from konnaxion.keenkonnect.models import Project, ProjectTeam
from konnaxion.keenkonnect.selectors import project_role_of, projects_visible_to
from konnaxion.keenkonnect.services.projects import project_rate, project_update
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_creator_becomes_owner_and_the_slug_comes_from_the_title():
    # when
    project = project_for(title="Solar Kiln for Pottery!", tags=["Ceramics", "solar"])
    # then
    assert project.slug == "solar-kiln-for-pottery"
    assert project_role_of(project=project, user=project.creator) == "owner"
    assert sorted(project.tags.values_list("name", flat=True)) == ["Ceramics", "solar"]


def test_same_titles_get_distinct_slugs_and_renaming_keeps_the_slug():
    # given
    first = project_for(title="Water Pump")
    second = project_for(title="Water Pump")
    # when
    project_update(project=first, actor=first.creator, title="Hand Pump")
    # then
    first.refresh_from_db()
    assert first.slug == "water-pump"
    assert second.slug.startswith("water-pump-") and second.slug != first.slug


def test_members_only_projects_are_visible_to_their_team_only():
    # given
    public = project_for(visibility="public")
    private = project_for(visibility="members")
    member, stranger = UserFactory(), UserFactory()
    project_member_add(project=private, user=member, role="mentor")
    # then
    assert set(projects_visible_to(user=member)) == {public, private}
    assert set(projects_visible_to(user=stranger)) == {public}
    assert project_role_of(project=private, user=member) == "mentor"
    assert project_role_of(project=private, user=stranger) is None


def test_only_owners_edit_a_project():
    project = project_for(title="Mine")
    collaborator = UserFactory()
    project_member_add(project=project, user=collaborator)
    with pytest.raises(PermissionDenied):
        project_update(project=project, actor=collaborator, title="Ours")
    assert Project.objects.get(pk=project.pk).title == "Mine"


def test_rating_again_replaces_the_rating():
    project, user = project_for(), UserFactory()
    project_rate(project=project, user=user, value=2)
    project_rate(project=project, user=user, value=5, review="Great")
    assert list(project.ratings.values_list("value", "review")) == [(5, "Great")]


def test_status_includes_completed():
    assert {"draft", "active", "completed", "archived"} <= set(Project.Status.values)
    assert set(ProjectTeam.Role.values) == {"owner", "collaborator", "mentor"}
