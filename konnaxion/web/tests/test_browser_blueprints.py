"""The Blueprints tab in Debian's Chromium (headless): upload by drag and drop and by the file
input, seen live by another member, a second version, the diff, restore, and a permission entry
that hides a document from that member's open page; a document page that takes a new version and
its preview in place, without a reload."""

import base64
import re

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser

DROP_FILE = """([name, type, encoded]) => {
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, { type }));
  return transfer;
}"""


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .user-menu summary")).to_have_text(user.username)


def drop(page, name: str, content: bytes) -> None:
    transfer = page.evaluate_handle(
        DROP_FILE, [name, "application/pdf", base64.b64encode(content).decode()]
    )
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": transfer})


def test_upload_version_diff_restore_and_hide_a_blueprint(new_page, tmp_path):
    # given a project with an owner and a collaborator, each in their own browser
    olga, walt = UserFactory(username="olga"), UserFactory(username="walt")
    project = project_for(creator=olga, title="Tiny house", visibility="members")
    project_member_add(project=project, user=walt, role=ProjectTeam.Role.COLLABORATOR)
    owner, member = new_page(), new_page()
    sign_in(owner, olga)
    sign_in(member, walt)
    tab = f"/projects/{project.slug}/?tab=blueprints"
    # walt keeps the tab open throughout, never reloading it
    member.goto(tab)
    expect(member.locator("#blueprint-list")).to_contain_text("No documents yet.")
    expect(member.locator("#blueprints[data-live=connected]")).to_have_count(1)
    member.evaluate("window.stillTheSamePage = true")

    # when olga drops a PDF on the Blueprints tab
    owner.goto(f"/projects/{project.slug}/")
    owner.get_by_role("link", name="Blueprints").click()
    expect(owner.get_by_role("heading", name="Upload blueprints")).to_be_visible()
    # the tab's script is running (it connects the live updates once it has bound the dropzone):
    # a drop before it would reach no handler
    expect(owner.locator("#blueprints[data-live=connected]")).to_have_count(1)
    owner.evaluate("window.stillTheSamePage = true")
    drop(owner, "floor-plan.pdf", multipage_pdf(["Ground floor", "Kitchen on the left"]))
    # then it is listed, with its progress reported, without a reload
    expect(owner.locator(".upload-progress")).to_contain_text("floor-plan.pdf is uploaded.")
    listed = owner.locator("#blueprint-list tbody tr", has_text="floor-plan.pdf")
    expect(listed).to_contain_text("PDF document")
    expect(listed.locator("td").nth(2)).to_have_text("1")
    assert owner.evaluate("window.stillTheSamePage") is True
    # and it appears live in walt's open tab
    expect(member.locator("#blueprint-list tbody tr", has_text="floor-plan.pdf")).to_have_count(1)

    # when she opens it and uploads a second version through the file input
    listed.get_by_role("link", name="floor-plan.pdf", exact=True).click()
    second = tmp_path / "floor-plan.pdf"
    second.write_bytes(multipage_pdf(["Ground floor", "Kitchen on the right"]))
    expect(owner.get_by_role("heading", name="Upload a new version")).to_be_visible()
    owner.get_by_label("Choose a file").set_input_files(second)
    # then the history shows version 2 as current
    current = owner.locator(".version-table tbody tr", has_text="current")
    expect(current.get_by_role("rowheader")).to_contain_text("2")

    # when she compares version 1 with version 2
    owner.get_by_label("From version").select_option("1")
    owner.get_by_label("To version").select_option("2")
    owner.get_by_role("button", name="Show the changes").click()
    # then page 2's text change is shown
    expect(owner.get_by_role("heading", level=1)).to_have_text(
        "Changes from version 1 to version 2"
    )
    expect(owner.get_by_role("heading", name="Page 2 changed")).to_be_visible()
    expect(owner.locator(".line-text", has_text="Kitchen on the left")).to_be_visible()
    expect(owner.locator("ins", has_text="right")).to_be_visible()

    # when she restores version 1
    owner.go_back()
    owner.evaluate("window.stillTheSamePage = true")
    owner.get_by_role("button", name="Restore version 1").click()
    # then it is current again, as version 3, in place: the message stays and has the focus
    notice = owner.locator("#document-notice")
    expect(notice).to_contain_text("Version 1 is current again, as version 3.")
    expect(notice).to_be_focused()
    current = owner.locator(".version-table tbody tr", has_text="current")
    expect(current.get_by_role("rowheader")).to_contain_text("3")
    assert owner.evaluate("window.stillTheSamePage") is True
    # and the refreshed history restores in place too
    owner.get_by_role("button", name="Restore version 2").click()
    expect(notice).to_contain_text("Version 2 is current again, as version 4.")
    expect(current.get_by_role("rowheader")).to_contain_text("4")
    assert owner.evaluate("window.stillTheSamePage") is True

    # given walt's open tab shows the document
    expect(member.locator("#blueprint-list")).to_contain_text("floor-plan.pdf")

    # when olga sets walt's entry to none
    owner.get_by_label("Level of walt").select_option("none")
    owner.get_by_role("button", name="Save the permissions").click()
    expect(
        owner.get_by_role("status").filter(has_text="The permissions are saved.")
    ).to_be_visible()

    # then the document disappears from walt's page, without a reload
    expect(member.locator("#blueprint-list")).to_contain_text("No documents yet.")
    expect(member.locator("#blueprint-list")).not_to_contain_text("floor-plan.pdf")
    assert member.evaluate("window.stillTheSamePage") is True


def test_a_new_version_updates_the_page_in_place_and_its_preview_arrives_live(new_page, tmp_path):
    # given an indexed image of olga's, its page open
    olga = UserFactory(username="olga")
    project = project_for(creator=olga, title="Facade", visibility="members")
    photo = storage.resource_create(
        project=project,
        upload=incoming_file(png_bytes((400, 300)), name="facade.png"),
        actor=olga,
        title="Facade",
    )
    resource_index(resource_id=photo.pk, version_number=1)
    page = new_page()
    sign_in(page, olga)
    page.goto(f"/projects/{project.slug}/blueprints/{photo.pk}/")
    expect(page.locator(".preview-image")).to_have_attribute("src", re.compile(r"version=1$"))
    expect(page.locator("#document-live[data-live=connected]")).to_have_count(1)
    page.evaluate("window.stillTheSamePage = true")

    # when she uploads a second version through the file input
    second = tmp_path / "facade.png"
    second.write_bytes(png_bytes((300, 400)))
    page.get_by_label("Choose a file").set_input_files(second)

    # then the message stays, the history shows version 2 as current, and the preview waits
    expect(page.locator(".upload-progress")).to_contain_text("facade.png is uploaded.")
    current = page.locator(".version-table tbody tr", has_text="current")
    expect(current.get_by_role("rowheader")).to_contain_text("2")
    expect(page.locator(".version-table tbody tr")).to_have_count(2)
    expect(page.locator("[data-preview=pending]")).to_contain_text("being prepared")
    expect(page.get_by_label("From version")).to_have_count(1)

    # when its indexing is done
    assert resource_index(resource_id=photo.pk, version_number=2) == "indexed"

    # then the new preview appears, and the page was never reloaded
    expect(page.locator(".preview-image")).to_have_attribute("src", re.compile(r"version=2$"))
    expect(page.locator(".upload-progress")).to_contain_text("facade.png is uploaded.")
    assert page.evaluate("window.stillTheSamePage") is True
