"""A mention in a comment, in Debian's Chromium (headless): the person mentioned, on another
page of the project, sees their bell count up live with a sentence naming the commenter and
the document, and the notification opens the document at the comment."""

import re

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import DocumentComment, ProjectTeam
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.notifications.models import Kind, Notification
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser


def test_a_mention_rings_the_bell_live_and_leads_to_the_comment(new_page):
    # given a members-only project with a PDF of ada's, and bob on the project's page
    ada = UserFactory(username="ada", name="Ada Lovelace")
    bob = UserFactory(username="bob", name="Bob Kahn")
    project = project_for(creator=ada, title="Tiny house", visibility="members")
    project_member_add(project=project, user=bob, role=ProjectTeam.Role.COLLABORATOR)
    plan = storage.resource_create(
        project=project,
        upload=incoming_file(pdf_bytes("Ground"), name="plan.pdf"),
        actor=ada,
        title="Floor plan",
    )
    document = f"/projects/{project.slug}/blueprints/{plan.pk}/"
    writer, reader = new_page(), new_page(viewport={"width": 390, "height": 800})
    sign_in(writer, ada)
    sign_in(reader, bob)
    reader.goto(f"/projects/{project.slug}/")
    expect(reader.get_by_role("heading", name="Tiny house")).to_be_visible()
    bell = reader.locator("[data-notification-bell]")
    expect(bell).to_have_attribute("data-live", "connected")
    expect(bell).to_have_attribute("aria-label", "Notifications, none unread")
    reader.evaluate("window.stillTheSamePage = true")

    # when ada comments on page 1 and mentions bob
    writer.goto(document)
    expect(writer.get_by_role("heading", name="Add a comment")).to_be_visible()
    writer.locator("#comment-body").fill("@bob the stairs need a handrail")
    writer.get_by_label("Page", exact=True).fill("1")
    writer.get_by_role("button", name="Post the comment").click()
    expect(writer.locator(".comment-thread", has_text="the stairs need")).to_contain_text("page 1")

    # then bob's bell counts up without a reload, and reads out who and where
    expect(bell.locator("[data-notification-count]")).to_have_text("1")
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(reader.locator("[data-notification-live]")).to_have_text(
        "Ada Lovelace mentioned you in “Floor plan”."
    )
    assert reader.evaluate("window.stillTheSamePage") is True
    comment = DocumentComment.objects.get()
    assert [n.kind for n in Notification.objects.filter(recipient=bob)] == [Kind.MENTIONED]
    assert not Notification.objects.filter(recipient=ada).exists()

    # when bob follows the bell to his notifications and opens this one
    bell.focus()
    reader.keyboard.press("Enter")
    expect(reader.get_by_role("heading", name="Notifications")).to_be_visible()
    item = reader.get_by_role("listitem").filter(
        has_text="Ada Lovelace mentioned you in “Floor plan”."
    )
    item.get_by_role("button", name="Open").click()

    # then the document opens at the comment, and the notification is read
    expect(reader).to_have_url(re.compile(rf"{re.escape(document)}#comment-{comment.pk}$"))
    expect(reader.get_by_role("heading", name="Floor plan")).to_be_visible()
    target = reader.locator(f"#comment-{comment.pk}")
    expect(target).to_contain_text("the stairs need a handrail")
    expect(target).to_be_in_viewport()
    expect(reader.locator("[data-notification-count]")).to_be_hidden()
