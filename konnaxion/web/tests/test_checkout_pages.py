"""Check-out locks on the web pages (Django's test client): the panel of a document page, the
badge of the list, lock, unlock and break, and the refusals a lock gives to restore, trash and
purge, shown as a message (never a 500)."""

import pytest
from django.contrib.messages import get_messages

from konnaxion.keenkonnect.models import (
    AuditEvent,
    DocumentCheckout,
    ProjectResource,
    ProjectTeam,
)
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_blueprints_pages import (  # noqa: F401 (the `team` fixture)
    client_of,
    document,
    second_version,
    team,
)

pytestmark = pytest.mark.django_db


def _page(project, resource, tail: str = "") -> str:
    return f"/projects/{project.slug}/blueprints/{resource.pk}/{tail}"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def world(request):
    """test_blueprints_pages' team: olga owns, walt writes, rita reads, otto is outside."""
    return request.getfixturevalue("team")


@pytest.fixture
def locked(world):
    """A document with two versions, checked out by the writer (walt)."""
    project, users = world
    plan = document(project, users["owner"])
    second_version(plan, users["owner"])
    response = client_of(users["writer"]).post(
        _page(project, plan, "lock/take/"), {"note": "Roof", "hours": "24"}
    )
    assert response.status_code == 302
    return project, users, plan


def test_a_writer_sees_the_lock_form_and_a_reader_only_the_state(world):
    project, users = world
    plan = document(project, users["owner"])
    writer = client_of(users["writer"]).get(_page(project, plan)).content.decode()
    reader = client_of(users["reader"]).get(_page(project, plan)).content.decode()
    assert 'action="' + _page(project, plan, "lock/take/") + '"' in writer
    assert "lock/take/" not in reader and "Not checked out." in reader


def test_locking_shows_the_badge_on_the_page_and_in_the_list(locked):
    # given
    project, users, plan = locked
    checkout = DocumentCheckout.objects.get()
    assert (checkout.holder, checkout.note) == (users["writer"], "Roof")
    # when
    page = client_of(users["reader"]).get(_page(project, plan)).content.decode()
    listing = client_of(users["reader"]).get(f"/projects/{project.slug}/blueprints/")
    # then
    assert "Checked out by <bdi>walt</bdi> until" in page and "Roof" in page
    assert 'data-lock-holder="walt"' in listing.content.decode()


def test_the_panel_alone_follows_the_lock_and_is_404_for_outsiders(locked):
    project, users, plan = locked
    panel = client_of(users["reader"]).get(_page(project, plan, "lock/"))
    assert panel.status_code == 200 and 'data-lock-holder="walt"' in panel.content.decode()
    assert client_of(users["outsider"]).get(_page(project, plan, "lock/")).status_code == 404


@pytest.mark.parametrize(
    ("who", "tail", "data"),
    [
        ("owner", "restore/", {"version": "1"}),
        ("owner", "trash/", {}),
        ("owner", "purge/", {"confirm": "yes"}),
    ],
)
def test_a_lock_refuses_restore_trash_and_purge_with_a_message(locked, who, tail, data):
    # given
    project, users, plan = locked
    versions_before = plan.versions.count()
    # when
    response = client_of(users[who]).post(_page(project, plan, tail), data)
    # then
    assert response.status_code == 302
    [message] = _messages(response)
    assert message.startswith("Refused: walt has checked this document out until ")
    plan.refresh_from_db()
    assert plan.trashed_at is None and plan.versions.count() == versions_before
    assert ProjectResource.objects.filter(pk=plan.pk).exists()


def test_the_holder_may_restore_and_unlock(locked):
    project, users, plan = locked
    walt = client_of(users["writer"])
    assert walt.post(_page(project, plan, "restore/"), {"version": "1"}).status_code == 302
    assert plan.versions.count() == 3
    response = walt.post(_page(project, plan, "lock/release/"))
    assert _messages(response) == [
        "Version 1 is current again, as version 3.",
        "The document is checked in.",
    ]
    assert not DocumentCheckout.objects.exists()


def test_the_owner_sees_a_confirmed_break_button_and_breaks_the_lock(locked):
    # given
    project, users, plan = locked
    owner = client_of(users["owner"])
    page = owner.get(_page(project, plan)).content.decode()
    assert 'action="' + _page(project, plan, "lock/break/") + '"' in page
    assert "data-confirm=" in page
    # when
    response = owner.post(_page(project, plan, "lock/break/"))
    # then
    assert response.status_code == 302
    assert not DocumentCheckout.objects.exists()
    entry = AuditEvent.objects.get(action="lock_break")
    assert entry.details["holder"] == "walt" and entry.actor == users["owner"]


@pytest.mark.parametrize(("who", "status"), [("reader", 403), ("outsider", 404)])
def test_others_cannot_break_and_outsiders_get_404(locked, who, status):
    project, users, plan = locked
    response = client_of(users[who]).post(_page(project, plan, "lock/break/"))
    assert response.status_code == status
    assert DocumentCheckout.objects.filter(holder=users["writer"]).exists()


@pytest.mark.parametrize(("who", "status"), [("reader", 403), ("outsider", 404)])
def test_a_reader_cannot_lock_and_an_outsider_gets_404(world, who, status):
    project, users = world
    plan = document(project, users["owner"])
    response = client_of(users[who]).post(_page(project, plan, "lock/take/"), {"hours": "24"})
    assert response.status_code == status
    assert not DocumentCheckout.objects.exists()


def test_an_unknown_duration_is_a_400_with_the_reason(world):
    project, users = world
    plan = document(project, users["owner"])
    response = client_of(users["writer"]).post(
        _page(project, plan, "lock/take/"), {"hours": "9999"}
    )
    assert response.status_code == 400
    assert "Choose a duration from the list" in response.content.decode()
    assert not DocumentCheckout.objects.exists()


def test_a_second_writer_is_told_who_holds_the_lock(locked):
    project, users, plan = locked
    bob = UserFactory(username="bob")
    project_member_add(project=project, user=bob, role=ProjectTeam.Role.COLLABORATOR)
    response = client_of(bob).post(_page(project, plan, "lock/take/"), {"hours": "24"})
    [message] = _messages(response)
    assert message.startswith("Refused: walt has checked this document out until ")
    assert DocumentCheckout.objects.get().holder == users["writer"]
