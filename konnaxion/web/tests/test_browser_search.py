"""Searching in Debian's Chromium (headless): the global search page from the main navigation
and the Blueprints tab's search box, each opening a result."""

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser


def test_search_everything_and_the_project_then_open_a_result(page):
    # given an indexed document whose third page alone mentions a word
    olga, walt = UserFactory(username="olga"), UserFactory(username="walt")
    project = project_for(creator=olga, title="Tiny house", visibility="members")
    project_member_add(project=project, user=walt, role=ProjectTeam.Role.MENTOR)
    pages = ["Site survey.", "Foundations.", "The rainwater cistern sits under the deck."]
    resource = resource_create(
        project=project,
        upload=incoming_file(multipage_pdf(pages), name="survey.pdf"),
        actor=olga,
        title="Survey",
    )
    resource_index(resource_id=resource.pk, version_number=1)
    sign_in(page, walt)

    # when walt searches from the main navigation's search page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_label("Search for").fill("cistern")
    page.get_by_label("Search for").press("Enter")
    # then the document is found with the word highlighted
    expect(page.get_by_role("heading", name="Results: 1")).to_be_visible()
    expect(page.locator(".snippet mark")).to_have_text("cistern")
    # when he opens it
    page.get_by_role("link", name="Survey").click()
    # then its page shows
    expect(page.get_by_role("heading", level=1)).to_contain_text("Survey")

    # when he searches the project from its Blueprints tab
    page.goto(f"/projects/{project.slug}/?tab=blueprints")
    page.get_by_label("Search the blueprints").fill('"rainwater cistern"')
    page.get_by_label("Search the blueprints").press("Enter")
    # then the project's results page lists it, and it opens
    expect(page.get_by_role("heading", level=1)).to_have_text("Search the blueprints of Tiny house")
    expect(page.get_by_role("heading", name="Results: 1")).to_be_visible()
    page.get_by_role("link", name="Survey").click()
    # at the page of the hit, with the words to highlight
    expect(page).to_have_url(
        f"{page.url.split('/projects/')[0]}/projects/{project.slug}/blueprints/{resource.pk}/"
        "?q=%22rainwater+cistern%22#page=3"
    )
