"""The 3D viewer's markup on document and diff pages (templatetags/viewer3d.py): which file it
reads, in which unit, whether it opens by itself, and the figures of the index's analysis."""

import html
import json
import re

import numpy as np
import pytest
from django.test import Client
from django.utils import translation

from konnaxion.keenkonnect.samples import cube_triangles, gltf_from_triangles, stl_binary
from konnaxion.keenkonnect.services import document_versioning
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.diff_figures import TIMES, model_figures
from konnaxion.web.templatetags import viewer3d
from konnaxion.web.tests.test_blueprints_pages import as_seen_by, client_of, document, incoming

pytestmark = pytest.mark.django_db


def next_version(resource, actor, name: str, content: bytes) -> None:
    document_versioning.version_create(
        resource=as_seen_by(resource, actor), upload=incoming(name, content), actor=actor
    )


def viewer_of(page: str) -> dict[str, str]:
    """The data attributes of the page's [data-viewer3d] element."""
    element = re.search(r"<div class=\"viewer3d\" data-viewer3d([^>]*)>", page, re.S)
    assert element, "no 3D viewer on the page"
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'data-([\w-]+)="([^"]*)"', element.group(1))
    }


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_figures_of_one_model_have_units_and_say_what_is_unknown():
    analysis = {
        "triangle_count": 1200,
        "bounding_box": {"min": [0, 0, 0], "max": [40, 25, 10], "size": [40.0, 25.0, 10.5]},
        "volume": None,
    }
    with translation.override("en"):
        figures = model_figures(analysis, "mm")
        unknown = model_figures({}, "m")
    assert figures == [
        ("size", "Size (width, depth, height)", f"40{TIMES}25{TIMES}10.5 mm"),
        ("triangles", "Triangles", "1,200"),
        ("volume", "Volume", "—"),
    ]
    assert [value for _, _, value in unknown] == ["—", "—", "—"]


def test_an_analysed_stl_page_has_a_viewer_of_its_current_version_in_millimetres():
    # given an analysed STL cube of 30 mm
    olga = UserFactory()
    project = project_for(creator=olga, visibility="members")
    cube = document(project, olga, "cube.stl", stl_binary(cube_triangles(size=30.0)))
    assert resource_index(resource_id=cube.pk, version_number=1) == "indexed"

    # when its page is read
    with translation.override("en"):
        page = page_of(client_of(olga), f"/projects/{project.slug}/blueprints/{cube.pk}/")

    # then the viewer reads version 1 from the download endpoint, Z up, by itself
    data = viewer_of(page)
    assert json.loads(data["sources"]) == [
        {
            "url": f"/api/projects/{project.slug}/resources/{cube.pk}/download/?version=1",
            "format": "stl",
            "size": cube.current_version.size,
            "role": "model",
        }
    ]
    assert (data["unit"], data["up"], data["automatic"]) == ("mm", "z", "true")
    assert data["text-distance"] == "Distance: %(distance)s"
    assert data["text-number-unit"] == "%(number)s %(unit)s"
    # and the figures of the analysis are beside it; the volume of a closed cube is known
    assert f'data-figure="size">30{TIMES}30{TIMES}30 mm</dd>' in page
    assert 'data-figure="triangles">12</dd>' in page
    assert 'data-figure="volume">27,000 mm³</dd>' in page
    # and the server's picture stays, as the view without JavaScript
    assert 'class="preview-image"' in page


def test_a_version_not_analysed_yet_leaves_its_figures_to_the_viewer():
    # given a GLB whose second version the index has not read
    olga = UserFactory()
    project = project_for(creator=olga, visibility="members")
    jaw = document(
        project, olga, "jaw.glb", gltf_from_triangles({"j": cube_triangles()}, binary=True)
    )
    assert resource_index(resource_id=jaw.pk, version_number=1) == "indexed"
    longer = gltf_from_triangles({"j": cube_triangles() * np.array([2, 1, 1])}, binary=True)
    next_version(jaw, olga, "jaw.glb", longer)

    # when its page is read
    page = page_of(client_of(olga), f"/projects/{project.slug}/blueprints/{jaw.pk}/")

    # then the viewer reads version 2, in metres, and the first version's figures are not shown
    data = viewer_of(page)
    assert json.loads(data["sources"])[0]["url"].endswith("/download/?version=2")
    assert (data["unit"], data["up"]) == ("m", "y")
    assert page.count("data-unknown") == 3


def test_a_large_model_waits_to_be_asked_for(monkeypatch):
    # given a model larger than what opens by itself
    olga = UserFactory()
    project = project_for(creator=olga, visibility="members")
    cube = document(project, olga, "cube.stl", stl_binary(cube_triangles()))
    monkeypatch.setattr(viewer3d, "AUTOMATIC_MAX_BYTES", cube.current_version.size - 1)

    # when its page is read
    with translation.override("en"):
        page = page_of(client_of(olga), f"/projects/{project.slug}/blueprints/{cube.pk}/")

    # then the viewer offers to open it, saying how large it is
    assert viewer_of(page)["automatic"] == "false"
    assert "Open the 3D viewer</button>" in page
    assert "it is loaded only when you ask" in page


def test_a_pdf_page_has_no_3d_viewer():
    olga = UserFactory()
    project = project_for(creator=olga, visibility="members")
    plan = document(project, olga)
    page = page_of(client_of(olga), f"/projects/{project.slug}/blueprints/{plan.pk}/")
    assert "data-viewer3d" not in page


def test_the_diff_of_two_models_overlays_both_with_a_legend():
    # given two versions of an STL
    olga = UserFactory()
    project = project_for(creator=olga, visibility="members")
    cube = document(project, olga, "cube.stl", stl_binary(cube_triangles(size=20.0)))
    next_version(cube, olga, "cube.stl", stl_binary(cube_triangles(size=25.0)))

    # when the diff page is read
    with translation.override("en"):
        page = page_of(
            client_of(olga), f"/projects/{project.slug}/blueprints/{cube.pk}/diff/?old=1&new=2"
        )

    # then both versions are the viewer's sources, each with its switch and legend line
    sources = json.loads(viewer_of(page)["sources"])
    assert [(source["role"], source["label"]) for source in sources] == [
        ("old", "Version 1"),
        ("new", "Version 2"),
    ]
    assert [source["url"][-10:] for source in sources] == ["?version=1", "?version=2"]
    assert 'data-role="old" aria-pressed="true">Show Version 1</button>' in page
    assert "Version 1: orange lines" in page
    assert "Version 2: blue, solid" in page
