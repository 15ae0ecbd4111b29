"""`kill -9` of a Celery worker in the middle of indexing a document: the task is delivered again
to a new worker and the document ends up indexed exactly once."""

from __future__ import annotations

import pytest

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import DocumentPreview, ProjectEvent, ProjectResource
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.tags.models import Tag
from tests.reliability.workers import journal_lines, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

INDEX_HOOKS = "konnaxion.keenkonnect.tests.index_hooks"
PAGES = [
    "The foundation plan of the community workshop.",
    "Walls are built from rammed earth and local timber.",
    "The roof carries photovoltaic panels and a rainwater cistern.",
]


@pytest.fixture
def shared_media(settings, tmp_path) -> dict[str, str]:
    """Blob and upload folders of this test, shared with the workers it starts."""
    media, uploads = tmp_path / "media", tmp_path / "upload-tmp"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    settings.STORAGE_TMP_DIR = str(uploads)
    return {"MEDIA_ROOT": str(media), "STORAGE_TMP_DIR": str(uploads)}


def test_worker_killed_mid_indexing_leaves_the_document_indexed_once(
    workers, shared_media, tmp_path
):
    # given a worker that pauses inside the indexing transaction, and a PDF just uploaded
    journal = tmp_path / "journal"
    environment = {**shared_media, "KONNAXION_TEST_INDEX_JOURNAL": str(journal)}
    first = workers.start(task_modules=INDEX_HOOKS, **environment)
    Tag.objects.create(name="rainwater")
    project, users = team_project()
    upload = incoming_file(multipage_pdf(PAGES, title="Workshop"), name="workshop.pdf")
    resource = resource_create(project=project, upload=upload, actor=users["owner"], title="")
    wait_for(lambda: bool(journal_lines(journal)), "the first delivery to write")
    # (extracted and previews stored; the row written but not committed)
    resource.refresh_from_db()
    assert resource.index_state == ProjectResource.IndexState.PENDING
    assert resource.indexed_version is None
    assert not ProjectEvent.objects.filter(type="resource.indexed").exists()
    # when the whole worker is killed mid-task and a new one starts
    workers.kill(first)
    workers.start(task_modules=INDEX_HOOKS, **environment)
    # then the task is delivered again and completes
    wait_for(lambda: "done" in [line.split()[0] for line in journal_lines(journal)], "redelivery")
    entries = [line.split() for line in journal_lines(journal)]
    assert [entry[0] for entry in entries] == ["writing", "writing", "done"]
    assert entries[0][1] != entries[1][1]
    # and the document is indexed exactly once
    resource.refresh_from_db()
    assert resource.index_state == ProjectResource.IndexState.INDEXED
    assert resource.index_reason == ""
    assert resource.indexed_version == 1
    assert resource.extracted_text.count("photovoltaic") == 1
    assert resource.extracted_metadata["page_count"] == 3
    assert resource.keywords and len(set(resource.keywords)) == len(resource.keywords)
    assert resource.auto_tags == ["rainwater"]
    assert ProjectResource.objects.filter(pk=resource.pk, search_vector="cistern").exists()
    previews = DocumentPreview.objects.filter(version__resource=resource)
    assert sorted(previews.values_list("size", flat=True)) == [256, 1024]
    assert Blob.objects.filter(document_previews__version__resource=resource).count() == 2
    events = ProjectEvent.objects.filter(resource_id=resource.pk).order_by("seq")
    assert list(events.values_list("seq", "type")) == [
        (1, "resource.added"),
        (2, "resource.indexed"),
    ]
