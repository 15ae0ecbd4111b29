"""Check-out locks (docs/checkout.md): who may lock, unlock and break, and what a lock refuses
to everyone but its holder, over the REST API and tus."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentCheckout,
    DocumentVersion,
    Project,
    ProjectEvent,
    ProjectResource,
    ProjectTeam,
    UploadSession,
)
from konnaxion.keenkonnect.services.document_checkout import checkout_break, checkouts_expire
from konnaxion.keenkonnect.services.granular_permissions import access_entries_replace
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import (
    project_member_add,
    project_member_remove,
    project_member_role_set,
)
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import (
    NamedBytes,
    client_for,
    new_version,
    team_project,
)
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _world(**kwargs):
    """A project whose team has an owner, two collaborators (ada, bob) and a mentor, and a
    document with two versions; returns (project, users, document)."""
    project, users = team_project(**kwargs)
    users["ada"] = users["collaborator"]
    users["bob"] = UserFactory(username=f"bob-{users['ada'].pk}")
    project_member_add(project=project, user=users["bob"], role=ProjectTeam.Role.COLLABORATOR)
    document = resource_create(
        project=project, upload=incoming_file(pdf_bytes("one")), actor=users["owner"]
    )
    assert (
        new_version(
            client_for(users["owner"]), project, document.pk, "plan.pdf", pdf_bytes("two")
        ).status_code
        == 201
    )
    return project, users, document


def _url(project, document, tail: str = "") -> str:
    return f"/api/projects/{project.slug}/resources/{document.pk}/{tail}"


def _lock(user, project, document, **data):
    return client_for(user).post(_url(project, document, "lock/"), data=data, format="json")


def _expire(document) -> None:
    past = timezone.now() - timedelta(hours=2)
    DocumentCheckout.objects.filter(resource=document).update(
        created_at=past - timedelta(hours=1), expires_at=past
    )


def _assert_locked_answer(response, holder) -> None:
    assert response.status_code == 423, response.content
    error = response.json()["error"]
    assert error["code"] == "document_locked"
    checkout = DocumentCheckout.objects.get()
    assert error["details"] == {"holder": holder.username, "until": checkout.expires_at.isoformat()}
    assert holder.username in error["message"]


def test_a_writer_locks_with_a_note_and_a_duration_and_every_reader_sees_the_lock():
    # given
    project, users, document = _world()
    before = timezone.now()
    # when
    response = _lock(users["ada"], project, document, note="Redrawing the roof", hours=2)
    # then
    assert response.status_code == 200, response.content
    checkout = DocumentCheckout.objects.get(resource=document)
    assert checkout.holder == users["ada"] and checkout.note == "Redrawing the roof"
    assert before + timedelta(hours=2) <= checkout.expires_at <= timezone.now() + timedelta(hours=2)
    shown = {"holder": users["ada"].username, "note": "Redrawing the roof"}
    assert {k: response.json()[k] for k in shown} == shown
    detail = client_for(users["mentor"]).get(_url(project, document)).json()
    assert {k: detail["lock"][k] for k in shown} == shown
    listed = client_for(users["mentor"]).get(f"/api/projects/{project.slug}/resources/").json()
    assert listed["results"][0]["lock"]["holder"] == users["ada"].username
    assert AuditEvent.objects.filter(action="lock", actor=users["ada"]).count() == 1
    event = ProjectEvent.objects.get(type="resource.locked")
    assert event.payload == {
        "holder": users["ada"].username,
        "until": checkout.expires_at.isoformat(),
    }


def test_the_default_duration_is_the_setting_and_the_maximum_is_enforced(settings):
    # given
    settings.STOCKAGE_CHECKOUT_DEFAULT_HOURS = 3
    settings.STOCKAGE_CHECKOUT_MAX_HOURS = 48
    project, users, document = _world()
    # when
    too_long = _lock(users["ada"], project, document, hours=49)
    zero = _lock(users["ada"], project, document, hours=0)
    default = _lock(users["ada"], project, document)
    # then
    assert too_long.status_code == 400 and zero.status_code == 400
    assert default.status_code == 200
    expires = DocumentCheckout.objects.get().expires_at
    assert timedelta(hours=2, minutes=59) < expires - timezone.now() <= timedelta(hours=3)


def test_without_a_lock_the_resource_says_null():
    project, users, document = _world()
    assert client_for(users["bob"]).get(_url(project, document)).json()["lock"] is None


def _new_version(user, project, document):
    return new_version(client_for(user), project, document.pk, "plan.pdf", pdf_bytes("bob"))


def _restore(user, project, document):
    return client_for(user).post(_url(project, document, "restore/"), {"version": 1}, format="json")


def _edit(user, project, document):
    return client_for(user).patch(_url(project, document), {"title": "Renamed"}, format="json")


def _trash(user, project, document):
    return client_for(user).delete(_url(project, document))


def _purge(user, project, document):
    return client_for(user).delete(_url(project, document, "purge/"))


@pytest.mark.parametrize(
    ("change", "who"),
    [
        (_new_version, "bob"),
        (_restore, "bob"),
        (_edit, "bob"),
        (_trash, "bob"),
        (_purge, "owner"),
        (_new_version, "owner"),
    ],
)
def test_a_lock_refuses_changes_by_anyone_but_its_holder_with_423(change, who):
    # given
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    audit_before = AuditEvent.objects.count()
    events_before = ProjectEvent.objects.count()
    # when
    response = change(users[who], project, document)
    # then: refused, and nothing happened
    _assert_locked_answer(response, users["ada"])
    document.refresh_from_db()
    assert document.title != "Renamed" and document.trashed_at is None
    assert DocumentVersion.objects.filter(resource=document).count() == 2
    assert AuditEvent.objects.count() == audit_before
    assert ProjectEvent.objects.count() == events_before


def test_the_holders_new_version_checks_the_document_in_unless_asked_to_keep_it():
    # given
    project, users, document = _world()
    ada = client_for(users["ada"])
    assert _lock(users["ada"], project, document).status_code == 200
    # when: a new version asking to keep the lock, then one without
    kept = ada.post(
        _url(project, document, "versions/"),
        data={"file": NamedBytes("plan.pdf", pdf_bytes("three")), "keep_checkout": "1"},
        format="multipart",
    )
    still_locked = DocumentCheckout.objects.filter(resource=document).exists()
    released = _new_version(users["ada"], project, document)
    # then
    assert kept.status_code == 201 and still_locked
    assert released.status_code == 201
    assert not DocumentCheckout.objects.exists()
    unlock = AuditEvent.objects.get(action="unlock")
    assert unlock.details["reason"] == "checked_in" and unlock.actor == users["ada"]
    assert _new_version(users["bob"], project, document).status_code == 201


def test_the_holder_may_restore_edit_and_trash_and_trashing_ends_the_lock():
    # given
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    # when / then
    assert _restore(users["ada"], project, document).status_code == 201
    assert _edit(users["ada"], project, document).status_code == 200
    assert DocumentCheckout.objects.filter(resource=document).exists()
    assert _trash(users["ada"], project, document).status_code == 204
    assert not DocumentCheckout.objects.exists()
    assert AuditEvent.objects.get(action="unlock").details["reason"] == "trashed"


def test_an_owner_holding_the_lock_may_purge():
    project, users, document = _world()
    assert _lock(users["owner"], project, document).status_code == 200
    assert _purge(users["owner"], project, document).status_code == 204
    assert not ProjectResource.objects.filter(pk=document.pk).exists()
    assert not DocumentCheckout.objects.exists()


def test_a_second_person_cannot_lock_a_locked_document_and_the_holder_renews():
    # given
    project, users, document = _world()
    assert _lock(users["ada"], project, document, note="first").status_code == 200
    # when
    bob = _lock(users["bob"], project, document)
    _assert_locked_answer(bob, users["ada"])
    renewed = _lock(users["ada"], project, document, note="second", hours=5)
    # then
    assert renewed.status_code == 200
    assert DocumentCheckout.objects.get().note == "second"


def test_an_expired_lock_counts_as_none_and_the_sweep_removes_it():
    # given
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    _expire(document)
    # when / then: ignored at use time
    assert client_for(users["bob"]).get(_url(project, document)).json()["lock"] is None
    assert _new_version(users["bob"], project, document).status_code == 201
    # and swept, once
    assert checkouts_expire() == 1
    assert checkouts_expire() == 0
    assert not DocumentCheckout.objects.exists()
    unlock = AuditEvent.objects.get(action="unlock")
    assert unlock.actor is None and unlock.details["reason"] == "expired"
    assert (
        ProjectEvent.objects.filter(type="resource.unlocked", resource_id=document.pk).count() == 1
    )


def test_someone_else_may_lock_over_an_expired_lock():
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    _expire(document)
    assert _lock(users["bob"], project, document).status_code == 200
    assert DocumentCheckout.objects.get().holder == users["bob"]
    assert AuditEvent.objects.get(action="unlock").details["reason"] == "expired"


def test_the_holder_unlocks_others_are_told_who_holds_it_and_no_lock_is_409():
    # given
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    # when
    by_bob = client_for(users["bob"]).delete(_url(project, document, "lock/"))
    by_owner_without_force = client_for(users["owner"]).delete(_url(project, document, "lock/"))
    by_ada = client_for(users["ada"]).delete(_url(project, document, "lock/"))
    again = client_for(users["ada"]).delete(_url(project, document, "lock/"))
    # then
    assert by_bob.status_code == 423 and by_owner_without_force.status_code == 423
    assert by_ada.status_code == 204
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_checked_out"
    assert AuditEvent.objects.get(action="unlock").details["reason"] == "released"


def test_an_owner_breaks_a_lock_audited_and_naming_the_holder_to_notify():
    # given
    project, users, document = _world()
    assert _lock(users["ada"], project, document, note="mine").status_code == 200
    # when
    response = client_for(users["owner"]).delete(_url(project, document, "lock/?force=1"))
    # then
    assert response.status_code == 204
    assert not DocumentCheckout.objects.exists()
    entry = AuditEvent.objects.get(action="lock_break")
    assert entry.actor == users["owner"] and entry.resource_id == document.pk
    assert entry.details["holder"] == users["ada"].username and entry.details["reason"] == "broken"
    assert ProjectEvent.objects.filter(type="resource.unlocked").count() == 1


def test_the_break_service_returns_the_previous_holder():
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    document.my_level = AccessLevel.ADMIN
    broken = checkout_break(resource=document, actor=users["owner"])
    assert broken.holder == users["ada"]


@pytest.mark.parametrize(("who", "status"), [("bob", 403), ("mentor", 403), ("outsider", 404)])
def test_only_owners_break_others_get_403_and_outsiders_404(who, status):
    # given a members-only project
    project, users, document = _world(visibility=Project.Visibility.MEMBERS)
    users["outsider"] = UserFactory()
    assert _lock(users["ada"], project, document).status_code == 200
    # when
    response = client_for(users[who]).delete(_url(project, document, "lock/?force=1"))
    # then
    assert response.status_code == status
    assert DocumentCheckout.objects.filter(holder=users["ada"]).exists()
    assert not AuditEvent.objects.filter(action="lock_break").exists()


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("outsider", 404)])
def test_a_reader_cannot_lock_and_an_outsider_gets_404(who, status):
    project, users, document = _world(visibility=Project.Visibility.MEMBERS)
    users["outsider"] = UserFactory()
    response = _lock(users[who], project, document)
    assert response.status_code == status
    assert not DocumentCheckout.objects.exists()


def test_an_anonymous_visitor_cannot_lock_a_public_document():
    project, _users, document = _world()
    response = APIClient().post(_url(project, document, "lock/"), {}, format="json")
    assert response.status_code == 401
    assert not DocumentCheckout.objects.exists()


def _tus_create(user, project, document):
    metadata = ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}"
        for key, value in (("filename", "plan.pdf"), ("resource", str(document.pk)))
    )
    return client_for(user).post(
        f"/api/projects/{project.slug}/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(pdf_bytes("tus"))),
        HTTP_UPLOAD_METADATA=metadata,
    )


def _tus_send(user, location):
    return client_for(user).generic(
        "PATCH",
        location,
        pdf_bytes("tus"),
        content_type="application/offset+octet-stream",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET="0",
    )


def test_tus_refuses_a_new_version_at_creation_while_locked():
    # given
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    # when
    response = _tus_create(users["bob"], project, document)
    # then
    _assert_locked_answer(response, users["ada"])
    assert not UploadSession.objects.exists()


def test_tus_refuses_at_completion_a_lock_taken_meanwhile():
    # given: bob's upload started before ada locked
    project, users, document = _world()
    created = _tus_create(users["bob"], project, document)
    assert created.status_code == 201
    assert _lock(users["ada"], project, document).status_code == 200
    # when
    response = _tus_send(users["bob"], created["Location"])
    # then
    _assert_locked_answer(response, users["ada"])
    assert DocumentVersion.objects.filter(resource=document).count() == 2
    assert not UploadSession.objects.exists()


def test_the_holders_tus_upload_lands_and_checks_in():
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    created = _tus_create(users["ada"], project, document)
    assert _tus_send(users["ada"], created["Location"]).status_code == 204
    assert DocumentVersion.objects.filter(resource=document).count() == 3
    assert not DocumentCheckout.objects.exists()


def test_the_lock_ends_when_the_holder_leaves_the_team():
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    project_member_remove(project=project, user=users["ada"], actor=users["owner"])
    assert not DocumentCheckout.objects.exists()
    unlock = AuditEvent.objects.get(action="unlock")
    assert unlock.details["reason"] == "no_write_level" and unlock.actor == users["owner"]
    assert _new_version(users["bob"], project, document).status_code == 201


def test_the_lock_ends_when_the_holders_role_drops_below_write():
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    project_member_role_set(
        project=project, user=users["ada"], role=ProjectTeam.Role.MENTOR, actor=users["owner"]
    )
    assert not DocumentCheckout.objects.exists()


def test_the_lock_ends_when_the_holders_entry_drops_below_write_and_stays_otherwise():
    # given
    project, users, document = _world()
    assert _lock(users["ada"], project, document).status_code == 200
    document.my_level = AccessLevel.ADMIN
    # when: another member's entry changes, then the holder's
    access_entries_replace(
        resource=document,
        entries=[{"user": users["bob"].username, "level": "read"}],
        actor=users["owner"],
    )
    kept = DocumentCheckout.objects.exists()
    access_entries_replace(
        resource=document,
        entries=[{"user": users["ada"].username, "level": "read"}],
        actor=users["owner"],
    )
    # then
    assert kept
    assert not DocumentCheckout.objects.exists()


def test_the_schema_documents_the_lock_endpoint_the_lock_field_and_the_423s():
    # given
    client = client_for(UserFactory())
    # when
    schema = client.get("/api/schema/?format=json").json()
    # then
    paths = schema["paths"]
    resource = "/api/projects/{project_slug}/resources/{resource_id}/"
    lock = paths[resource + "lock/"]
    assert set(lock) >= {"post", "delete"}
    assert {"423", "409"} <= set(lock["delete"]["responses"])
    error = {"$ref": "#/components/schemas/Error"}
    for path, method in [
        (resource + "lock/", "post"),
        (resource + "versions/", "post"),
        (resource + "restore/", "post"),
        (resource, "patch"),
        (resource, "delete"),
        (resource + "purge/", "delete"),
        ("/api/projects/{project_slug}/uploads/", "post"),
    ]:
        locked = paths[path][method]["responses"]["423"]
        assert locked["content"]["application/json"]["schema"] == error, (path, method)
    assert "lock" in schema["components"]["schemas"]["Resource"]["properties"]
