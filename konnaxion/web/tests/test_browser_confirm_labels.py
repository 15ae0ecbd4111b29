"""In Debian's Chromium (headless): a writer labels a version from the history; destructive
forms ask in a dialog first (Cancel or Escape keeps everything, the confirming button goes on),
by keyboard only, in Arabic at 390 px wide on an htmx form."""

import pytest
from playwright.sync_api import expect

from konnaxion.files.incoming import IncomingFile
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import DocumentVersion, ProjectResource, ProjectTeam
from konnaxion.keenkonnect.services import document_versioning
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import pdf_bytes
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(DEFAULT_PASSWORD)
    page.locator("input[name=password]").press("Enter")
    expect(page.locator("header .user-menu summary")).to_have_text(user.username)


def incoming(content: bytes) -> IncomingFile:
    upload = IncomingFile(name="frame.pdf")
    upload.write(content)
    return upload


def document_with_two_versions(project, owner) -> ProjectResource:
    resource = storage.resource_create(
        project=project, upload=incoming(pdf_bytes("1")), actor=owner
    )
    document_versioning.version_create(
        resource=selectors.resource_get_visible(
            user=owner, project=project, resource_id=resource.pk
        ),
        upload=incoming(pdf_bytes("2")),
        actor=owner,
    )
    return resource


def test_a_writer_labels_a_version_from_the_history(new_page, tmp_path):
    # given a document with two versions, and walt, a collaborator, on its page
    olga, walt = UserFactory(username="olga"), UserFactory(username="walt")
    project = project_for(creator=olga, title="Bike shed", visibility="members")
    project_member_add(project=project, user=walt, role=ProjectTeam.Role.COLLABORATOR)
    resource = document_with_two_versions(project, olga)
    page = new_page()
    sign_in(page, walt)
    page.goto(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    expect(page.get_by_role("heading", name="Version history")).to_be_visible()

    # when he opens version 1's form and labels it
    row = page.locator("#version-1")
    row.get_by_text("Label or note of version 1").click()
    row.get_by_label("Label").fill("Rev B - sent to fabricator")
    row.get_by_label("Note").fill("Thicker wall on the left.")
    row.get_by_role("button", name="Save version 1").click()

    # then the history shows the label, who set it, and the note
    expect(page.get_by_role("status")).to_contain_text("Version 1 is saved.")
    row = page.locator("#version-1")
    expect(row.locator(".badge--label")).to_have_text("Rev B - sent to fabricator")
    expect(row.locator(".version-label")).to_contain_text("by walt on")
    expect(row.locator(".version-note")).to_have_text("Thicker wall on the left.")
    expect(page.locator("#version-2 .badge--label")).to_have_count(0)
    version = DocumentVersion.objects.get(resource=resource, number=1)
    assert (version.label, version.labelled_by) == ("Rev B - sent to fabricator", walt)

    # when he uploads a third version with a label and a note
    third = tmp_path / "frame.pdf"
    third.write_bytes(pdf_bytes("3"))
    page.get_by_label("Label of the new version (optional)").fill("Rev C")
    page.get_by_label("Version note (optional)").fill("Final.")
    page.get_by_label("Choose a file").set_input_files(third)
    # then, the page reloaded, version 3 is current with its label
    current = page.locator("#version-3")
    expect(current).to_contain_text("current")
    expect(current.locator(".badge--label")).to_have_text("Rev C")
    expect(current.locator(".version-note")).to_have_text("Final.")


def test_purge_asks_first_by_keyboard_only(new_page):
    # given a trashed document and its admin on the Blueprints tab
    olga = UserFactory(username="olga")
    project = project_for(creator=olga, title="Bike shed")
    resource = storage.resource_create(project=project, upload=incoming(pdf_bytes("1")), actor=olga)
    storage.resource_trash(
        resource=selectors.resource_get_visible(
            user=olga, project=project, resource_id=resource.pk
        ),
        actor=olga,
    )
    page = new_page()
    sign_in(page, olga)
    page.goto(f"/projects/{project.slug}/?tab=blueprints")
    expect(page.get_by_role("heading", name="Trash")).to_be_visible()
    purge = page.get_by_role("button", name="Delete “frame.pdf” for good")
    dialog = page.get_by_role("alertdialog")

    # when she ticks the checkbox and presses the button, with the keyboard
    page.get_by_label("I understand this cannot be undone").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(purge).to_be_focused()
    page.keyboard.press("Enter")
    # then a dialog asks, with Cancel focused and the form's own words on the other button
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Delete “frame.pdf” and all its versions for good?")
    cancel = dialog.get_by_role("button", name="Cancel")
    confirm = dialog.get_by_role("button", name="Delete “frame.pdf” for good")
    expect(cancel).to_be_focused()
    # and Tab stays inside the dialog
    page.keyboard.press("Tab")
    expect(confirm).to_be_focused()
    page.keyboard.press("Tab")
    expect(cancel).to_be_focused()

    # when she presses Escape
    page.keyboard.press("Escape")
    # then nothing is deleted and the focus is back on the button
    expect(dialog).to_have_count(0)
    expect(purge).to_be_focused()
    assert ProjectResource.objects.filter(pk=resource.pk).exists()

    # when she asks again and chooses Cancel
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Enter")  # on the focused Cancel
    # then nothing is deleted either
    expect(dialog).to_have_count(0)
    assert ProjectResource.objects.filter(pk=resource.pk).exists()

    # when she asks once more and confirms
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    # then the document is gone for good
    expect(page.get_by_role("status")).to_contain_text("“frame.pdf” is deleted for good.")
    assert not ProjectResource.objects.filter(pk=resource.pk).exists()


def test_removing_a_member_asks_first_in_arabic_at_390_px(new_page):
    # given olga's project with walt on the team, her page in Arabic on a narrow screen
    olga, walt = UserFactory(username="olga"), UserFactory(username="walt")
    project = project_for(creator=olga, title="Bike shed")
    project_member_add(project=project, user=walt, role=ProjectTeam.Role.COLLABORATOR)
    page = new_page(locale="ar", viewport={"width": 390, "height": 800})
    sign_in(page, olga)
    page.goto(f"/projects/{project.slug}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    walts_row = page.locator("#team .team-member", has_text="walt")
    remove = walts_row.locator("form[data-confirm] button[type=submit]")
    dialog = page.get_by_role("alertdialog")

    # when she presses "remove" and the dialog opens
    remove.click()
    expect(dialog).to_be_visible()
    # then it speaks Arabic, fits the screen, and cancelling keeps walt
    expect(dialog.get_by_role("button", name="إلغاء")).to_be_focused()
    expect(dialog).to_contain_text("walt")
    box = dialog.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    dialog.get_by_role("button", name="إلغاء").click()
    expect(dialog).to_have_count(0)
    assert project.team.filter(user=walt).exists()

    # when she confirms
    remove.click()
    dialog.locator("[data-confirm-ok]").click()
    # then htmx removes him from the team list
    expect(page.locator("#team .team-member", has_text="walt")).to_have_count(0)
    assert not project.team.filter(user=walt).exists()
