"""comment.* events on the project socket: ids only, and only to those who may read the document
(the real ASGI application and the Redis channel layer)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from konnaxion.keenkonnect.models import AccessLevel, Project
from konnaxion.keenkonnect.services import document_comments
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.keenkonnect.tests.test_real_time_sync import _document, _entries, _socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def _comment(resource, actor, body, **extra):
    resource.my_level = AccessLevel.ADMIN
    return document_comments.comment_create(resource=resource, actor=actor, body=body, **extra)


@database_sync_to_async
def _resolve(resource, comment_id, actor):
    resource.my_level = AccessLevel.ADMIN
    return document_comments.comment_resolve(resource=resource, comment_id=comment_id, actor=actor)


async def test_readers_hear_of_a_comment_by_its_ids_and_a_hidden_document_is_never_mentioned():
    # given: the mentor's entry hides the secret plan, not the open one
    project, users = await database_sync_to_async(team_project)()
    owner, mentor, collaborator = users["owner"], users["mentor"], users["collaborator"]
    secret = await _document(project, owner, "Secret")
    plan = await _document(project, owner, "Open")
    await _entries(secret, [{"user": mentor.username, "level": "none"}], owner)
    mentor_socket, connected, _ = await _socket(project, mentor)
    assert connected
    collaborator_socket, connected, _ = await _socket(project, collaborator)
    assert connected
    # when
    hidden = await _comment(secret, owner, "About the secret plan")
    shown = await _comment(plan, owner, "About the open plan")
    await _resolve(plan, shown.comment.pk, owner)
    # then the collaborator hears all three, the mentor only the open plan's two
    heard = [await collaborator_socket.receive_json_from(timeout=5) for _ in range(3)]
    assert [(m["type"], m["resource"], m["comment"]) for m in heard] == [
        ("comment.added", secret.pk, hidden.comment.pk),
        ("comment.added", plan.pk, shown.comment.pk),
        ("comment.resolved", plan.pk, shown.comment.pk),
    ]
    message = await mentor_socket.receive_json_from(timeout=5)
    assert message == {
        "type": "comment.added",
        "seq": message["seq"],
        "resource": plan.pk,
        "version": 1,
        "actor": owner.username,
        "at": message["at"],
        "comment": shown.comment.pk,
        "thread": shown.comment.pk,
    }
    assert (await mentor_socket.receive_json_from(timeout=5))["type"] == "comment.resolved"
    assert await mentor_socket.receive_nothing(timeout=0.5)
    await mentor_socket.disconnect()
    await collaborator_socket.disconnect()


async def test_a_removed_member_of_a_members_only_project_hears_no_comment():
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
    await _comment(plan, owner, "After you left")
    # then: the socket closes before any comment reaches it
    output = await communicator.receive_output(timeout=5)
    assert output["type"] == "websocket.close"


async def test_a_replay_leaves_out_comments_on_documents_hidden_today():
    # given a mentor, away while a comment was made, whose entry then became none
    project, users = await database_sync_to_async(team_project)()
    owner, mentor = users["owner"], users["mentor"]
    plan = await _document(project, owner, "Plan")
    await _comment(plan, owner, "Remark")
    await _entries(plan, [{"user": mentor.username, "level": "none"}], owner)
    # when the mentor resumes from the start of the log
    communicator, connected, _ = await _socket(project, mentor, since=0)
    assert connected
    # then only the notice that the document left their view, nothing of the comment
    notice = await communicator.receive_json_from(timeout=5)
    assert (notice["type"], notice["readable"]) == ("resource.permissions_changed", False)
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()
