"""Garbage collection of blobs nothing refers to, found through Blob's relations."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from konnaxion.files.models import Blob
from konnaxion.files.services import blobs_collect_garbage
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, stored_blob


def sample(seed: str) -> bytes:
    return hashlib.shake_256(seed.encode()).digest(5000)


def age(blob: Blob, hours: int) -> None:
    Blob.objects.filter(pk=blob.pk).update(last_stored_at=timezone.now() - timedelta(hours=hours))


@pytest.mark.django_db
def test_only_old_unreferenced_blobs_are_collected(settings):
    # given
    settings.BLOB_GC_GRACE_HOURS = 24
    orphan, fresh = (stored_blob(sample(seed)) for seed in ("a", "c"))
    project = project_for()
    document = resource_create(
        project=project,
        upload=incoming_file(pdf_bytes("kept"), name="kept.pdf"),
        actor=project.creator,
        title="Kept",
    )
    referenced = document.current_version.blob
    age(orphan, 25)
    age(referenced, 25)

    # when
    deleted = blobs_collect_garbage()

    # then
    assert deleted == 1
    assert set(Blob.objects.values_list("pk", flat=True)) == {referenced.pk, fresh.pk}


@pytest.mark.django_db(transaction=True)
def test_collection_deletes_the_file_after_commit_and_is_idempotent():
    # given
    orphan = stored_blob(sample("orphan"))
    age(orphan, 48)

    # when
    first = blobs_collect_garbage()
    second = blobs_collect_garbage()

    # then
    assert (first, second) == (1, 0)
    assert not Blob.objects.filter(pk=orphan.pk).exists()
    assert not default_storage.exists(orphan.storage_name)


@pytest.mark.worker
def test_task_collects_garbage_on_a_real_worker(celery_worker, settings, tmp_path):
    # given: the worker shares the default media folder of the test settings
    from config.settings import test as test_settings
    from konnaxion.files.tasks import blobs_collect_garbage_task

    settings.STORAGES = test_settings.STORAGES
    orphan = stored_blob(sample("worker orphan"))
    fresh = stored_blob(sample("worker fresh"))
    age(orphan, 48)

    # when
    result = blobs_collect_garbage_task.delay().get(timeout=60)

    # then
    assert result == 1
    assert list(Blob.objects.values_list("pk", flat=True)) == [fresh.pk]
    deadline = time.monotonic() + 30  # the file goes once the worker's transaction commits
    while default_storage.exists(orphan.storage_name) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not default_storage.exists(orphan.storage_name)
    assert default_storage.exists(fresh.storage_name)
