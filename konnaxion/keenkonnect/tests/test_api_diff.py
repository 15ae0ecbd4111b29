"""The diff endpoints: one service computes the diff of two versions for every reader."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw

from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import pdf_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, new_version, team_project, upload
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def drawing(with_mark: bool) -> bytes:
    image = Image.new("RGB", (200, 120), "white")
    if with_mark:
        ImageDraw.Draw(image).rectangle((120, 30, 170, 80), fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def two_versions(name: str, first: bytes, second: bytes, **project_fields):
    project, users = team_project(**project_fields)
    client = client_for(users["collaborator"])
    resource_id = upload(client, project, name, first).json()["id"]
    assert new_version(client, project, resource_id, name, second).status_code == 201
    return project, users, client, resource_id


def diff_url(project, resource_id: int, suffix: str = "") -> str:
    return f"/api/projects/{project.slug}/resources/{resource_id}/diff/{suffix}"


def test_pdf_diff_shows_the_changed_text():
    # given
    project, users, client, resource_id = two_versions(
        "plan.pdf",
        multipage_pdf(["Cover", "Ground floor plan"]),
        multipage_pdf(["Cover", "First floor plan"]),
    )
    # when
    response = client.get(diff_url(project, resource_id), {"from": 1, "to": 2})
    # then
    assert response.status_code == 200, response.content
    diff = response.json()
    assert diff["kind"] == "pdf"
    assert diff["same_content"] is False
    assert (diff["old"]["version"], diff["new"]["version"]) == (1, 2)
    assert diff["uploader"]["old"] == users["collaborator"].username
    (page,) = diff["pdf"]["pages"]  # only the second page changed
    text = str(page)
    assert "-Ground floor plan" in text and "+First floor plan" in text


def test_image_diff_boxes_the_change_and_serves_the_highlight():
    # given
    project, _, client, resource_id = two_versions("site.png", drawing(False), drawing(True))
    # when
    diff = client.get(diff_url(project, resource_id), {"from": 1, "to": 2}).json()
    highlight = client.get(diff_url(project, resource_id, "highlight/"), {"from": 1, "to": 2})
    # then the box covers the drawn square and the picture is a PNG of the newer image's size
    ((left, top, right, bottom),) = diff["image"]["boxes"]
    assert left <= 120 and top <= 30 and right >= 170 and bottom >= 80
    assert highlight.status_code == 200
    assert highlight["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(b"".join(highlight.streaming_content)))
    assert picture.size == (200, 120)


@pytest.mark.parametrize(
    ("query", "status"),
    [({"from": 1, "to": 9}, 404), ({"from": "x", "to": 2}, 400), ({"to": 2}, 400)],
)
def test_bad_version_pairs(query, status):
    project, _, client, resource_id = two_versions("plan.pdf", pdf_bytes("a"), pdf_bytes("b"))
    assert client.get(diff_url(project, resource_id), query).status_code == status


def test_pdfs_have_no_highlight():
    project, _, client, resource_id = two_versions("plan.pdf", pdf_bytes("a"), pdf_bytes("b"))
    response = client.get(diff_url(project, resource_id, "highlight/"), {"from": 1, "to": 2})
    assert response.status_code == 404


def test_outsiders_of_a_members_only_project_learn_nothing():
    project, _, _, resource_id = two_versions(
        "plan.pdf", pdf_bytes("a"), pdf_bytes("b"), visibility="members"
    )
    outsider = client_for(UserFactory())
    for suffix, page in (("", {}), ("highlight/", {}), ("highlight/", {"page": 1})):
        response = outsider.get(
            diff_url(project, resource_id, suffix), {"from": 1, "to": 2, **page}
        )
        assert response.status_code == 404


PLAN_PAGES = ["Cover\nHouse on the hill", "Ground floor\nKitchen 12 m2", "Roof\nSlate tiles"]


def test_a_changed_pdf_page_is_served_as_an_overlay_of_both_pages_rendered():
    # given
    edited = [PLAN_PAGES[0], "Ground floor\nKitchen 18 m2", PLAN_PAGES[2]]
    project, _, client, resource_id = two_versions(
        "plan.pdf", multipage_pdf(PLAN_PAGES), multipage_pdf(edited)
    )
    (page,) = client.get(diff_url(project, resource_id), {"from": 1, "to": 2}).json()["pdf"][
        "pages"
    ]
    assert (page["status"], page["new_page"], page["overlay"]) == ("changed", 2, True)
    # when
    response = client.get(
        diff_url(project, resource_id, "highlight/"), {"from": 1, "to": 2, "page": 2}
    )
    again = client.get(
        diff_url(project, resource_id, "highlight/"), {"from": 1, "to": 2, "page": 2}
    )
    # then a page-sized picture (612 x 792 points drawn 1024 px high), the same one each time
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert picture.size == (792, 1024)
    assert (230, 30, 30) in {colour for _, colour in picture.convert("RGB").getcolors(1 << 20)}
    assert again["ETag"] == response["ETag"]


@pytest.mark.parametrize(("page", "status"), [(1, 404), (3, 404), (9, 404), ("x", 400), (0, 400)])
def test_only_a_changed_page_has_an_overlay(page, status):
    edited = [PLAN_PAGES[0], "Ground floor\nKitchen 18 m2", PLAN_PAGES[2]]
    project, _, client, resource_id = two_versions(
        "plan.pdf", multipage_pdf(PLAN_PAGES), multipage_pdf(edited)
    )
    response = client.get(
        diff_url(project, resource_id, "highlight/"), {"from": 1, "to": 2, "page": page}
    )
    assert response.status_code == status
    assert response.json()["error"]["code"]
