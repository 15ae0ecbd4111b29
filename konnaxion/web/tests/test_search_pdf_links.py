"""A PDF found by the search pages links to its document page with the query and the page of
the hit (`?q=...#page=N`), for the viewer to open there with the words highlighted."""

import pytest

from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
from konnaxion.web.tests.test_blueprints_pages import client_of
from konnaxion.web.tests.test_search_pages import indexed, workshop  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

PAGES = ["Hull lines and stations.", "Mast step in oak.", "The tiller is ash & elm.", "Oak knees."]


def _links(html: str) -> list[str]:
    return [part.split('"')[0] for part in html.split('<h3><a href="')[1:]]


@pytest.mark.parametrize(
    ("query", "link"),
    [
        ("tiller", "?q=tiller#page=3"),
        ("oak", "?q=oak#page=2"),
        ("hull tiller", "?q=hull+tiller"),  # never on one page: the viewer finds the words
        ('"ash & elm"', "?q=%22ash+%26+elm%22#page=3"),
    ],
)
def test_a_pdf_hit_links_to_the_page_of_the_hit_with_the_query(workshop, query, link):  # noqa: F811
    # given a four-page PDF
    project, people = workshop
    plan = indexed(project, people["owner"], PAGES, title="Dinghy")
    document = f"/projects/{project.slug}/blueprints/{plan.pk}/"
    client = client_of(people["member"])
    # when it is found on the search page and on the project's search page
    everywhere = client.get("/search/", {"q": query}).content.decode()
    in_project = client.get(f"/projects/{project.slug}/search/", {"q": query}).content.decode()
    # then both link to its page, the query in the address and the page of the hit after #
    assert _links(everywhere) == _links(in_project) == [document + link]


def test_other_hits_link_to_their_page_alone(workshop):  # noqa: F811
    # given an image whose title matches
    project, people = workshop
    image = resource_create(
        project=project,
        upload=incoming_file(png_bytes(), name="tiller.png"),
        actor=people["owner"],
        title="Tiller photo",
    )
    resource_index(resource_id=image.pk, version_number=1)
    # when
    html = client_of(people["member"]).get("/search/", {"q": "tiller"}).content.decode()
    # then
    assert _links(html) == [f"/projects/{project.slug}/blueprints/{image.pk}/"]
