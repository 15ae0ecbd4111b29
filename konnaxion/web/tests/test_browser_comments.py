"""Comments on a document in Debian's Chromium (headless): a comment pinned on a PDF page with a
mention, seen live in another member's open page, then resolved there and seen live back."""

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import DocumentComment, ProjectTeam
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser


def test_a_pinned_comment_with_a_mention_reaches_the_other_members_open_page(new_page):
    # given a members-only project with a three-page PDF, its owner and a collaborator
    olga, walt = UserFactory(username="olga"), UserFactory(username="walt")
    project = project_for(creator=olga, title="Tiny house", visibility="members")
    project_member_add(project=project, user=walt, role=ProjectTeam.Role.COLLABORATOR)
    plan = storage.resource_create(
        project=project,
        upload=incoming_file(multipage_pdf(["Ground", "Kitchen", "Roof"]), name="plan.pdf"),
        actor=olga,
        title="Floor plan",
    )
    document = f"/projects/{project.slug}/blueprints/{plan.pk}/"
    owner, member = new_page(), new_page()
    sign_in(owner, olga)
    sign_in(member, walt)
    # walt keeps the document open, never reloading it
    member.goto(document)
    expect(member.locator("#comment-threads")).to_contain_text("No comments yet.")
    expect(member.locator("#comments[data-live=connected]")).to_have_count(1)
    member.evaluate("window.stillTheSamePage = true")

    # when olga comments on page 2 and mentions walt
    owner.goto(document)
    expect(owner.get_by_role("heading", name="Add a comment")).to_be_visible()
    owner.locator("#comment-body").fill("@walt the kitchen door swings the wrong way")
    owner.get_by_label("Page", exact=True).fill("2")
    owner.get_by_role("button", name="Post the comment").click()

    # then her page shows the thread, pinned on page 2
    thread = owner.locator(".comment-thread", has_text="the kitchen door")
    expect(thread).to_contain_text("page 2")
    expect(thread.locator(".comment-meta bdi")).to_have_text("olga")
    # and it appears in walt's open page, without a reload
    seen = member.locator(".comment-thread", has_text="the kitchen door swings")
    expect(seen).to_contain_text("page 2")
    assert member.evaluate("window.stillTheSamePage") is True
    saved = DocumentComment.objects.get()
    assert [person.username for person in saved.mentions.all()] == ["walt"]
    assert saved.anchor == {"kind": "page", "page": 2}

    # when walt resolves the thread from his page
    expect(owner.locator("#comments[data-live=connected]")).to_have_count(1)
    owner.evaluate("window.stillTheSamePage = true")
    seen.get_by_role("button", name="Resolve").click()
    expect(member.locator(".comment-thread", has_text="the kitchen door")).to_contain_text(
        "Resolved by walt"
    )
    # then olga's open page says so too
    expect(thread).to_contain_text("Resolved by walt")
    assert owner.evaluate("window.stillTheSamePage") is True
