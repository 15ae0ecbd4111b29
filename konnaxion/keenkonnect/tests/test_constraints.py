"""The database itself refuses what the keenKonnect invariants forbid."""

import pytest
from django.db import IntegrityError, transaction

from konnaxion.keenkonnect.models import ProjectRating, ProjectTeam
from konnaxion.keenkonnect.tests.factories import (
    ProjectFactory,
    ProjectRatingFactory,
    ProjectTeamFactory,
)
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_project_slug_is_unique():
    ProjectFactory(slug="solar-kiln")
    refused(lambda: ProjectFactory(slug="solar-kiln"))


def test_team_membership_is_unique_per_project_and_user():
    # given
    membership = ProjectTeamFactory()
    # when / then
    refused(
        lambda: ProjectTeam.objects.create(
            project=membership.project, user=membership.user, role="mentor"
        )
    )


def test_team_role_is_owner_collaborator_or_mentor():
    refused(lambda: ProjectTeamFactory(role="boss"))


def test_rating_is_unique_per_project_and_user():
    rating = ProjectRatingFactory()
    refused(lambda: ProjectRating.objects.create(project=rating.project, user=rating.user, value=2))


@pytest.mark.parametrize("value", [0, 6])
def test_rating_value_is_between_1_and_5(value):
    refused(lambda: ProjectRatingFactory(value=value))


@pytest.mark.parametrize(("field", "value"), [("status", "paused"), ("visibility", "secret")])
def test_project_enums_are_enforced(field, value):
    refused(lambda: ProjectFactory(**{field: value}, creator=UserFactory()))
