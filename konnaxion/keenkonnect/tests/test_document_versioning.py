"""Versions under concurrency, retention, and the Stockage tasks on a real Celery worker."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from konnaxion.keenkonnect.models import (
    DocumentVersion,
    ProjectResource,
    RetentionPolicy,
)
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_versioning import (
    version_create,
    versions_apply_retention,
)
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import team_project


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_new_versions_get_contiguous_numbers():
    # given
    project, users = team_project()
    owner = users["owner"]
    resource = resource_create(project=project, upload=incoming_file(pdf_bytes("v1")), actor=owner)
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def add(index: int) -> None:
        try:
            visible = resource_get_visible(user=owner, project=project, resource_id=resource.pk)
            upload = incoming_file(pdf_bytes(f"parallel {index}"))
            barrier.wait()
            version_create(resource=visible, upload=upload, actor=owner)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    # when: each thread has its own database connection
    threads = [threading.Thread(target=add, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert errors == []
    numbers = sorted(
        DocumentVersion.objects.filter(resource=resource).values_list("number", flat=True)
    )
    assert numbers == list(range(1, 22))
    resource.refresh_from_db()
    assert resource.current_version.number == 21
    assert (
        DocumentVersion.objects.filter(resource=resource).values("sha256").distinct().count() == 21
    )


@pytest.mark.django_db
def test_retention_keeps_the_last_n_the_pinned_and_the_current():
    # given: six versions, version 2 pinned, keep the last two
    project, users = team_project()
    owner = users["owner"]
    resource = resource_create(project=project, upload=incoming_file(pdf_bytes("1")), actor=owner)
    for index in range(2, 7):
        visible = resource_get_visible(user=owner, project=project, resource_id=resource.pk)
        version_create(resource=visible, upload=incoming_file(pdf_bytes(str(index))), actor=owner)
    DocumentVersion.objects.filter(resource=resource, number=2).update(pinned=True)
    DocumentVersion.objects.filter(resource=resource, number__lte=3).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    RetentionPolicy.objects.create(project=project, keep_last=2)

    # when
    deleted = versions_apply_retention()

    # then
    assert deleted == 3
    kept = sorted(
        DocumentVersion.objects.filter(resource=resource).values_list("number", flat=True)
    )
    assert kept == [2, 5, 6]
    assert versions_apply_retention() == 0


@pytest.mark.django_db
def test_retention_by_age():
    project, users = team_project()
    owner = users["owner"]
    resource = resource_create(project=project, upload=incoming_file(pdf_bytes("1")), actor=owner)
    visible = resource_get_visible(user=owner, project=project, resource_id=resource.pk)
    version_create(resource=visible, upload=incoming_file(pdf_bytes("2")), actor=owner)
    DocumentVersion.objects.filter(resource=resource, number=1).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    RetentionPolicy.objects.create(project=project, keep_days=30)
    assert versions_apply_retention() == 1
    assert list(DocumentVersion.objects.values_list("number", flat=True)) == [2]


def test_expired_trash_is_purged_by_the_task_on_a_real_worker(celery_worker):
    from konnaxion.keenkonnect.tasks import resources_purge_expired_trash_task

    # given
    project, users = team_project()
    resource = resource_create(
        project=project, upload=incoming_file(pdf_bytes("old")), actor=users["owner"]
    )
    ProjectResource.objects.filter(pk=resource.pk).update(
        trashed_at=timezone.now() - timedelta(days=31), trashed_by=users["owner"]
    )

    # when
    purged = resources_purge_expired_trash_task.delay().get(timeout=60)

    # then
    assert purged == 1
    assert not ProjectResource.objects.filter(pk=resource.pk).exists()
