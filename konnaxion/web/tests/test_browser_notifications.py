"""The header's bell in Debian's Chromium (headless): its count rises live, and the new
notification is read out, when someone else uploads a version of a watched document."""

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser


def test_the_bell_counts_up_live_when_a_watched_document_gets_a_new_version(new_page):
    # given: the mentor watches the owner's document and has its page open at 390 px
    project, users = team_project(visibility="members")
    owner, mentor = users["owner"], users["mentor"]
    document = resource_create(
        project=project, upload=incoming_file(pdf_bytes("Plan")), actor=owner, title="Plan"
    )
    page = new_page(viewport={"width": 390, "height": 800})
    sign_in(page, mentor)
    page.goto(f"/projects/{project.slug}/blueprints/{document.pk}/")
    page.get_by_role("button", name="Watch this document").click()
    expect(page.get_by_role("button", name="Stop watching this document")).to_be_visible()
    bell = page.locator("[data-notification-bell]")
    expect(bell).to_have_attribute("data-live", "connected")
    expect(bell).to_have_attribute("aria-label", "Notifications, none unread")
    page.evaluate("window.stillTheSamePage = true")
    # when the owner uploads version 2
    visible = resource_get_visible(user=owner, project=project, resource_id=document.pk)
    version_create(resource=visible, upload=incoming_file(pdf_bytes("Plan v2")), actor=owner)
    # then the count rises without a reload, and the live region reads the sentence
    expect(bell.locator("[data-notification-count]")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(page.locator("[data-notification-live]")).to_contain_text(
        "uploaded version 2 of “Plan”."
    )
    assert page.evaluate("window.stillTheSamePage") is True
    # and the bell leads, by keyboard, to the list, where "Open" marks it read
    bell.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", name="Plan")).to_be_visible()
    expect(page.locator("[data-notification-count]")).to_be_hidden()
