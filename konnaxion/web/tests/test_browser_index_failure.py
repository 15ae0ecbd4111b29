"""A document that could not be read, in Debian's Chromium (headless): its reason live in the list
and on the page, and "Try again" by keyboard, in Arabic on a 390 px wide screen."""

import pytest
from playwright.sync_api import expect

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import ProjectResource, ProjectTeam
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_blueprints_pages import document
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser


def test_an_admin_tries_again_by_keyboard_in_arabic_on_a_phone(new_page, live_server_url):
    # given a document of olga's, and walt who writes
    olga, walt = UserFactory(username="olga"), UserFactory(username="walt")
    project = project_for(creator=olga, title="Tiny house", visibility="members")
    project_member_add(project=project, user=walt, role=ProjectTeam.Role.COLLABORATOR)
    plan = document(project, olga, name="floor-plan.pdf")
    url = f"/projects/{project.slug}/blueprints/{plan.pk}/"
    # walt keeps the list open while the document waits for its indexing
    writer = new_page()
    sign_in(writer, walt)
    writer.goto(f"/projects/{project.slug}/?tab=blueprints")
    expect(writer.locator("#blueprints[data-live=connected]")).to_have_count(1)
    expect(writer.locator("#blueprint-list")).to_contain_text("floor-plan.pdf")
    expect(writer.locator("#blueprint-list .badge--failed")).to_have_count(0)
    writer.evaluate("window.stillTheSamePage = true")

    # when its stored file turns out not to decrypt
    Blob.objects.filter(document_versions__resource=plan).update(key_id="lost-key")
    assert resource_index(resource_id=plan.pk, version_number=1) == "failed"

    # then walt's list says why, without a reload; the page says it too, without a button
    expect(writer.locator("#blueprint-list .badge--failed")).to_contain_text(
        "Could not be read: the stored file cannot be decrypted or is damaged"
    )
    assert writer.evaluate("window.stillTheSamePage") is True
    writer.goto(url)
    expect(writer.locator(".index-failure")).to_contain_text("This document could not be read")
    expect(writer.get_by_role("button", name="Try again")).to_have_count(0)

    # when olga, reading in Arabic on a 390 px wide screen, reaches the button by keyboard
    owner = new_page(viewport={"width": 390, "height": 800})
    sign_in(owner, olga)
    owner.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server_url}])
    owner.goto(url)
    expect(owner.locator("html")).to_have_attribute("dir", "rtl")
    section = owner.locator(".index-failure")
    expect(section).to_contain_text("تعذّرت قراءة هذا المستند")
    button = owner.get_by_role("button", name="إعادة المحاولة")
    button.focus()
    expect(button).to_be_focused()
    assert section.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    box = section.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    owner.keyboard.press("Enter")

    # then she is told, and the document is pending again
    expect(owner.get_by_role("status").first).to_contain_text("ستُعاد قراءة المستند بعد لحظات.")
    plan.refresh_from_db()
    assert plan.index_state == ProjectResource.IndexState.PENDING
