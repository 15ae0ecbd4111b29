"""The web side of links: the Share section of a document page, the upload links of a project
page, the project's setting, the public pages' throttle, and tokens kept out of every log."""

from __future__ import annotations

import logging
import re

import pytest
from rest_framework.throttling import SimpleRateThrottle

from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, Project, ShareLink, UploadLink
from konnaxion.keenkonnect.services import sharing
from konnaxion.keenkonnect.tests.sharing import shared_world, visitor

pytestmark = pytest.mark.django_db


def signed_in(user):
    browser = visitor()
    browser.force_login(user)
    return browser


def document_url(project, document) -> str:
    return f"/projects/{project.slug}/blueprints/{document.pk}/"


def test_the_share_section_is_for_the_document_admins():
    project, users, document = shared_world()
    owner_page = signed_in(users["owner"]).get(document_url(project, document))
    collaborator_page = signed_in(users["collaborator"]).get(document_url(project, document))
    assert b'id="share-title"' in owner_page.content
    assert b'id="share-title"' not in collaborator_page.content
    DocumentAccess.objects.create(
        resource=document, user=users["collaborator"], level=AccessLevel.ADMIN
    )
    admin_page = signed_in(users["collaborator"]).get(document_url(project, document))
    assert b'id="share-title"' in admin_page.content


def test_the_owner_makes_a_link_sees_it_once_and_turns_it_off():
    # given
    project, users, document = shared_world()
    owner = signed_in(users["owner"])
    url = f"{document_url(project, document)}share-links/"
    # when
    made = owner.post(url, {"version": "1", "expiry": "30", "max_downloads": "2"})
    # then
    assert made.status_code == 201
    shown = re.search(rb'value="(http://testserver/s/[^"]+/)"', made.content).group(1).decode()
    assert b"data-copy=" in made.content
    token = shown.rstrip("/").rsplit("/", 1)[1]
    link = ShareLink.objects.get()
    assert (link.version_number, link.max_downloads) == (1, 2)
    again = owner.get(document_url(project, document))
    assert token.encode() not in again.content and b"data-share-link=" in again.content
    assert b"data-confirm=" in again.content
    # when
    revoked = owner.post(f"{url}{link.pk}/revoke/")
    # then
    assert revoked.status_code == 302
    assert ShareLink.objects.get().revoked_at is not None
    assert visitor().get(shown).status_code == 410


def test_a_bad_form_is_shown_again_with_its_error_and_nothing_made():
    project, users, document = shared_world()
    response = signed_in(users["owner"]).post(
        f"{document_url(project, document)}share-links/", {"version": "latest", "expiry": "date"}
    )
    assert response.status_code == 400
    assert b"Choose the date." in response.content
    assert not ShareLink.objects.exists()


def test_a_project_without_links_says_so_and_refuses_them():
    project, users, document = shared_world(links_allowed=False)
    owner = signed_in(users["owner"])
    page = owner.get(document_url(project, document))
    assert b"This project does not allow links." in page.content
    refused = owner.post(f"{document_url(project, document)}share-links/", {"version": "latest"})
    assert refused.status_code == 403
    assert not ShareLink.objects.exists()


def test_owners_allow_links_in_the_project_form():
    # given
    project, users, _document = shared_world(links_allowed=False)
    owner = signed_in(users["owner"])
    form = owner.get(f"/projects/{project.slug}/")
    assert b'name="links_allowed"' in form.content
    # when
    saved = owner.post(
        f"/projects/{project.slug}/update/",
        {
            "title": project.title,
            "visibility": "members",
            "status": "active",
            "links_allowed": "on",
        },
    )
    # then
    assert saved.status_code == 302
    assert Project.objects.get(pk=project.pk).links_allowed
    denied = signed_in(users["collaborator"]).post(
        f"/projects/{project.slug}/update/",
        {"title": project.title, "visibility": "members", "status": "active"},
    )
    assert denied.status_code == 403
    assert Project.objects.get(pk=project.pk).links_allowed


def test_owners_make_and_turn_off_upload_links_on_the_project_page():
    project, users, _document = shared_world()
    owner = signed_in(users["owner"])
    made = owner.post(f"/projects/{project.slug}/upload-links/", {"label": "Suppliers"})
    assert made.status_code == 201
    assert re.search(rb'value="http://testserver/u/[^"]+/"', made.content)
    link = UploadLink.objects.get()
    listed = owner.get(f"/projects/{project.slug}/")
    assert f'data-upload-link="{link.pk}"'.encode() in listed.content
    assert b"data-confirm=" in listed.content
    refused = signed_in(users["collaborator"]).post(
        f"/projects/{project.slug}/upload-links/{link.pk}/revoke/"
    )
    assert refused.status_code == 403
    assert owner.post(f"/projects/{project.slug}/upload-links/{link.pk}/revoke/").status_code == 302
    assert UploadLink.objects.get().revoked_at is not None


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_the_public_pages_speak_the_visitors_language(language):
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    browser = visitor()
    page = browser.get(f"/s/{made.token}/", HTTP_ACCEPT_LANGUAGE=language)
    missing = browser.get("/s/NoSuchTokenNoSuchTokenNoSuchToken/", HTTP_ACCEPT_LANGUAGE=language)
    assert f'lang="{language}"'.encode() in page.content
    assert (b'dir="rtl"' in page.content) == (language == "ar")
    assert page.status_code == 200 and missing.status_code == 404
    if language != "en":
        assert b"Link not found" not in missing.content


# Throttles ----------------------------------------------------------------------------------


def test_the_public_pages_are_throttled_per_address(monkeypatch):
    # given
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "links", "2/min")
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    # when
    answers = [visitor().get(f"/s/{made.token}/") for _ in range(3)]
    other_address = visitor().get(f"/s/{made.token}/", REMOTE_ADDR="192.0.2.7")
    # then
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert int(answers[2]["Retry-After"]) > 0
    assert other_address.status_code == 200
    assert ShareLink.objects.get().view_count == 3


def test_password_attempts_are_throttled(monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "link_password", "2/min")
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"], password="tulip")
    browser = visitor()
    tries = [browser.post(f"/s/{made.token}/", {"password": "rose"}) for _ in range(2)]
    blocked = browser.post(f"/s/{made.token}/", {"password": "tulip"})
    assert [answer.status_code for answer in tries] == [403, 403]
    assert blocked.status_code == 429 and "Retry-After" in blocked
    assert b"Bridge plan" not in browser.get(f"/s/{made.token}/").content


# Logs ---------------------------------------------------------------------------------------


def test_request_logs_never_hold_a_link_token(caplog):
    # given: a dead link and unknown tokens, each logged by django.request
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    sharing.share_link_revoke(resource=document, link_id=made.link.pk, actor=users["owner"])
    unknown = "UnknownTokenUnknownTokenUnknown1"
    # when
    with caplog.at_level(logging.INFO):
        visitor().get(f"/s/{made.token}/")
        visitor().get(f"/s/{unknown}/download/")
        visitor().get(f"/u/{unknown}/")
    # then
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "/s/[redacted]/" in logged and "/u/[redacted]/" in logged
    assert made.token not in logged and unknown not in logged
