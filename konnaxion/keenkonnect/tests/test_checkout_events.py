"""Check-out events on /ws/projects/<slug>/ (real ASGI application, Redis channel layer): a
reader hears `resource.locked` with the holder and the end, and `resource.unlocked`; someone
whose entry hides the document hears nothing of it."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from konnaxion.keenkonnect.models import AccessLevel, DocumentCheckout
from konnaxion.keenkonnect.services.document_checkout import checkout_acquire, checkout_break
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.keenkonnect.tests.test_real_time_sync import _document, _entries, _rename, _socket

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@database_sync_to_async
def _lock(resource, user) -> DocumentCheckout:
    resource.my_level = AccessLevel.WRITE
    return checkout_acquire(resource=resource, actor=user, hours=2)


@database_sync_to_async
def _break(resource, owner) -> None:
    resource.my_level = AccessLevel.ADMIN
    checkout_break(resource=resource, actor=owner)


async def test_a_reader_hears_the_lock_with_its_holder_and_its_end_then_the_unlock():
    # given
    project, users = await database_sync_to_async(team_project)()
    owner, ada, mentor = users["owner"], users["collaborator"], users["mentor"]
    plan = await _document(project, owner, "Plan")
    communicator, connected, _ = await _socket(project, mentor)
    assert connected
    # when
    checkout = await _lock(plan, ada)
    await _break(plan, owner)
    # then
    locked = await communicator.receive_json_from(timeout=5)
    assert {k: locked[k] for k in ("type", "resource", "actor", "holder", "until")} == {
        "type": "resource.locked",
        "resource": plan.pk,
        "actor": ada.username,
        "holder": ada.username,
        "until": checkout.expires_at.isoformat(),
    }
    unlocked = await communicator.receive_json_from(timeout=5)
    assert (unlocked["type"], unlocked["resource"], unlocked["actor"]) == (
        "resource.unlocked",
        plan.pk,
        owner.username,
    )
    assert "holder" not in unlocked
    await communicator.disconnect()


async def test_a_member_whose_entry_hides_the_document_hears_nothing_of_its_lock():
    # given
    project, users = await database_sync_to_async(team_project)()
    owner, ada, mentor = users["owner"], users["collaborator"], users["mentor"]
    secret = await _document(project, owner, "Secret")
    public = await _document(project, owner, "Open")
    await _entries(secret, [{"user": mentor.username, "level": "none"}], owner)
    communicator, connected, _ = await _socket(project, mentor)
    assert connected
    # when
    await _lock(secret, ada)
    await _break(secret, owner)
    await _rename(public, "Open 2", owner)
    # then: only the readable document's event arrives
    message = await communicator.receive_json_from(timeout=5)
    assert (message["type"], message["resource"]) == ("resource.updated", public.pk)
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()
