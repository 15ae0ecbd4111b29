"""A document whose indexing failed, on the web pages: its reason on the page and in the list
for those who may read it, and a "Try again" button for admins only."""

import pytest
from django.utils import translation

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import ProjectResource
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.web.tests.test_blueprints_pages import (  # noqa: F401 (the `team` fixture)
    client_of,
    document,
    tab_url,
    team,
)

pytestmark = pytest.mark.django_db
State = ProjectResource.IndexState


def _page(project, resource, tail: str = "") -> str:
    return f"/projects/{project.slug}/blueprints/{resource.pk}/{tail}"


@pytest.fixture
def world(request):
    """test_blueprints_pages' team: olga owns, walt writes, rita reads, otto is outside."""
    return request.getfixturevalue("team")


@pytest.fixture
def failed(world):
    """A document of olga's whose blob no longer decrypts, indexed (failed) already."""
    project, users = world
    plan = document(project, users["owner"])
    Blob.objects.filter(document_versions__resource=plan).update(key_id="lost-key")
    assert resource_index(resource_id=plan.pk, version_number=1) == State.FAILED
    return project, users, plan


@pytest.mark.parametrize("who", ["owner", "writer", "reader"])
def test_the_reason_is_shown_on_the_page_and_in_the_list(failed, who):
    project, users, plan = failed
    client = client_of(users[who])
    page = client.get(_page(project, plan)).content.decode()
    listing = client.get(tab_url(project)).content.decode()
    assert "This document could not be read" in page
    assert "the stored file cannot be decrypted or is damaged" in page
    assert "Could not be read: the stored file cannot be decrypted or is damaged" in listing


def test_only_an_admin_sees_the_try_again_button(failed):
    project, users, plan = failed
    action = f'action="{_page(project, plan, "reindex/")}"'
    assert action in client_of(users["owner"]).get(_page(project, plan)).content.decode()
    for who in ("writer", "reader"):
        page = client_of(users[who]).get(_page(project, plan)).content.decode()
        assert action not in page and "Try again" not in page


def test_an_indexed_document_shows_no_failure(world):
    project, users = world
    plan = document(project, users["owner"])
    resource_index(resource_id=plan.pk, version_number=1)
    page = client_of(users["owner"]).get(_page(project, plan)).content.decode()
    assert "This document could not be read" not in page and "reindex/" not in page


def test_try_again_sets_the_document_pending(failed, django_capture_on_commit_callbacks):
    project, users, plan = failed
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_of(users["owner"]).post(_page(project, plan, "reindex/"))
    assert response.status_code == 302 and response["Location"] == _page(project, plan)
    assert len(callbacks) == 1
    plan.refresh_from_db()
    assert (plan.index_state, plan.index_reason, plan.indexed_version) == (State.PENDING, "", None)


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("reader", 403), ("writer", 403)])
def test_try_again_is_refused_below_admin(failed, who, status, django_capture_on_commit_callbacks):
    project, users, plan = failed
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_of(users[who]).post(_page(project, plan, "reindex/"))
    assert response.status_code == status
    assert callbacks == []
    plan.refresh_from_db()
    assert plan.index_state == State.FAILED


def test_try_again_needs_a_signed_in_visitor_and_a_post(failed, client):
    project, users, plan = failed
    assert client.post(_page(project, plan, "reindex/")).status_code == 302  # to sign in
    assert client_of(users["owner"]).get(_page(project, plan, "reindex/")).status_code == 405
    plan.refresh_from_db()
    assert plan.index_state == State.FAILED


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("fr", "Ce document n\u2019a pas pu être lu"),
        ("es", "No se pudo leer este documento"),
        ("ar", "تعذّرت قراءة هذا المستند"),
    ],
)
def test_the_failure_is_translated(failed, language, heading):
    project, users, plan = failed
    client = client_of(users["owner"])
    with translation.override(language):
        page = client.get(_page(project, plan), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page
