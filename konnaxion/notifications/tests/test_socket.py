"""/ws/notifications/ over the real ASGI application and the Redis channel layer."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction

from config.asgi import application
from konnaxion.core.consumers import CLOSE_UNAUTHENTICATED
from konnaxion.core.tests.sockets import ADMITTED, refused, socket_open
from konnaxion.notifications.models import Notification
from konnaxion.notifications.services.reading import notifications_mark_all_read
from konnaxion.notifications.services.watching import watch_add
from konnaxion.notifications.tests.helpers import members_project, upload_version
from konnaxion.users.services import user_deactivate
from konnaxion.users.tests.factories import token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

HEADERS = [(b"origin", b"http://localhost"), (b"host", b"localhost")]


async def _socket(user=None, language: str = "en"):
    headers = [*HEADERS, (b"accept-language", language.encode())]
    if user is not None:
        token = await database_sync_to_async(token_for)(user)
        headers.append((b"authorization", f"Token {token}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    return communicator, await socket_open(communicator)


@database_sync_to_async
def _scene():
    project, users, document = members_project()
    watch_add(user=users["mentor"], target=document)
    return project, users, document


async def test_anonymous_visitors_are_refused():
    _communicator, opening = await _socket()
    assert opening == refused(CLOSE_UNAUTHENTICATED)


async def test_a_new_notification_is_pushed_after_commit_in_the_readers_language():
    # given
    _project, users, document = await _scene()
    communicator, opening = await _socket(users["mentor"], language="fr")
    assert opening == ADMITTED
    assert await communicator.receive_json_from(timeout=5) == {"type": "count", "unread": 0}
    # when
    await database_sync_to_async(upload_version)(document, users["collaborator"], "v2")
    # then
    message = await communicator.receive_json_from(timeout=5)
    notice = await database_sync_to_async(Notification.objects.get)(recipient=users["mentor"])
    assert message["type"] == "notification"
    assert message["unread"] == 1
    assert message["notification"]["id"] == notice.pk
    name = users["collaborator"].name
    assert message["notification"]["text"] == f"{name} a déposé la version 2 de « Plan »."
    # when everything is read, the count follows
    await database_sync_to_async(notifications_mark_all_read)(user=users["mentor"])
    assert await communicator.receive_json_from(timeout=5) == {"type": "count", "unread": 0}
    await communicator.disconnect()


async def test_nothing_is_pushed_for_a_rolled_back_transaction():
    # given
    _project, users, document = await _scene()
    communicator, _ = await _socket(users["mentor"])
    await communicator.receive_json_from(timeout=5)

    @database_sync_to_async
    def upload_then_fail():
        try:
            with transaction.atomic():
                upload_version(document, users["collaborator"], "v2")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    # when
    await upload_then_fail()
    # then: the next message is the one of a later, committed upload (none came in between)
    await database_sync_to_async(upload_version)(document, users["collaborator"], "again")
    message = await communicator.receive_json_from(timeout=5)
    notice = await database_sync_to_async(Notification.objects.get)(recipient=users["mentor"])
    assert message["unread"] == 1
    assert message["notification"]["id"] == notice.pk
    await communicator.disconnect()


async def test_the_socket_closes_when_the_account_is_closed():
    _project, users, _document = await _scene()
    communicator, _ = await _socket(users["mentor"])
    await communicator.receive_json_from(timeout=5)
    # when
    await database_sync_to_async(user_deactivate)(user=users["mentor"])
    # then
    closed = await communicator.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}
