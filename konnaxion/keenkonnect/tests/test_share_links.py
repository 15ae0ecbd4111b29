"""Share links: made by a document's admins in projects allowing links, used without an
account at /s/<token>/, refused (404 unknown, 410 dead) for every reason in docs/sharing.md."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentAccess,
    DocumentVersion,
    Project,
    ShareLink,
)
from konnaxion.keenkonnect.services import sharing
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.granular_permissions import access_entries_replace
from konnaxion.keenkonnect.services.link_tokens import LinkRefused
from konnaxion.keenkonnect.services.projects import project_update
from konnaxion.keenkonnect.services.secure_document_storage import resource_purge, resource_trash
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.sharing import refusals, shared_world, visitor
from konnaxion.keenkonnect.tests.stockage import client_for
from konnaxion.users.services import user_deactivate

pytestmark = pytest.mark.django_db


def api(project, document) -> str:
    return f"/api/projects/{project.slug}/resources/{document.pk}/share-links/"


def token_of(response) -> str:
    return response.json()["url"].rstrip("/").rsplit("/", 1)[1]


# Making links (API) -------------------------------------------------------------------------


def test_owner_makes_a_pinned_link_and_only_its_digest_is_kept():
    # given
    project, users, document = shared_world()
    # when
    response = client_for(users["owner"]).post(
        api(project, document),
        {"version": 1, "password": "open sesame", "expires_in_days": 7, "max_downloads": 3},
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    token = token_of(response)
    assert body["url"] == f"http://testserver/s/{token}/"
    assert len(token) >= 32  # 24 random bytes: 192 bits
    assert body["version"] == 1 and body["has_password"] and body["max_downloads"] == 3
    assert body["state"] == "active" and "password" not in body
    link = ShareLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    listed = client_for(users["owner"]).get(api(project, document)).json()["results"]
    assert [entry["id"] for entry in listed] == [link.pk]
    assert "url" not in listed[0] and token not in json.dumps(listed)


@pytest.mark.parametrize(
    ("caller", "status", "code"),
    [
        ("collaborator", 403, "permission_denied"),
        ("mentor", 403, "permission_denied"),
        ("outsider", 404, "not_found"),
    ],
)
def test_only_admins_of_the_document_make_links(caller, status, code):
    project, users, document = shared_world()
    response = client_for(users[caller]).post(api(project, document), {}, format="json")
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert not ShareLink.objects.exists()


def test_a_collaborator_with_an_admin_entry_makes_links():
    project, users, document = shared_world()
    DocumentAccess.objects.create(
        resource=document, user=users["collaborator"], level=AccessLevel.ADMIN
    )
    response = client_for(users["collaborator"]).post(api(project, document), {}, format="json")
    assert response.status_code == 201


def test_no_link_where_the_project_does_not_allow_them():
    project, users, document = shared_world(links_allowed=False)
    response = client_for(users["owner"]).post(api(project, document), {}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "links_not_allowed"
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"version": 9},
        {"expires_in_days": 3},
        {"expires_at": "2001-01-01T00:00:00Z"},
        {"max_downloads": 0},
        {"password": "x" * 129},
        {"expires_in_days": 1, "expires_at": "2099-01-01T00:00:00Z"},
    ],
)
def test_bad_settings_are_refused_with_the_field(body):
    project, users, document = shared_world()
    response = client_for(users["owner"]).post(api(project, document), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] in ("invalid", "validation_error")
    assert not ShareLink.objects.exists()


def test_anonymous_callers_are_asked_to_sign_in():
    project, _users, document = shared_world()
    assert visitor().post(api(project, document), {}).status_code == 401


def test_revoking_stops_the_link_and_keeps_it_listed():
    # given
    project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    owner = client_for(users["owner"])
    # when
    denied = client_for(users["collaborator"]).delete(f"{api(project, document)}{made.link.pk}/")
    revoked = owner.delete(f"{api(project, document)}{made.link.pk}/")
    # then
    assert denied.status_code == 403
    assert revoked.status_code == 204
    assert owner.get(api(project, document)).json()["results"][0]["state"] == "revoked"
    page = visitor().get(f"/s/{made.token}/")
    assert page.status_code == 410 and b'data-link-refused="revoked"' in page.content
    assert owner.delete(f"{api(project, document)}999999/").status_code == 404


# Using links (public page) -------------------------------------------------------------------


def test_a_visitor_sees_the_document_and_nothing_of_the_project():
    # given
    project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    # when
    page = visitor().get(f"/s/{made.token}/")
    download = visitor().get(f"/s/{made.token}/download/")
    # then
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bridge plan" in html and "data-shared-version>1<" in html
    assert project.title not in html and project.slug not in html
    assert all(user.username not in html for user in users.values())
    assert page["Referrer-Policy"] == "same-origin"
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes("first")
    link = ShareLink.objects.get()
    assert (link.view_count, link.download_count) == (1, 1)
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == [AuditEvent.Action.LINK_VIEW, AuditEvent.Action.LINK_DOWNLOAD]
    assert AuditEvent.objects.filter(actor__isnull=True, action="link_view").exists()


def test_a_pinned_link_keeps_its_version_and_a_latest_link_follows():
    _project, users, document = shared_world()
    pinned = sharing.share_link_create(resource=document, actor=users["owner"], version_number=1)
    latest = sharing.share_link_create(resource=document, actor=users["owner"])
    version_create(
        resource=document, upload=incoming_file(pdf_bytes("second")), actor=users["owner"]
    )
    assert b"data-shared-version>1<" in visitor().get(f"/s/{pinned.token}/").content
    assert b"data-shared-version>2<" in visitor().get(f"/s/{latest.token}/").content
    body = b"".join(visitor().get(f"/s/{pinned.token}/download/").streaming_content)
    assert body == pdf_bytes("first")


def test_first_use_is_reported_once():
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    first = sharing.share_link_view(token=made.token, unlocked=False)
    second = sharing.share_link_download(token=made.token, unlocked=False)
    assert (first.first_use, second.first_use) == (True, False)


def test_a_password_is_asked_and_a_wrong_one_refused_and_audited():
    # given
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"], password="tulip")
    browser = visitor()
    # when
    asked = browser.get(f"/s/{made.token}/")
    download_first = browser.get(f"/s/{made.token}/download/")
    wrong = browser.post(f"/s/{made.token}/", {"password": "rose"})
    right = browser.post(f"/s/{made.token}/", {"password": "tulip"})
    opened = browser.get(f"/s/{made.token}/")
    # then
    assert asked.status_code == 200 and b'type="password"' in asked.content
    assert b"Bridge plan" not in asked.content
    assert download_first.status_code == 302  # to the password form, nothing sent
    assert wrong.status_code == 403 and b"Bridge plan" not in wrong.content
    assert right.status_code == 302
    assert opened.status_code == 200 and b"Bridge plan" in opened.content
    assert visitor().get(f"/s/{made.token}/download/").status_code == 302  # another browser
    assert [r["reason"] for r in refusals()] == ["wrong_password"]
    assert ShareLink.objects.get().download_count == 0


def _expire(link):
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def _use_up(link):
    ShareLink.objects.filter(pk=link.pk).update(max_downloads=1, download_count=1)


def _revoke(link):
    ShareLink.objects.filter(pk=link.pk).update(revoked_at=timezone.now())


@pytest.mark.parametrize(
    ("change", "reason"),
    [(_expire, "expired"), (_use_up, "limit_reached"), (_revoke, "revoked")],
)
@pytest.mark.parametrize("use", ["", "download/"])
def test_dead_links_are_refused_with_their_reason_and_audited(change, reason, use):
    # given
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    change(made.link)
    # when
    response = visitor().get(f"/s/{made.token}/{use}")
    # then
    assert response.status_code == 410
    assert f'data-link-refused="{reason}"'.encode() in response.content
    assert b"Bridge plan" not in response.content
    assert [r["reason"] for r in refusals()] == [reason]
    assert made.token not in json.dumps(refusals())
    link = ShareLink.objects.get()
    assert link.view_count == 0 and link.first_used_at is None


def _trash(project, users, document):
    resource_trash(resource=document, actor=users["owner"])


def _entry_none(project, users, document):
    access_entries_replace(
        resource=document,
        entries=[{"user": users["collaborator"].username, "level": "none"}],
        actor=users["owner"],
    )


def _removed(project, users, document):
    project_member_remove(project=project, user=users["collaborator"], actor=users["owner"])


def _deactivated(project, users, document):
    user_deactivate(user=users["collaborator"])


def _links_off(project, users, document):
    project_update(project=project, actor=users["owner"], links_allowed=False)


def _pinned_version_gone(project, users, document):
    version_create(resource=document, upload=incoming_file(pdf_bytes("2")), actor=users["owner"])
    # What version retention does to an old, unpinned version.
    DocumentVersion.objects.filter(resource=document, number=1).delete()


@pytest.mark.parametrize(
    "change",
    [_trash, _entry_none, _removed, _deactivated, _links_off, _pinned_version_gone],
)
def test_links_die_with_what_made_them_valid(change):
    # given: a collaborator made admin of the document shares version 1
    project, users, document = shared_world()
    DocumentAccess.objects.create(
        resource=document, user=users["collaborator"], level=AccessLevel.ADMIN
    )
    made = sharing.share_link_create(
        resource=document, actor=users["collaborator"], version_number=1
    )
    assert visitor().get(f"/s/{made.token}/").status_code == 200
    # when
    change(project, users, document)
    # then: the same answer for each cause, saying nothing of it
    for use in ("", "download/"):
        response = visitor().get(f"/s/{made.token}/{use}")
        assert response.status_code == 410
        assert b'data-link-refused="unavailable"' in response.content
    assert visitor().get(f"/s/{made.token}/preview/").status_code == 404
    assert [(r["use"], r["reason"]) for r in refusals()] == [
        ("view", "unavailable"),
        ("download", "unavailable"),
        ("preview", "unavailable"),
    ]


def test_a_purged_document_takes_its_links_with_it():
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    resource_trash(resource=document, actor=users["owner"])
    resource_purge(resource=document, actor=users["owner"])
    response = visitor().get(f"/s/{made.token}/")
    assert response.status_code == 404
    assert b'data-link-refused="unknown"' in response.content
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("token", ["NoSuchTokenNoSuchTokenNoSuchToken", "short", "a" * 300])
def test_unknown_tokens_are_the_404_page(token):
    shared_world()
    for use in ("", "download/"):
        response = visitor().get(f"/s/{token}/{use}")
        assert response.status_code == 404
    assert not refusals()


def test_the_project_setting_is_changed_by_owners_only():
    project, users, _document = shared_world(links_allowed=False)
    path = f"/api/keenkonnect/projects/{project.slug}/"
    denied = client_for(users["collaborator"]).patch(path, {"links_allowed": True}, format="json")
    allowed = client_for(users["owner"]).patch(path, {"links_allowed": True}, format="json")
    assert denied.status_code == 403
    assert allowed.status_code == 200 and allowed.json()["links_allowed"] is True
    assert Project.objects.get(pk=project.pk).links_allowed


# The download limit under concurrency -------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("limit", "racers"), [(1, 2), (3, 8)])
def test_downloads_racing_at_the_limit_pass_exactly_the_limit(limit, racers):
    # given
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"], max_downloads=limit)
    start = threading.Barrier(racers)
    outcomes: list[str] = []

    def download() -> None:
        try:
            start.wait()
            sharing.share_link_download(token=made.token, unlocked=False)
            outcomes.append("sent")
        except LinkRefused as refusal:
            outcomes.append(refusal.details["reason"])
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=download) for _ in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(outcomes) == sorted(["sent"] * limit + ["limit_reached"] * (racers - limit))
    assert ShareLink.objects.get().download_count == limit
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LINK_DOWNLOAD).count() == limit


@pytest.mark.parametrize("count", [2, 50])
def test_listing_links_costs_the_same_for_2_or_50(count, django_assert_max_num_queries):
    project, users, document = shared_world()
    for _ in range(count):
        sharing.share_link_create(resource=document, actor=users["owner"])
    owner = client_for(users["owner"])
    with django_assert_max_num_queries(8):
        response = owner.get(f"{api(project, document)}?page_size=50")
    assert response.status_code == 200
