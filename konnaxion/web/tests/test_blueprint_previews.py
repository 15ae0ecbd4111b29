"""Thumbnails in the Blueprints list and the preview on a document's page, for every type: the
preview endpoint's PNG once the version is indexed, a neutral placeholder before."""

import pytest

from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, ProjectEvent
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import glb_bytes, jpeg_bytes, png_bytes, stl_binary_bytes
from konnaxion.web.tests.test_blueprints_pages import client_of, document, tab_url, team

__all__ = ["team"]

pytestmark = pytest.mark.django_db

FILES = {
    "plan.pdf": lambda: multipage_pdf(["Ground floor", "First floor"]),
    "photo.png": lambda: png_bytes((300, 200)),
    "photo.jpg": lambda: jpeg_bytes((300, 200)),
    "part.stl": lambda: stl_binary_bytes(12),
    "part.glb": glb_bytes,
}


def row_of(html: str, resource) -> str:
    return html.split(f'data-resource-id="{resource.pk}"')[1].split("</tr>")[0]


@pytest.mark.parametrize("name", sorted(FILES))
def test_an_indexed_document_has_a_thumbnail_and_a_preview(team, name):
    # given
    project, people = team
    resource = document(project, people["owner"], name=name, content=FILES[name]())
    resource_index(resource_id=resource.pk, version_number=1)
    client = client_of(people["reader"])
    api = f"/api/projects/{project.slug}/resources/{resource.pk}/preview/"
    # when
    listing = client.get(tab_url(project)).content.decode()
    page = client.get(f"/projects/{project.slug}/blueprints/{resource.pk}/").content.decode()
    # then the list shows the 256 px preview and the page the 1024 px one, both served
    assert f'src="{api}?size=256&amp;version=1"' in row_of(listing, resource)
    assert f'src="{api}?size=1024&amp;version=1"' in page
    assert f"Preview of “{name}”, version 1" in page
    for size in (256, 1024):
        served = client.get(api, {"size": size, "version": 1})
        assert served.status_code == 200 and served["Content-Type"] == "image/png"


def test_before_indexing_a_placeholder_says_the_preview_is_coming(team):
    # given a document whose indexing has not run
    project, people = team
    resource = document(project, people["owner"], name="photo.png", content=png_bytes())
    client = client_of(people["owner"])
    # when
    listing = client.get(tab_url(project)).content.decode()
    page = client.get(f"/projects/{project.slug}/blueprints/{resource.pk}/").content.decode()
    # then
    row = row_of(listing, resource)
    assert 'data-preview="pending"' in row and "Preview being prepared" in row
    assert "<img" not in row
    assert "The preview is being prepared." in page and "/preview/?size=1024" not in page


def test_a_document_without_a_preview_gets_the_neutral_placeholder(team):
    # given a document indexed without producing a preview (its file could not be read)
    project, people = team
    resource = document(project, people["owner"], name="plan.pdf", content=b"%PDF-1.4\n%%EOF\n")
    resource_index(resource_id=resource.pk, version_number=1)
    resource.refresh_from_db()
    assert resource.index_state != "pending"
    client = client_of(people["owner"])
    # when
    listing = client.get(tab_url(project)).content.decode()
    page = client.get(f"/projects/{project.slug}/blueprints/{resource.pk}/").content.decode()
    # then
    assert 'data-preview="none"' in row_of(listing, resource)
    assert "There is no preview of this version." in page


def test_the_tab_starts_the_live_stream_where_the_page_was_read(team):
    # given two events in the project's log
    project, people = team
    resource = document(project, people["owner"])
    DocumentAccess.objects.create(resource=resource, user=people["reader"], level=AccessLevel.READ)
    latest = ProjectEvent.objects.filter(project=project).order_by("-seq").first().seq
    # when
    html = client_of(people["reader"]).get(tab_url(project)).content.decode()
    anonymous = client_of(people["outsider"]).get(tab_url(project))
    # then
    assert f'data-project-seq="{latest}"' in html and 'data-signed-in="true"' in html
    assert anonymous.status_code == 404
