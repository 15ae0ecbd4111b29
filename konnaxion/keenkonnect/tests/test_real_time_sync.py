"""/ws/projects/<slug>/ over the real ASGI application and the Redis channel layer."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from konnaxion.core.consumers import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND
from konnaxion.core.tests.sockets import HANDSHAKE_REFUSED, Opening, refused, socket_open
from konnaxion.keenkonnect.models import AccessLevel, Project, ProjectEvent, ProjectResource
from konnaxion.keenkonnect.services.granular_permissions import access_entries_replace
from konnaxion.keenkonnect.services.real_time_sync import project_events_prune
from konnaxion.keenkonnect.services.secure_document_storage import (
    resource_create,
    resource_update,
)
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def _communicator(project, user, *, since: int | None, origin: bytes):
    token = await database_sync_to_async(token_for)(user)
    headers = [(b"origin", origin), (b"host", b"localhost")]
    headers.append((b"authorization", f"Token {token}".encode()))
    query = "" if since is None else f"?since={since}"
    return WebsocketCommunicator(
        application, f"/ws/projects/{project.slug}/{query}", headers=headers
    )


async def _socket(project, user, *, since: int | None = None, origin=b"http://localhost"):
    communicator = await _communicator(project, user, since=since, origin=origin)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def _opening(project, user, *, origin=b"http://localhost") -> Opening:
    return await socket_open(await _communicator(project, user, since=None, origin=origin))


@database_sync_to_async
def _document(project, owner, title: str) -> ProjectResource:
    return resource_create(
        project=project, upload=incoming_file(pdf_bytes(title)), actor=owner, title=title
    )


@database_sync_to_async
def _rename(resource: ProjectResource, title: str, actor) -> None:
    resource.my_level = AccessLevel.ADMIN
    resource_update(resource=resource, actor=actor, title=title)


@database_sync_to_async
def _entries(resource: ProjectResource, entries: list[dict], actor) -> None:
    resource.my_level = AccessLevel.ADMIN
    access_entries_replace(resource=resource, entries=entries, actor=actor)


async def test_events_fan_out_to_every_member_with_thin_payloads():
    # given
    project, users = await database_sync_to_async(team_project)()
    sockets = [(await _socket(project, users[r]))[0] for r in ("owner", "collaborator", "mentor")]
    # when
    resource = await _document(project, users["owner"], "Plan")
    # then
    for communicator in sockets:
        message = await communicator.receive_json_from(timeout=5)
        assert {k: message[k] for k in ("type", "resource", "version", "actor")} == {
            "type": "resource.added",
            "resource": resource.pk,
            "version": 1,
            "actor": users["owner"].username,
        }
        assert message["seq"] == 1 and "title" not in message
        await communicator.disconnect()


async def test_a_user_whose_entry_is_none_hears_nothing_and_revocation_is_immediate():
    # given
    project, users = await database_sync_to_async(team_project)()
    owner, mentor = users["owner"], users["mentor"]
    secret = await _document(project, owner, "Secret")
    public = await _document(project, owner, "Open")
    await _entries(secret, [{"user": mentor.username, "level": "none"}], owner)
    communicator, connected, _ = await _socket(project, mentor)
    assert connected
    # when
    await _rename(secret, "Secret 2", owner)
    await _rename(public, "Open 2", owner)
    # then: only the readable document is mentioned
    message = await communicator.receive_json_from(timeout=5)
    assert (message["type"], message["resource"]) == ("resource.updated", public.pk)
    assert await communicator.receive_nothing(timeout=0.3)
    # when: access to the open document is revoked while the socket is open
    await _entries(public, [{"user": mentor.username, "level": "none"}], owner)
    await _rename(public, "Open 3", owner)
    # then: one notice with the id alone drops it from the mentor's page, then nothing
    notice = await communicator.receive_json_from(timeout=5)
    assert notice == {
        "type": "resource.permissions_changed",
        "seq": notice["seq"],
        "resource": public.pk,
        "readable": False,
    }
    assert await communicator.receive_nothing(timeout=0.5)
    # and a member whose entry was already none is not told again
    await _entries(public, [{"user": mentor.username, "level": "none"}], owner)
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


async def test_a_revocation_notice_is_replayed_to_a_client_that_was_away():
    # given
    project, users = await database_sync_to_async(team_project)()
    owner, mentor = users["owner"], users["mentor"]
    plan = await _document(project, owner, "Plan")
    # when the mentor's entry becomes none while they are away
    await _entries(plan, [{"user": mentor.username, "level": "none"}], owner)
    communicator, connected, _ = await _socket(project, mentor, since=1)
    # then they learn on return that the document left their view, and nothing else
    assert connected
    notice = await communicator.receive_json_from(timeout=5)
    assert notice == {
        "type": "resource.permissions_changed",
        "seq": 2,
        "resource": plan.pk,
        "readable": False,
    }
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_a_member_removed_from_the_team_has_the_socket_closed():
    # given
    project, users = await database_sync_to_async(team_project)()
    communicator, connected, _ = await _socket(project, users["collaborator"])
    assert connected
    # when
    await database_sync_to_async(project_member_remove)(
        project=project, user=users["collaborator"], actor=users["owner"]
    )
    # then
    assert await communicator.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }


async def test_since_replays_what_was_missed_in_order_and_a_gap_says_resync():
    # given: three events while nobody is connected
    project, users = await database_sync_to_async(team_project)()
    owner = users["owner"]
    resource = await _document(project, owner, "A")
    await _rename(resource, "B", owner)
    await _rename(resource, "C", owner)
    # when
    communicator, _, _ = await _socket(project, users["mentor"], since=1)
    # then
    replayed = [await communicator.receive_json_from(timeout=5) for _ in range(2)]
    assert [(m["seq"], m["type"]) for m in replayed] == [
        (2, "resource.updated"),
        (3, "resource.updated"),
    ]
    await _rename(resource, "D", owner)
    assert (await communicator.receive_json_from(timeout=5))["seq"] == 4
    await communicator.disconnect()
    # given: the oldest events pruned
    await database_sync_to_async(
        lambda: ProjectEvent.objects.filter(project=project, seq__lte=2).delete()
    )()
    # when
    communicator, _, _ = await _socket(project, users["mentor"], since=0)
    # then
    assert await communicator.receive_json_from(timeout=5) == {"type": "resync", "seq": 4}
    await communicator.disconnect()


async def test_outsiders_and_foreign_origins_are_refused():
    # given
    project, users = await database_sync_to_async(team_project)(
        visibility=Project.Visibility.MEMBERS
    )
    stranger = await database_sync_to_async(UserFactory)()
    # when
    outsider = await _opening(project, stranger)
    foreign = await _opening(project, users["owner"], origin=b"https://attacker.example")
    # then the outsider is told 4404 (and nothing else), the foreign page gets no socket at all
    assert outsider == refused(CLOSE_NOT_FOUND)
    assert foreign == HANDSHAKE_REFUSED


async def test_pruning_keeps_each_projects_latest_event(settings):
    # given
    settings.REALTIME_EVENT_RETENTION_DAYS = 0
    project, users = await database_sync_to_async(team_project)()
    resource = await _document(project, users["owner"], "A")
    await _rename(resource, "B", users["owner"])
    # when
    deleted = await database_sync_to_async(project_events_prune)()
    # then
    seqs = await database_sync_to_async(
        lambda: list(ProjectEvent.objects.filter(project=project).values_list("seq", flat=True))
    )()
    assert (deleted, seqs) == (1, [2])
