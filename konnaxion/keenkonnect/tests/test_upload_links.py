"""Upload links: made by a project's owners, used without an account at /u/<token>/; each file
goes through the usual checks and becomes a document received by link."""

from __future__ import annotations

import json
import os
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import (
    AuditEvent,
    ProjectResource,
    ProjectTeam,
    ReceivedFile,
    UploadLink,
)
from konnaxion.keenkonnect.services import upload_links
from konnaxion.keenkonnect.services.link_tokens import LinkRefused
from konnaxion.keenkonnect.services.projects import project_update
from konnaxion.keenkonnect.services.team import project_member_role_set
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, png_bytes
from konnaxion.keenkonnect.tests.sharing import refusals, shared_world, visitor
from konnaxion.keenkonnect.tests.stockage import NamedBytes, client_for
from konnaxion.users.services import user_deactivate

pytestmark = pytest.mark.django_db


def api(project) -> str:
    return f"/api/projects/{project.slug}/upload-links/"


def send(browser, token: str, file_name: str, content: bytes, **fields):
    return browser.post(f"/u/{token}/", {"file": NamedBytes(file_name, content), **fields})


def test_owner_makes_an_upload_link_and_an_outsider_sends_a_file():
    # given
    project, users, _document = shared_world()
    made = client_for(users["owner"]).post(
        api(project), {"label": "Suppliers", "max_files": 2}, format="json"
    )
    assert made.status_code == 201, made.content
    token = made.json()["url"].rstrip("/").rsplit("/", 1)[1]
    browser = visitor()
    # when
    form = browser.get(f"/u/{token}/")
    sent = send(browser, token, "drawing.png", png_bytes(), name="Ada")
    # then
    assert form.status_code == 200
    assert b"Suppliers" in form.content
    assert b"Bridge plan" not in form.content and project.title.encode() not in form.content
    assert sent.status_code == 201 and b"data-received" in sent.content
    assert b"Bridge plan" not in sent.content
    received = ReceivedFile.objects.select_related("resource").get()
    assert (received.link_label, received.uploader_name) == ("Suppliers", "Ada")
    assert received.resource.project == project and received.resource.added_by is None
    assert received.resource.current_version.content_type == "image/png"
    link = UploadLink.objects.get()
    assert link.file_count == 1 and link.first_used_at is not None
    upload = AuditEvent.objects.get(action=AuditEvent.Action.UPLOAD, resource=received.resource)
    assert upload.actor is None and upload.details["upload_link"] == link.pk
    assert token not in json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    owner = visitor()
    owner.force_login(users["owner"])
    listed = owner.get(f"/projects/{project.slug}/blueprints/")
    document = owner.get(f"/projects/{project.slug}/blueprints/{received.resource.pk}/")
    for page in (listed, document):
        assert b"data-received-by-link" in page.content
        assert b"Received by link <bdi>Suppliers</bdi>, from <bdi>Ada</bdi>" in page.content


def test_the_owner_page_lists_upload_links_and_others_do_not_see_them():
    project, users, _document = shared_world()
    upload_links.upload_link_create(project=project, actor=users["owner"], label="Inbox")
    owner = client_for(users["owner"])
    owner.force_login(users["owner"])
    collaborator = client_for(users["collaborator"])
    collaborator.force_login(users["collaborator"])
    assert b'data-upload-link="' in owner.get(f"/projects/{project.slug}/").content
    assert b"data-upload-link" not in collaborator.get(f"/projects/{project.slug}/").content


@pytest.mark.parametrize(
    ("caller", "status"), [("collaborator", 403), ("mentor", 403), ("outsider", 404)]
)
def test_only_owners_make_and_list_upload_links(caller, status):
    project, users, _document = shared_world()
    client = client_for(users[caller])
    assert client.post(api(project), {"label": "X"}, format="json").status_code == status
    assert client.get(api(project)).status_code == status
    assert not UploadLink.objects.exists()


def test_no_upload_link_where_the_project_does_not_allow_them():
    project, users, _document = shared_world(links_allowed=False)
    response = client_for(users["owner"]).post(api(project), {"label": "X"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "links_not_allowed"


def test_a_file_refused_by_the_policy_leaves_nothing(_storage_tmp_dir):
    # given
    project, users, _document = shared_world()
    made = upload_links.upload_link_create(project=project, actor=users["owner"], label="In")
    documents, blobs = ProjectResource.objects.count(), Blob.objects.count()
    # when
    response = send(visitor(), made.token, "notes.exe", b"MZ\x90\x00")
    # then
    assert response.status_code == 415
    assert b"not accepted here" in response.content
    assert ProjectResource.objects.count() == documents and Blob.objects.count() == blobs
    assert not _storage_tmp_dir.exists() or os.listdir(_storage_tmp_dir) == []
    assert UploadLink.objects.get().file_count == 0


def test_the_file_limit_and_a_password(_storage_tmp_dir):
    # given
    project, users, _document = shared_world()
    made = upload_links.upload_link_create(
        project=project, actor=users["owner"], label="In", max_files=1, password="tulip"
    )
    browser = visitor()
    # when
    locked = send(browser, made.token, "a.pdf", pdf_bytes("a"))
    wrong = browser.post(f"/u/{made.token}/", {"password": "rose"})
    right = browser.post(f"/u/{made.token}/", {"password": "tulip"})
    first = send(browser, made.token, "a.pdf", pdf_bytes("a"))
    second = send(browser, made.token, "b.pdf", pdf_bytes("b"))
    # then
    assert locked.status_code == 200 and b'type="password"' in locked.content
    assert not _storage_tmp_dir.exists() or os.listdir(_storage_tmp_dir) == []
    assert wrong.status_code == 403
    assert right.status_code == 302
    assert first.status_code == 201
    assert second.status_code == 410 and b'data-link-refused="limit_reached"' in second.content
    assert ReceivedFile.objects.count() == 1
    assert [r["reason"] for r in refusals()] == ["wrong_password", "limit_reached"]


def _expire(project, users, link):
    UploadLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(hours=1))


def _revoke(project, users, link):
    upload_links.upload_link_revoke(project=project, link_id=link.pk, actor=users["owner"])


def _links_off(project, users, link):
    project_update(project=project, actor=users["owner"], links_allowed=False)


def _creator_demoted(project, users, link):
    project_member_role_set(
        project=project,
        user=users["collaborator"],
        role=ProjectTeam.Role.COLLABORATOR,
        actor=users["owner"],
    )


def _creator_deactivated(project, users, link):
    user_deactivate(user=users["collaborator"])


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_expire, "expired"),
        (_revoke, "revoked"),
        (_links_off, "unavailable"),
        (_creator_demoted, "unavailable"),
        (_creator_deactivated, "unavailable"),
    ],
)
def test_upload_links_die_with_what_made_them_valid(change, reason):
    # given: a second owner makes the link
    project, users, _document = shared_world()
    project_member_role_set(
        project=project,
        user=users["collaborator"],
        role=ProjectTeam.Role.OWNER,
        actor=users["owner"],
    )
    made = upload_links.upload_link_create(project=project, actor=users["collaborator"], label="In")
    # when
    change(project, users, made.link)
    # then
    documents = ProjectResource.objects.count()
    page = visitor().get(f"/u/{made.token}/")
    sent = send(visitor(), made.token, "a.pdf", pdf_bytes("a"))
    for response in (page, sent):
        assert response.status_code == 410
        assert f'data-link-refused="{reason}"'.encode() in response.content
    assert ProjectResource.objects.count() == documents
    assert {r["reason"] for r in refusals()} == {reason}


def test_unknown_upload_tokens_are_the_404_page():
    shared_world()
    assert visitor().get("/u/NoSuchTokenNoSuchTokenNoSuchToken/").status_code == 404
    assert send(visitor(), "NoSuchTokenNoSuchTokenNoSuchToken", "a.pdf", b"%PDF").status_code == 404


def test_revoking_through_the_api():
    project, users, _document = shared_world()
    made = upload_links.upload_link_create(project=project, actor=users["owner"], label="In")
    path = f"{api(project)}{made.link.pk}/"
    assert client_for(users["collaborator"]).delete(path).status_code == 403
    assert client_for(users["owner"]).delete(path).status_code == 204
    assert client_for(users["owner"]).get(api(project)).json()["results"][0]["state"] == "revoked"


@pytest.mark.django_db(transaction=True)
def test_files_racing_for_the_last_place_pass_one_at_a_time():
    # given
    project, users, _document = shared_world()
    made = upload_links.upload_link_create(
        project=project, actor=users["owner"], label="In", max_files=2
    )
    racers = 5
    start = threading.Barrier(racers)
    outcomes: list[str] = []

    def send_one(number: int) -> None:
        upload = incoming_file(pdf_bytes(f"file {number}"), name=f"{number}.pdf")
        try:
            start.wait()
            upload_links.upload_link_receive(token=made.token, upload=upload, unlocked=False)
            outcomes.append("received")
        except LinkRefused as refusal:
            outcomes.append(refusal.details["reason"])
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=send_one, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(outcomes) == ["limit_reached"] * 3 + ["received"] * 2
    assert ReceivedFile.objects.count() == 2
    assert UploadLink.objects.get().file_count == 2


@pytest.mark.parametrize("count", [2, 50])
def test_listing_upload_links_costs_the_same_for_2_or_50(count, django_assert_max_num_queries):
    project, users, _document = shared_world()
    for number in range(count):
        upload_links.upload_link_create(project=project, actor=users["owner"], label=f"L{number}")
    owner = client_for(users["owner"])
    with django_assert_max_num_queries(7):
        response = owner.get(api(project))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4',
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--B--\r\n",
        b"not multipart at all",
    ],
)
def test_a_malformed_body_is_refused_and_leaves_nothing(body, _storage_tmp_dir):
    project, users, _document = shared_world()
    made = upload_links.upload_link_create(project=project, actor=users["owner"], label="In")
    documents = ProjectResource.objects.count()
    response = visitor().post(
        f"/u/{made.token}/", data=body, content_type="multipart/form-data; boundary=B"
    )
    # 400 for a cut or foreign body; the base64 part's decoded bytes are not a PDF (415)
    assert response.status_code in (400, 415)
    assert ProjectResource.objects.count() == documents
    assert not _storage_tmp_dir.exists() or os.listdir(_storage_tmp_dir) == []
