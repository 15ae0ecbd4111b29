"""An open /ws/projects/<slug>/ socket loses what its user loses: after a member is removed, a
role changed, the project made members-only or deleted, or the account deactivated, it is
closed or told nothing more (the real ASGI application and the Redis channel layer)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from konnaxion.core.consumers import CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from konnaxion.keenkonnect.models import Project, ProjectEvent
from konnaxion.keenkonnect.services.projects import project_delete, project_update
from konnaxion.keenkonnect.services.team import project_member_remove, project_member_role_set
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.keenkonnect.tests.test_real_time_sync import _document, _entries, _rename, _socket
from konnaxion.users.tests.factories import UserFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def _closed_with(communicator, code: int) -> None:
    """The socket's next output is its closing with `code`, whatever events it was sent (the
    timeout only keeps a broken test from hanging: a loaded machine may take seconds)."""
    output = await communicator.receive_output(timeout=20)
    assert output == {"type": "websocket.close", "code": code}


async def test_a_member_removed_from_a_members_only_project_is_closed_with_4404():
    # given
    project, users = await database_sync_to_async(team_project)(
        visibility=Project.Visibility.MEMBERS
    )
    owner, member = users["owner"], users["collaborator"]
    plan = await _document(project, owner, "Plan")
    communicator, connected, _ = await _socket(project, member)
    assert connected
    # when
    await database_sync_to_async(project_member_remove)(project=project, user=member, actor=owner)
    await _rename(plan, "Plan 2", owner)
    # then
    await _closed_with(communicator, CLOSE_NOT_FOUND)


async def test_a_public_projects_visitor_is_closed_when_it_becomes_members_only():
    # given a signed-in non-member following a public project
    project, users = await database_sync_to_async(team_project)()
    owner = users["owner"]
    plan = await _document(project, owner, "Plan")
    visitor = await database_sync_to_async(UserFactory)()
    communicator, connected, _ = await _socket(project, visitor)
    assert connected
    # when
    await database_sync_to_async(project_update)(
        project=project, actor=owner, visibility=Project.Visibility.MEMBERS
    )
    await _rename(plan, "Plan 2", owner)
    # then
    await _closed_with(communicator, CLOSE_NOT_FOUND)


async def test_the_team_hears_that_the_visibility_changed_and_keeps_its_socket():
    # given
    project, users = await database_sync_to_async(team_project)()
    owner = users["owner"]
    communicator, connected, _ = await _socket(project, users["mentor"])
    assert connected
    # when
    await database_sync_to_async(project_update)(
        project=project, actor=owner, visibility=Project.Visibility.MEMBERS
    )
    # then
    message = await communicator.receive_json_from(timeout=20)
    assert (message["type"], message["change"], message["resource"]) == (
        "project.access_changed",
        "visibility_changed",
        None,
    )
    await communicator.disconnect()


async def test_every_socket_of_a_deleted_project_is_closed_with_4404():
    # given
    project, users = await database_sync_to_async(team_project)()
    owner = users["owner"]
    sockets = [(await _socket(project, users[name]))[0] for name in ("owner", "mentor")]
    # when
    await database_sync_to_async(project_delete)(project=project, actor=owner)
    # then
    for communicator in sockets:
        await _closed_with(communicator, CLOSE_NOT_FOUND)
    assert not await database_sync_to_async(ProjectEvent.objects.exists)()


async def test_a_deactivated_account_is_closed_and_hears_nothing_more():
    # given
    project, users = await database_sync_to_async(team_project)()
    owner, mentor = users["owner"], users["mentor"]
    plan = await _document(project, owner, "Plan")
    communicator, connected, _ = await _socket(project, mentor)
    assert connected
    # when the account is deactivated, then the document changes
    mentor.is_active = False
    await database_sync_to_async(mentor.save)(update_fields=["is_active"])
    await _rename(plan, "Plan 2", owner)
    # then the event is not sent: the socket is closed
    await _closed_with(communicator, CLOSE_UNAUTHENTICATED)


async def test_an_owner_made_mentor_no_longer_hears_of_a_document_their_entry_hides():
    # given a second owner whose entry on the plan says none (owners ignore entries)
    project, users = await database_sync_to_async(team_project)()
    owner, second = users["owner"], users["collaborator"]
    await database_sync_to_async(project_member_role_set)(
        project=project, user=second, role="owner", actor=owner
    )
    plan = await _document(project, owner, "Plan")
    await _entries(plan, [{"user": second.username, "level": "none"}], owner)
    communicator, connected, _ = await _socket(project, second)
    assert connected
    await _rename(plan, "Plan 2", owner)
    assert (await communicator.receive_json_from(timeout=20))["type"] == "resource.updated"
    # when
    await database_sync_to_async(project_member_role_set)(
        project=project, user=second, role="mentor", actor=owner
    )
    await _rename(plan, "Plan 3", owner)
    # then: told that access changed, and nothing about the plan
    message = await communicator.receive_json_from(timeout=20)
    assert (message["type"], message["change"]) == ("project.access_changed", "role_changed")
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_a_replay_is_judged_by_todays_access():
    # given a mentor who could read the plan, then whose entry became none, away meanwhile
    project, users = await database_sync_to_async(team_project)()
    owner, mentor = users["owner"], users["mentor"]
    plan = await _document(project, owner, "Plan")
    await _rename(plan, "Plan 2", owner)
    await _entries(plan, [{"user": mentor.username, "level": "none"}], owner)
    # when they come back asking for everything since the start
    communicator, connected, _ = await _socket(project, mentor, since=0)
    # then only the revocation notice (the id they had) comes, not the history of the plan
    assert connected
    notice = await communicator.receive_json_from(timeout=20)
    assert (notice["type"], notice["readable"]) == ("resource.permissions_changed", False)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()
