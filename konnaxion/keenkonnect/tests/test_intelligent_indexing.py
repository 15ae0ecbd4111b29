"""intelligent_indexing: text, metadata, keywords, auto-tags, vector, state, previews."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command

from konnaxion.keenkonnect.models import DocumentPreview, ProjectEvent, ProjectResource
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.analysis_files import (
    cube_triangles,
    gltf_from_triangles,
    multipage_pdf,
    pdf_with_content,
    stl_ascii,
)
from konnaxion.keenkonnect.tests.files import incoming_file, jpeg_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.tags.models import Tag

State = ProjectResource.IndexState
PAGES = [
    "The foundation plan of the community workshop.",
    "Walls are built from rammed earth and local timber.",
    "The roof carries photovoltaic panels and a rainwater cistern.",
]


def _stored(project, owner, content: bytes, name: str) -> ProjectResource:
    return resource_create(
        project=project, upload=incoming_file(content, name=name), actor=owner, title=""
    )


@pytest.mark.django_db
def test_a_pdf_is_indexed_page_by_page_with_keywords_tags_and_previews():
    # given
    Tag.objects.create(name="rainwater")
    project, users = team_project()
    resource = _stored(project, users["owner"], multipage_pdf(PAGES, title="Workshop"), "ws.pdf")
    assert resource.index_state == State.PENDING
    # when
    outcome = resource_index(resource_id=resource.pk, version_number=1)
    # then
    resource.refresh_from_db()
    assert outcome == State.INDEXED
    assert resource.index_state == State.INDEXED and resource.index_reason == ""
    assert resource.indexed_version == 1
    assert resource.language == "en"
    assert "photovoltaic" in resource.extracted_text
    assert resource.extracted_metadata["page_count"] == 3
    assert resource.extracted_metadata["metadata"]["Title"] == "Workshop"
    assert resource.keywords
    assert resource.auto_tags == ["rainwater"]
    assert ProjectResource.objects.filter(pk=resource.pk, search_vector="photovoltaic").exists()
    sizes = set(
        DocumentPreview.objects.filter(version__resource=resource).values_list("size", flat=True)
    )
    assert sizes == {256, 1024}
    assert list(
        ProjectEvent.objects.filter(resource_id=resource.pk).values_list("type", flat=True)
    ) == ["resource.added", "resource.indexed"]


@pytest.mark.django_db
def test_indexing_a_version_twice_does_it_once():
    # given
    project, users = team_project()
    resource = _stored(project, users["owner"], multipage_pdf(["Once only"]), "once.pdf")
    resource_index(resource_id=resource.pk, version_number=1)
    # when
    second = resource_index(resource_id=resource.pk, version_number=1)
    # then
    assert second == "skipped"
    assert ProjectEvent.objects.filter(type="resource.indexed").count() == 1
    assert DocumentPreview.objects.count() == 2


@pytest.mark.django_db
def test_images_and_models_are_indexed_with_their_metadata():
    # given
    project, users = team_project()
    owner = users["owner"]
    photo = _stored(project, owner, jpeg_bytes((64, 48)), "site.jpg")
    part = _stored(project, owner, stl_ascii(cube_triangles(), name="bracket"), "bracket.stl")
    scene = _stored(
        project, owner, gltf_from_triangles({"cube": cube_triangles()}, binary=True), "s.glb"
    )
    # when
    for resource in (photo, part, scene):
        resource_index(resource_id=resource.pk, version_number=1)
    # then
    photo.refresh_from_db()
    part.refresh_from_db()
    scene.refresh_from_db()
    assert photo.index_state == part.index_state == scene.index_state == State.INDEXED
    assert (photo.extracted_metadata["width"], photo.extracted_metadata["height"]) == (64, 48)
    assert photo.extracted_metadata["mode"] == "RGB"
    assert part.extracted_metadata["triangle_count"] == 12
    assert part.extracted_metadata["solid_name"] == "bracket"
    assert part.extracted_metadata["surface_area"] == pytest.approx(24.0)
    assert scene.extracted_metadata["format"] == "glb"
    assert scene.extracted_metadata["mesh_count"] == 1
    assert ProjectResource.objects.filter(pk=part.pk, search_vector="bracket").exists()
    assert DocumentPreview.objects.filter(version__resource=scene).count() == 2


@pytest.mark.django_db
def test_a_hostile_pdf_fails_its_indexing_with_a_reason_and_the_upload_stays(settings):
    # given: a million text operators, far more than one second of work
    settings.ANALYSIS_PDF_TIMEOUT_SECONDS = 1
    slow = pdf_with_content(b"BT /F1 12 Tf " + b"(word) Tj " * 1_000_000 + b"ET")
    project, users = team_project()
    resource = _stored(project, users["owner"], slow, "slow.pdf")
    # when
    outcome = resource_index(resource_id=resource.pk, version_number=1)
    # then
    resource.refresh_from_db()
    assert outcome == State.FAILED
    assert (resource.index_state, resource.index_reason) == (State.FAILED, "timeout")
    assert resource.current_version.number == 1


@pytest.mark.django_db
def test_a_version_replaced_before_its_turn_is_skipped():
    # given
    from konnaxion.keenkonnect.services.document_versioning import version_restore

    project, users = team_project()
    resource = _stored(project, users["owner"], multipage_pdf(["First"]), "a.pdf")
    resource.my_level = 3
    version_restore(resource=resource, number=1, actor=users["owner"])
    # when
    stale = resource_index(resource_id=resource.pk, version_number=1)
    fresh = resource_index(resource_id=resource.pk, version_number=2)
    # then
    assert (stale, fresh) == ("skipped", State.INDEXED)
    resource.refresh_from_db()
    assert resource.indexed_version == 2


@pytest.mark.django_db(transaction=True)
def test_reindex_command_queues_every_document(worker_media, celery_worker):
    # given: documents indexed by the worker after their upload commits
    project, users = team_project()
    resource = _stored(project, users["owner"], multipage_pdf(["Granite steps"]), "g.pdf")
    _wait_state(resource.pk, State.INDEXED)
    # when
    call_command("reindex")
    # then: pending again, then indexed again by the worker
    _wait_state(resource.pk, State.INDEXED)
    assert ProjectEvent.objects.filter(type="resource.indexed").count() == 2


def _wait_state(pk: int, state: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while ProjectResource.objects.get(pk=pk).index_state != state:
        assert time.monotonic() < deadline, f"the resource never became {state}"
        time.sleep(0.1)


def test_every_search_language_has_its_partial_index():
    # given the languages the indexing gives vectors under, and the indexes of the model
    from konnaxion.keenkonnect.analysis.keywords import SEARCH_CONFIGURATIONS
    from konnaxion.keenkonnect.models.resources import SEARCH_LANGUAGES

    indexed = {
        index.condition.children[0][1]
        for index in ProjectResource._meta.indexes
        if index.fields == ["search_vector"]
    }
    # then each language searched has a GIN index of its own
    assert (
        indexed == set(SEARCH_LANGUAGES) == {language or "" for language in SEARCH_CONFIGURATIONS}
    )
