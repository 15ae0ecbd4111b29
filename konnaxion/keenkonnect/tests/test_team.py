"""Team membership: owners manage it, the member cap holds under concurrent adds."""

import threading

import pytest
from django.db import connection

from konnaxion.core.errors import Conflict, PermissionDenied
from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services.team import (
    project_member_add,
    project_member_remove,
    project_member_role_set,
)
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import UserFactory


@pytest.mark.django_db
def test_only_owners_add_members():
    project = project_for()
    with pytest.raises(PermissionDenied):
        project_member_add(project=project, user=UserFactory(), actor=UserFactory())
    assert ProjectTeam.objects.filter(project=project).count() == 1


@pytest.mark.django_db
def test_a_member_is_added_once():
    project, user = project_for(), UserFactory()
    project_member_add(project=project, user=user, actor=project.creator)
    with pytest.raises(Conflict):
        project_member_add(project=project, user=user, actor=project.creator)


@pytest.mark.django_db
def test_the_last_owner_cannot_leave_or_step_down():
    project = project_for()
    with pytest.raises(Conflict):
        project_member_remove(project=project, user=project.creator, actor=project.creator)
    with pytest.raises(Conflict):
        project_member_role_set(
            project=project, user=project.creator, role="mentor", actor=project.creator
        )
    assert ProjectTeam.objects.get(project=project).role == "owner"


@pytest.mark.django_db
def test_the_cap_refuses_the_member_too_many(settings):
    # given a cap of 3 and the owner plus two members
    settings.COLLAB_SPACE_MEMBER_CAP = 3
    project = project_for()
    for _ in range(2):
        project_member_add(project=project, user=UserFactory())
    # when / then
    with pytest.raises(Conflict) as error:
        project_member_add(project=project, user=UserFactory())
    assert error.value.code == "team_full"
    assert ProjectTeam.objects.filter(project=project).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_cap_holds_under_concurrent_adds(settings):
    # given a project one seat from the 40-member cap, and ten people joining at once
    assert settings.COLLAB_SPACE_MEMBER_CAP == 40
    project = project_for()
    for _ in range(38):
        project_member_add(project=project, user=UserFactory())
    joiners = [UserFactory() for _ in range(10)]
    barrier = threading.Barrier(len(joiners))
    outcomes: list[str] = []

    def join(user) -> None:
        try:
            barrier.wait()
            project_member_add(project=project, user=user)
            outcomes.append("joined")
        except Conflict as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=join, args=(user,)) for user in joiners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one got the last seat
    assert sorted(outcomes) == ["joined"] + ["team_full"] * 9
    assert ProjectTeam.objects.filter(project=project).count() == 40
