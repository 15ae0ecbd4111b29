"""Version labels and notes: the API, who may set them, uniqueness, uploads, events, retention."""

from __future__ import annotations

import base64
import threading
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from konnaxion.keenkonnect.models import (
    AuditEvent,
    DocumentVersion,
    ProjectEvent,
    ProjectResource,
    RetentionPolicy,
)
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_versioning import (
    version_create,
    versions_apply_retention,
)
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.version_labels import LabelTaken, version_annotate
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import NamedBytes, client_for, team_project, upload
from konnaxion.keenkonnect.tests.test_real_time_sync import _document, _entries, _socket
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def document_with_versions(count: int = 2):
    project, users = team_project()
    owner = users["owner"]
    resource = resource_create(project=project, upload=incoming_file(pdf_bytes("1")), actor=owner)
    for index in range(2, count + 1):
        visible = resource_get_visible(user=owner, project=project, resource_id=resource.pk)
        version_create(resource=visible, upload=incoming_file(pdf_bytes(str(index))), actor=owner)
    return project, users, resource


def version_url(project, resource, number) -> str:
    return f"/api/projects/{project.slug}/resources/{resource.pk}/versions/{number}/"


def test_a_collaborator_labels_a_version_and_the_history_shows_it():
    # given
    project, users, resource = document_with_versions(2)
    client = client_for(users["collaborator"])
    events_before = ProjectEvent.objects.count()

    # when
    response = client.patch(
        version_url(project, resource, 1),
        {"label": "  Rev B - sent to fabricator ", "note": "Thicker wall on the left side."},
        format="json",
    )

    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["label"] == "Rev B - sent to fabricator"
    assert body["note"] == "Thicker wall on the left side."
    assert body["labelled_by"] == users["collaborator"].username
    assert body["labelled_at"] is not None
    history = client.get(f"/api/projects/{project.slug}/resources/{resource.pk}/versions/").json()
    by_number = {row["number"]: row for row in history["results"]}
    assert by_number[1]["label"] == "Rev B - sent to fabricator"
    assert by_number[1]["labelled_by"] == users["collaborator"].username
    assert by_number[2]["label"] == "" and by_number[2]["labelled_by"] is None
    audit = AuditEvent.objects.get(action=AuditEvent.Action.ANNOTATE)
    assert audit.actor == users["collaborator"]
    assert audit.details == {
        "version": 1,
        "fields": ["label", "note"],
        "label": "Rev B - sent to fabricator",
    }
    event = ProjectEvent.objects.order_by("-seq").first()
    assert ProjectEvent.objects.count() == events_before + 1
    assert (event.type, event.resource_id, event.version) == (
        "resource.version_labelled",
        resource.pk,
        1,
    )
    assert "Rev B" not in str(event.payload)


def test_only_the_note_changes_and_the_label_keeps_its_author():
    # given
    project, users, resource = document_with_versions(1)
    client_for(users["owner"]).patch(version_url(project, resource, 1), {"label": "Rev A"})

    # when
    response = client_for(users["collaborator"]).patch(
        version_url(project, resource, 1), {"note": "Checked."}, format="json"
    )

    # then
    assert response.status_code == 200
    version = DocumentVersion.objects.get(resource=resource, number=1)
    assert (version.label, version.note) == ("Rev A", "Checked.")
    assert version.labelled_by == users["owner"]


def test_an_unchanged_annotation_records_nothing():
    project, users, resource = document_with_versions(1)
    client = client_for(users["owner"])
    client.patch(version_url(project, resource, 1), {"label": "Rev A"}, format="json")
    audits, events = AuditEvent.objects.count(), ProjectEvent.objects.count()

    response = client.patch(version_url(project, resource, 1), {"label": "Rev A"}, format="json")

    assert response.status_code == 200
    assert (AuditEvent.objects.count(), ProjectEvent.objects.count()) == (audits, events)


def test_clearing_a_label_forgets_who_set_it():
    project, users, resource = document_with_versions(1)
    client = client_for(users["owner"])
    client.patch(version_url(project, resource, 1), {"label": "Rev A"}, format="json")

    response = client.patch(version_url(project, resource, 1), {"label": ""}, format="json")

    assert response.status_code == 200
    assert (response.json()["label"], response.json()["labelled_by"]) == ("", None)
    assert response.json()["labelled_at"] is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("mentor", 403), ("outsider", 404), ("anonymous", 401)],
)
def test_who_may_not_label(who, status):
    # given: a members-only project; a mentor reads, an outsider does not know it exists
    project, users, resource = document_with_versions(1)
    project.visibility = "members"
    project.save(update_fields=["visibility"])
    client = APIClient() if who == "anonymous" else client_for(users.get(who) or UserFactory())
    audits, events = AuditEvent.objects.count(), ProjectEvent.objects.count()

    # when
    response = client.patch(version_url(project, resource, 1), {"label": "Mine"}, format="json")

    # then: nothing changed
    assert response.status_code == status
    assert DocumentVersion.objects.get(resource=resource, number=1).label == ""
    assert (AuditEvent.objects.count(), ProjectEvent.objects.count()) == (audits, events)


def test_a_reader_with_invalid_input_still_hears_403():
    project, users, resource = document_with_versions(1)
    response = client_for(users["mentor"]).patch(
        version_url(project, resource, 1), {"label": "x" * 200}, format="json"
    )
    assert response.status_code == 403


def test_an_entry_of_none_hides_the_version_from_a_collaborator():
    project, users, resource = document_with_versions(1)
    client_for(users["owner"]).put(
        f"/api/projects/{project.slug}/resources/{resource.pk}/permissions/",
        {"entries": [{"user": users["collaborator"].username, "level": "none"}]},
        format="json",
    )
    response = client_for(users["collaborator"]).patch(
        version_url(project, resource, 1), {"label": "Mine"}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"label": "x" * 81}, "label"),
        ({"label": "two\nlines"}, "label"),
        ({"label": "bell\x07"}, "label"),
        ({"note": "n" * 10_001}, "note"),
        ({"label": 12}, None),
    ],
)
def test_invalid_labels_and_notes_are_refused(data, field):
    project, users, resource = document_with_versions(1)
    response = client_for(users["owner"]).patch(
        version_url(project, resource, 1), data, format="json"
    )
    if field is None:  # a number is taken as its text by the serializer
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.content
    assert field in str(response.json()["error"]["details"])
    assert DocumentVersion.objects.get(resource=resource, number=1).label == ""


def test_a_label_is_unique_in_the_document_case_aside():
    # given
    project, users, resource = document_with_versions(2)
    client = client_for(users["owner"])
    client.patch(version_url(project, resource, 1), {"label": "Rev B"}, format="json")

    # when
    response = client.patch(version_url(project, resource, 2), {"label": "rev b"}, format="json")

    # then
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "label_taken"
    assert DocumentVersion.objects.get(resource=resource, number=2).label == ""


def test_the_same_label_on_two_documents_is_fine():
    project, users, resource = document_with_versions(1)
    other = resource_create(
        project=project, upload=incoming_file(pdf_bytes("other")), actor=users["owner"]
    )
    client = client_for(users["owner"])
    assert client.patch(version_url(project, resource, 1), {"label": "Rev A"}).status_code == 200
    assert client.patch(version_url(project, other, 1), {"label": "Rev A"}).status_code == 200


def test_unknown_versions_are_404():
    project, users, resource = document_with_versions(1)
    client = client_for(users["owner"])
    assert client.patch(version_url(project, resource, 9), {"label": "x"}).status_code == 404
    assert client.get(version_url(project, resource, 99_999_999_999)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_writers_labelling_two_versions_alike_at_once_get_one_label():
    # given
    project, users, resource = document_with_versions(2)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def label(number: int) -> None:
        try:
            visible = resource_get_visible(
                user=users["owner"], project=project, resource_id=resource.pk
            )
            barrier.wait()
            version_annotate(resource=visible, number=number, actor=users["owner"], label="Final")
            outcomes.append("labelled")
        except LabelTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=label, args=(number,)) for number in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert sorted(outcomes) == ["labelled", "taken"]
    assert DocumentVersion.objects.filter(resource=resource, label="Final").count() == 1


def test_label_and_note_at_upload_of_a_document_and_of_a_version(upload_tmp_dir):
    # given
    project, users = team_project()
    client = client_for(users["collaborator"])

    # when
    created = upload(client, project, "plan.pdf", pdf_bytes("a"), label="Rev A", note="First.")
    resource_id = created.json()["id"]
    added = client.post(
        f"/api/projects/{project.slug}/resources/{resource_id}/versions/",
        data={
            "file": NamedBytes("plan.pdf", pdf_bytes("b")),
            "label": "Rev B",
            "note": "Second.",
            "comment": "Moved the holes.",
        },
        format="multipart",
    )

    # then
    assert created.status_code == 201, created.content
    assert created.json()["current_version"]["label"] == "Rev A"
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["label"], body["note"]) == ("Rev B", "Second.")
    assert body["comment"] == "Moved the holes."
    assert body["labelled_by"] == users["collaborator"].username


def test_an_upload_with_a_taken_label_is_refused_and_stores_nothing(upload_tmp_dir):
    project, users = team_project()
    client = client_for(users["owner"])
    resource_id = upload(client, project, "plan.pdf", pdf_bytes("a"), label="Rev A").json()["id"]
    versions = DocumentVersion.objects.count()

    response = client.post(
        f"/api/projects/{project.slug}/resources/{resource_id}/versions/",
        data={
            "file": NamedBytes("plan.pdf", pdf_bytes("b")),
            "label": "REV A",
        },
        format="multipart",
    )

    assert response.status_code == 409
    assert DocumentVersion.objects.count() == versions


def test_tus_metadata_carries_label_and_note(upload_tmp_dir):
    project, users = team_project()
    client = client_for(users["owner"])
    content = pdf_bytes("tus")

    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    created = client.post(
        f"/api/projects/{project.slug}/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH=str(len(content)),
        HTTP_UPLOAD_METADATA=f"filename {b64('plan.pdf')},label {b64('Rev C')},note {b64('Tus.')}",
    )
    assert created.status_code == 201, created.content
    finished = client.patch(
        created["Location"],
        data=content,
        content_type="application/offset+octet-stream",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_OFFSET="0",
    )
    assert finished.status_code == 204, finished.content
    version = ProjectResource.objects.get(pk=finished["Stockage-Resource"]).current_version
    assert (version.label, version.note, version.labelled_by) == ("Rev C", "Tus.", users["owner"])


def test_tus_refuses_a_bad_label_before_any_byte(upload_tmp_dir):
    project, users = team_project()
    label = base64.b64encode(b"x" * 81).decode()
    response = client_for(users["owner"]).post(
        f"/api/projects/{project.slug}/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH="10",
        HTTP_UPLOAD_METADATA=f"filename {base64.b64encode(b'a.pdf').decode()},label {label}",
    )
    assert response.status_code == 400


def test_retention_never_drops_a_labelled_version():
    # given: five versions, all old; keep only the last one; version 2 is labelled
    project, users, resource = document_with_versions(5)
    visible = resource_get_visible(user=users["owner"], project=project, resource_id=resource.pk)
    version_annotate(resource=visible, number=2, actor=users["owner"], label="Rev B")
    DocumentVersion.objects.filter(resource=resource).update(
        created_at=timezone.now() - timedelta(days=400)
    )
    RetentionPolicy.objects.create(project=project, keep_last=1, keep_days=30)

    # when
    deleted = versions_apply_retention()

    # then: versions 1, 3 and 4 went; the labelled one and the current one stay
    assert deleted == 3
    kept = sorted(
        DocumentVersion.objects.filter(resource=resource).values_list("number", flat=True)
    )
    assert kept == [2, 5]


def test_retention_drops_a_version_once_its_label_is_removed():
    project, users, resource = document_with_versions(2)
    visible = resource_get_visible(user=users["owner"], project=project, resource_id=resource.pk)
    version_annotate(resource=visible, number=1, actor=users["owner"], label="Rev A")
    RetentionPolicy.objects.create(project=project, keep_last=1)
    assert versions_apply_retention() == 0

    version_annotate(resource=visible, number=1, actor=users["owner"], label="")

    assert versions_apply_retention() == 1
    assert list(DocumentVersion.objects.values_list("number", flat=True)) == [2]


def test_a_label_is_found_by_search():
    project, users, resource = document_with_versions(1)
    client = client_for(users["owner"])
    assert client.get("/api/search/", {"q": "fabricator"}).json()["results"] == []
    visible = resource_get_visible(user=users["owner"], project=project, resource_id=resource.pk)
    version_annotate(resource=visible, number=1, actor=users["owner"], label="Fabricator")

    response = client.get("/api/search/", {"q": "fabricator"})

    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [str(resource.pk)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_label_is_announced_only_to_those_who_may_read_the_document():
    # given two documents; the mentor's entry hides the first one
    project, users = await database_sync_to_async(team_project)()
    owner = users["owner"]
    hidden = await _document(project, owner, "Hidden")
    shown = await _document(project, owner, "Shown")
    await _entries(hidden, [{"user": users["mentor"].username, "level": "none"}], owner)
    mentor, connected, _ = await _socket(project, users["mentor"])
    assert connected

    @database_sync_to_async
    def label(resource, text: str) -> None:
        visible = resource_get_visible(user=owner, project=project, resource_id=resource.pk)
        version_annotate(resource=visible, number=1, actor=owner, label=text)

    # when the hidden document's version is labelled, then the shown one's
    await label(hidden, "Secret revision")
    await label(shown, "Rev A")

    # then the mentor hears of the shown one only, with ids and no label text
    message = await mentor.receive_json_from(timeout=5)
    assert {k: message[k] for k in ("type", "resource", "version", "actor")} == {
        "type": "resource.version_labelled",
        "resource": shown.pk,
        "version": 1,
        "actor": owner.username,
    }
    assert "Rev A" not in str(message)
    assert await mentor.receive_nothing(timeout=0.5)
    await mentor.disconnect()
