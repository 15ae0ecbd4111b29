"""The page of a PDF search hit: indexing keeps the pages apart (a form feed between them) and
GET /api/search/ gives, for a PDF, the first page that matches the query by itself."""

from __future__ import annotations

import pytest

from konnaxion.keenkonnect.models import AccessLevel, ProjectResource
from konnaxion.keenkonnect.services.document_comments import comment_create
from konnaxion.keenkonnect.services.intelligent_indexing import pages_join, resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, team_project

pytestmark = pytest.mark.django_db

PAGES = [
    "Site survey and the boundary stones.",
    "Foundations on gravel, drained towards the hedge.",
    "The cistern overflows into a swale planted with sedge.",
    "Roof timbers and the gutter that feeds the hedge.",
]


def _indexed(project, owner, *, content: bytes, name: str):
    resource = resource_create(
        project=project, upload=incoming_file(content, name=name), actor=owner
    )
    resource_index(resource_id=resource.pk, version_number=1)
    return resource


def _results(user, q: str) -> list[dict]:
    response = client_for(user).get("/api/search/", {"q": q})
    assert response.status_code == 200
    return response.json()["results"]


def test_indexing_ends_each_page_of_a_pdf_with_a_form_feed():
    # given / when
    project, users = team_project()
    resource = _indexed(project, users["owner"], content=multipage_pdf(PAGES), name="site.pdf")
    # then
    resource.refresh_from_db()
    *pages, after_the_last = resource.extracted_text.split("\f")
    assert ([page.strip() for page in pages], after_the_last) == (PAGES, "")


def test_a_form_feed_inside_the_text_of_a_page_never_makes_a_page():
    assert pages_join(["one\fpage", "two"]) == "one page\ftwo\f"


@pytest.mark.parametrize(
    ("query", "page"),
    [
        ("swale", 3),  # on page 3 alone
        ("hedge", 2),  # on pages 2 and 4: the first
        ('"boundary stones"', 1),
        ("swale or stones", 1),  # either word: the first page with one
        ("swale gravel", None),  # both words, never on one page
    ],
)
def test_a_pdf_hit_gives_the_first_page_matching_by_itself(query, page):
    # given
    project, users = team_project()
    resource = _indexed(project, users["owner"], content=multipage_pdf(PAGES), name="site.pdf")
    # when
    [result] = _results(users["mentor"], query)
    # then
    assert (result["id"], result["page"]) == (str(resource.pk), page)
    assert "\f" not in result["snippet"]


def test_a_one_page_pdf_gives_page_one():
    # given
    project, users = team_project()
    _indexed(project, users["owner"], content=multipage_pdf(["A swale."]), name="one.pdf")
    # when
    [result] = _results(users["mentor"], "swale")
    # then
    assert result["page"] == 1


def test_a_pdf_indexed_without_page_breaks_gives_no_page():
    # given a document indexed before the pages were kept apart
    project, users = team_project()
    resource = _indexed(project, users["owner"], content=multipage_pdf(PAGES), name="site.pdf")
    ProjectResource.objects.filter(pk=resource.pk).update(extracted_text="\n\n".join(PAGES))
    # when
    [result] = _results(users["mentor"], "swale")
    # then
    assert result["page"] is None and "<mark>swale</mark>" in result["snippet"]


def test_images_and_comments_have_no_page():
    # given an image found by its title and a comment on it
    project, users = team_project()
    owner = users["owner"]
    image = resource_create(
        project=project,
        upload=incoming_file(png_bytes(), name="swale.png"),
        actor=owner,
        title="Swale photo",
    )
    resource_index(resource_id=image.pk, version_number=1)
    image.my_level = AccessLevel.ADMIN
    comment_create(resource=image, actor=owner, body="The swale after the storm.")
    # when
    results = {result["kind"]: result for result in _results(users["mentor"], "swale")}
    # then
    assert results["document"]["page"] is None
    assert results["comment"]["page"] is None
