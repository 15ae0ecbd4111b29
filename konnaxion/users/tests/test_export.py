"""Data export: what the ZIP holds, its progress, its link (owner only, expiring), one at a time."""

import io
import json
import time
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from konnaxion.files.models import Blob
from konnaxion.files.services import blob_read
from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add, project_member_remove
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import pdf_bytes
from konnaxion.keenkonnect.tests.stockage import client_for
from konnaxion.notifications.models import Kind, Notification
from konnaxion.users.models import AccountExport
from konnaxion.users.services import (
    account_export_build,
    account_export_request,
    account_exports_expire,
)
from konnaxion.users.tests.factories import UserFactory
from konnaxion.users.tests.leaving import document_upload, person_with_belongings


def _exported(user, django_capture_on_commit_callbacks) -> AccountExport:
    """An export of `user`'s data, built here rather than by a worker."""
    with django_capture_on_commit_callbacks(execute=False):
        export = account_export_request(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        account_export_build(export_id=export.pk)
    export.refresh_from_db()
    return export


def _zip_of(export: AccountExport) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(blob_read(blob=export.blob))))


def _web_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_zip_holds_everything_they_created_byte_for_byte(django_capture_on_commit_callbacks):
    # given
    b = person_with_belongings()
    # when
    export = _exported(b.person, django_capture_on_commit_callbacks)
    # then
    assert (export.state, export.progress) == ("ready", 100)
    archive = _zip_of(export)
    names = set(archive.namelist())
    assert "README.txt" in names
    account = json.loads(archive.read("profile/account.json"))
    assert account["username"] == b.person.username
    profile = json.loads(archive.read("profile/professional_profile.json"))
    assert profile["headline"] == "Printmaker"
    artworks = json.loads(archive.read("artworks/artworks.json"))
    assert archive.read(artworks[0]["file"]) == b.artwork_bytes
    documents = json.loads(archive.read("documents/documents.json"))
    assert [d["title"] for d in documents] == [b.document.title]
    assert archive.read(documents[0]["file"]) == b.document_bytes
    messages = json.loads(archive.read("chat/messages.json"))
    assert [m["body"] for m in messages] == ["Tide at six"]
    written = json.loads(archive.read("endorsements/written.json"))
    received = json.loads(archive.read("endorsements/received.json"))
    assert [e["subject"] for e in written] == [b.teammate.username]
    assert [e["author"] for e in received] == [b.teammate.username]
    opportunities = json.loads(archive.read("opportunities/opportunities.json"))
    assert [o["title"] for o in opportunities] == ["Etching residency"]


@pytest.mark.django_db
def test_documents_they_can_no_longer_read_are_left_out(django_capture_on_commit_callbacks):
    # given: a members-only project they uploaded to, then left
    person, owner = UserFactory(), UserFactory()
    project = project_for(creator=owner, title="Closed", visibility="members")
    project_member_add(project=project, user=person, role=ProjectTeam.Role.COLLABORATOR)
    document_upload(user=person, project=project, content=pdf_bytes("secret"), name="s.pdf")
    project_member_remove(project=project, user=person, actor=owner)
    # when
    export = _exported(person, django_capture_on_commit_callbacks)
    # then
    archive = _zip_of(export)
    assert json.loads(archive.read("documents/documents.json")) == []
    assert not [name for name in archive.namelist() if name.startswith("documents/files/")]


@pytest.mark.django_db
def test_the_person_is_notified_when_it_is_ready(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    # when
    _exported(person, django_capture_on_commit_callbacks)
    # then
    told = Notification.objects.get(recipient=person)
    assert told.kind == Kind.ACCOUNT_EXPORT_READY and told.url == "/accounts/data/"


@pytest.mark.django_db
def test_one_export_at_a_time(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    client = client_for(person)
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post("/api/account/export/").status_code == 202
        # when
        again = client.post("/api/account/export/")
    # then
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "export_running"
    assert AccountExport.objects.filter(user=person).count() == 1


@pytest.mark.django_db
def test_another_person_cannot_download_it(django_capture_on_commit_callbacks):
    # given
    person, other = UserFactory(), UserFactory()
    export = _exported(person, django_capture_on_commit_callbacks)
    # when / then: on the web and through the API
    assert _web_client(other).get(f"/accounts/data/{export.pk}/download/").status_code == 404
    response = client_for(other).get(f"/api/account/export/{export.pk}/download/")
    assert response.status_code == 404
    assert client_for(other).get("/api/account/export/").json()["state"] == "none"
    # while the owner can
    mine = _web_client(person).get(f"/accounts/data/{export.pk}/download/")
    assert mine.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(b"".join(mine.streaming_content))).read("README.txt")


@pytest.mark.django_db
def test_the_link_expires_and_the_zip_is_deleted(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    export = _exported(person, django_capture_on_commit_callbacks)
    blob_id = export.blob_id
    AccountExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    # when / then: the link answers 410
    assert _web_client(person).get(f"/accounts/data/{export.pk}/download/").status_code == 410
    response = client_for(person).get(f"/api/account/export/{export.pk}/download/")
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "export_expired"
    assert client_for(person).get("/api/account/export/").json()["state"] == "expired"
    # and the beat task deletes it with its blob
    with django_capture_on_commit_callbacks(execute=True):
        assert account_exports_expire() == 1
    assert not AccountExport.objects.filter(pk=export.pk).exists()
    assert not Blob.objects.filter(pk=blob_id).exists()


@pytest.mark.django_db
def test_the_data_page_polls_a_status_that_reaches_100(django_capture_on_commit_callbacks):
    # given
    person = UserFactory()
    client = _web_client(person)
    with django_capture_on_commit_callbacks(execute=False):
        assert client.post("/accounts/data/export/").status_code == 302
    assert client.get("/accounts/data/status/").json()["state"] == "pending"
    # when
    with django_capture_on_commit_callbacks(execute=True):
        account_export_build(export_id=AccountExport.objects.get(user=person).pk)
    # then
    state = client.get("/accounts/data/status/").json()
    assert (state["state"], state["progress"]) == ("ready", 100)
    assert state["download_url"].endswith("/download/")
    assert b"data-account-export" in client.get("/accounts/data/").content


@pytest.mark.django_db(transaction=True)
def test_a_worker_builds_the_export_the_api_started(celery_worker):
    # given
    person = UserFactory()
    client = client_for(person)
    # when
    started = client.post("/api/account/export/")
    assert started.status_code == 202
    deadline = time.monotonic() + 60
    state = started.json()
    while state["state"] in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.3)
        state = client.get("/api/account/export/").json()
    # then
    assert (state["state"], state["progress"]) == ("ready", 100)
    response = client.get(state["download_url"])
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("profile/account.json"))["username"] == person.username
