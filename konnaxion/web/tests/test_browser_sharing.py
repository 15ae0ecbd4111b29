"""Sharing by link in Debian's Chromium (headless): an owner shares a pinned version, a
signed-out visitor on a phone-sized screen opens the link, sees the preview and downloads the
file, and the owner sees the link's use counted."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import AccessLevel
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_share_a_pinned_version_and_open_it_signed_out(new_page):
    # given a members-only project allowing links, and a drawing with two indexed versions
    olga = UserFactory(username="olga")
    project = project_for(
        creator=olga, title="Tiny house", visibility="members", links_allowed=True
    )
    first, second = png_bytes((64, 48)), png_bytes((80, 48))
    drawing = resource_create(
        project=project, upload=incoming_file(first, name="site.png"), actor=olga, title="Site"
    )
    drawing.my_level = AccessLevel.ADMIN
    # Each version is indexed (its previews made) while it is the current one.
    resource_index(resource_id=drawing.pk, version_number=1)
    version_create(resource=drawing, upload=incoming_file(second, name="site.png"), actor=olga)
    resource_index(resource_id=drawing.pk, version_number=2)
    owner = new_page()
    sign_in(owner, olga)

    # when olga shares version 1 from the document page
    owner.goto(f"/projects/{project.slug}/blueprints/{drawing.pk}/")
    expect(owner.get_by_role("heading", name="Share by link")).to_be_visible()
    expect(owner.locator("[data-share-link]")).to_have_count(0)
    owner.get_by_text("Make a link", exact=True).click()
    owner.get_by_label("Version:", exact=True).select_option(label="Version 1")
    owner.get_by_label("Expires:", exact=True).select_option(label="In 7 days")
    owner.get_by_role("button", name="Make the link").click()
    # then the link is shown once, ready to copy
    expect(owner.get_by_text("The link is ready.")).to_be_visible()
    link = owner.get_by_label("Link", exact=True).input_value()
    assert "/s/" in link
    expect(owner.locator("[data-share-link] [data-downloads]")).to_have_attribute(
        "data-downloads", "0"
    )

    # when someone without an account opens it on a phone
    visitor = new_page(viewport=PHONE)
    visitor.goto(link)
    # then they see the pinned version, its preview, and nothing of the project
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Site")
    expect(visitor.locator("[data-shared-version]")).to_have_text("1")
    preview = visitor.locator("img.preview-image")
    expect(preview).to_be_visible()
    assert preview.evaluate("image => image.complete && image.naturalWidth > 0")
    expect(visitor.get_by_text("Tiny house")).to_have_count(0)
    expect(visitor.locator("header .user-menu")).to_have_count(0)
    width = visitor.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    # when they download it
    with visitor.expect_download() as started:
        visitor.get_by_role("link", name="Download").click()
    downloaded = Path(started.value.path()).read_bytes()
    # then they get version 1
    assert downloaded == first

    # when olga looks at the document page again
    owner.goto(f"/projects/{project.slug}/blueprints/{drawing.pk}/")
    # then the use is counted
    counts = owner.locator("[data-share-link]")
    expect(counts.locator("[data-views]")).to_have_attribute("data-views", "1")
    expect(counts.locator("[data-downloads]")).to_have_attribute("data-downloads", "1")
    expect(counts).to_contain_text("1 download")


def test_an_outsider_sends_a_file_through_an_upload_link(new_page, tmp_path):
    # given a project allowing links, and its owner on its page
    olga = UserFactory(username="olga")
    project = project_for(creator=olga, title="Tiny house", links_allowed=True)
    owner = new_page()
    sign_in(owner, olga)
    owner.goto(f"/projects/{project.slug}/")
    expect(owner.get_by_role("heading", name="Upload links")).to_be_visible()
    # when she makes an upload link
    owner.get_by_text("Make an upload link", exact=True).click()
    owner.get_by_label("Name of the link:", exact=True).fill("Suppliers")
    owner.get_by_role("button", name="Make the link").click()
    # then its address is shown once
    expect(owner.get_by_text("The link is ready.")).to_be_visible()
    link = owner.get_by_label("Link", exact=True).input_value()
    assert "/u/" in link

    # when someone without an account, reading Arabic on a phone, sends a drawing
    sender = new_page(locale="ar", viewport=PHONE)
    sender.goto(link)
    expect(sender.locator("html")).to_have_attribute("dir", "rtl")
    expect(sender.get_by_text("Suppliers")).to_be_visible()
    expect(sender.get_by_text("Tiny house")).to_have_count(0)
    drawing = tmp_path / "drawing.png"
    drawing.write_bytes(png_bytes((40, 30)))
    sender.locator("#drop_name").fill("Ada")
    sender.locator("#drop_file").set_input_files(str(drawing))
    sender.locator("form.stacked-form button[type=submit]").click()
    # then it is received
    expect(sender.locator("[data-received]")).to_be_visible()
    assert sender.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # and olga finds it in the Blueprints tab, marked as received by link
    owner.goto(f"/projects/{project.slug}/?tab=blueprints")
    received = owner.locator("#blueprint-list [data-received-by-link]")
    expect(received).to_have_text("Received by link Suppliers, from Ada")
    owner.goto(f"/projects/{project.slug}/")
    expect(owner.locator("[data-upload-link] [data-files]")).to_have_attribute("data-files", "1")
