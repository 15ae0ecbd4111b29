"""A document whose indexing fails for good ends `failed` with a reason, and can be tried again."""

from __future__ import annotations

import time

import pytest
from django.core.files.storage import default_storage

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import ProjectEvent, ProjectResource
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index, resources_reindex
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.users.tests.factories import UserFactory

State = ProjectResource.IndexState


def _stored(project, owner) -> ProjectResource:
    upload = incoming_file(multipage_pdf(["Granite steps"]), name="steps.pdf")
    return resource_create(project=project, upload=upload, actor=owner, title="")


def _undecryptable(resource: ProjectResource) -> None:
    """Its blob's data key names a master key this server does not have."""
    Blob.objects.filter(document_versions__resource=resource).update(key_id="lost-key")


def _indexed_events(resource: ProjectResource) -> list[dict]:
    events = ProjectEvent.objects.filter(resource_id=resource.pk, type="resource.indexed")
    return [event.payload for event in events.order_by("seq")]


@pytest.mark.django_db
def test_a_blob_that_does_not_decrypt_fails_at_once_with_a_reason():
    # given
    project, users = team_project()
    resource = _stored(project, users["owner"])
    _undecryptable(resource)
    # when
    outcome = resource_index(resource_id=resource.pk, version_number=1)
    # then
    resource.refresh_from_db()
    assert outcome == State.FAILED
    assert (resource.index_state, resource.index_reason) == (State.FAILED, "blob_unreadable")
    assert resource.indexed_version == 1
    assert _indexed_events(resource) == [{"state": "failed"}]


@pytest.mark.django_db
def test_a_task_that_keeps_failing_marks_the_document_failed_after_its_retries():
    # given a document whose stored file has gone (an OSError, retried)
    from konnaxion.keenkonnect.tasks import resource_index_task

    project, users = team_project()
    resource = _stored(project, users["owner"])
    default_storage.delete(resource.current_version.blob.storage_name)
    # when the task runs, with its retries
    result = resource_index_task.apply(args=[resource.pk, 1])
    # then it failed for good, and the document says so instead of staying pending
    assert result.failed()
    resource.refresh_from_db()
    assert (resource.index_state, resource.index_reason) == (State.FAILED, "gave_up")
    assert _indexed_events(resource) == [{"state": "failed"}]


@pytest.mark.django_db
def test_a_late_failure_does_not_overwrite_a_newer_outcome():
    # given a document indexed already
    from konnaxion.keenkonnect.services.intelligent_indexing import resource_index_fail

    project, users = team_project()
    resource = _stored(project, users["owner"])
    assert resource_index(resource_id=resource.pk, version_number=1) == State.INDEXED
    # when a stale failure of the same version arrives
    outcome = resource_index_fail(resource_id=resource.pk, version_number=1, reason="gave_up")
    # then
    resource.refresh_from_db()
    assert outcome == "skipped"
    assert (resource.index_state, resource.index_reason) == (State.INDEXED, "")


def _reindex(client, project, resource):
    return client.post(f"/api/projects/{project.slug}/resources/{resource.pk}/reindex/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("visibility", "who", "status"),
    [
        ("members", "outsider", 404),
        ("public", "outsider", 403),
        ("members", "mentor", 403),
        ("members", "collaborator", 403),
    ],
)
def test_reindex_is_refused_below_admin(
    visibility, who, status, django_capture_on_commit_callbacks
):
    # given a failed document
    project, users = team_project(visibility=visibility)
    users["outsider"] = UserFactory()
    resource = _stored(project, users["owner"])
    _undecryptable(resource)
    resource_index(resource_id=resource.pk, version_number=1)
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = _reindex(client_for(users[who]), project, resource)
    # then nothing changed and nothing was queued
    assert response.status_code == status
    expected_code = "not_found" if status == 404 else "permission_denied"
    assert response.json()["error"]["code"] == expected_code
    assert callbacks == []
    resource.refresh_from_db()
    assert (resource.index_state, resource.indexed_version) == (State.FAILED, 1)


@pytest.mark.django_db
def test_reindex_of_an_anonymous_visitor_is_refused():
    project, users = team_project()
    resource = _stored(project, users["owner"])
    from rest_framework.test import APIClient

    assert _reindex(APIClient(), project, resource).status_code in (401, 403)


@pytest.mark.django_db
def test_reindex_sets_the_document_pending_and_queues_it(django_capture_on_commit_callbacks):
    # given a failed document
    project, users = team_project()
    resource = _stored(project, users["owner"])
    _undecryptable(resource)
    resource_index(resource_id=resource.pk, version_number=1)
    # when its owner tries again
    with django_capture_on_commit_callbacks() as callbacks:
        response = _reindex(client_for(users["owner"]), project, resource)
    # then
    assert response.status_code == 202
    assert response.json() == {"id": resource.pk, "index_state": "pending"}
    assert len(callbacks) == 1
    resource.refresh_from_db()
    assert (resource.index_state, resource.index_reason) == (State.PENDING, "")
    assert resource.indexed_version is None


@pytest.mark.django_db
def test_reindex_of_a_trashed_document_is_not_found():
    from konnaxion.keenkonnect.services.secure_document_storage import resource_trash

    project, users = team_project()
    resource = _stored(project, users["owner"])
    resource.my_level = 3
    resource_trash(resource=resource, actor=users["owner"])
    assert _reindex(client_for(users["owner"]), project, resource).status_code == 404


@pytest.mark.django_db
def test_reindex_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operation = schema["paths"]["/api/projects/{project_slug}/resources/{resource_id}/reindex/"]
    assert "202" in operation["post"]["responses"]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_marks_an_unreadable_document_failed_and_a_retry_indexes_it(
    worker_media, celery_worker
):
    # given a document indexed by the worker, whose blob then stops decrypting
    project, users = team_project()
    resource = _stored(project, users["owner"])
    _wait_state(resource.pk, State.INDEXED)
    key_id = Blob.objects.get(document_versions__resource=resource).key_id
    _undecryptable(resource)
    # when it is indexed again
    resources_reindex(resource_ids=[resource.pk])
    # then the worker marks it failed, with its reason
    _wait_state(resource.pk, State.FAILED)
    assert ProjectResource.objects.get(pk=resource.pk).index_reason == "blob_unreadable"
    assert _indexed_events(resource) == [{"state": "indexed"}, {"state": "failed"}]
    # and once the key is back, "try again" indexes it
    Blob.objects.filter(document_versions__resource=resource).update(key_id=key_id)
    response = _reindex(client_for(users["owner"]), project, resource)
    assert response.status_code == 202
    _wait_state(resource.pk, State.INDEXED)


def _wait_state(pk: int, state: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while ProjectResource.objects.get(pk=pk).index_state != state:
        assert time.monotonic() < deadline, f"the resource never became {state}"
        time.sleep(0.1)
