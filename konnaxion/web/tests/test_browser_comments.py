"""Comments on a document in Debian's Chromium (headless): a comment pinned on a PDF page with a
mention, seen live in another member's open page, then resolved there and seen live back; an
area drawn on an image's preview, shown as a numbered marker."""

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import DocumentComment, ProjectTeam
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
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
    sockets: list[str] = []
    member.on("websocket", lambda socket: sockets.append(socket.url))
    member.goto(document)
    expect(member.locator("#comment-threads")).to_contain_text("No comments yet.")
    expect(member.locator("#comments[data-live=connected]")).to_have_count(1)
    # (the lock panel and the comments follow the project through one socket)
    expect(member.locator("#checkout[data-live=connected]")).to_have_count(1)
    assert len([url for url in sockets if "/ws/projects/" in url]) == 1
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


def test_an_area_drawn_on_an_image_preview_becomes_a_numbered_marker(new_page):
    # given an indexed image (with its preview) in a project, and its owner's page
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
    image = page.locator(".preview-image")
    expect(image).to_be_visible()
    # when she presses the draw button (which brings the preview into view) and drags over
    # the right half of the preview
    page.get_by_role("button", name="Draw the area on the preview").click()
    expect(page.locator(".comment-overlay--drawing")).to_be_in_viewport()
    box = image.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.75, steps=5)
    page.mouse.up()
    # then the four fields hold the area, in percent
    left = float(page.get_by_label("Left edge, in percent of the width").input_value())
    width = float(page.get_by_label("Width, in percent").input_value())
    assert abs(left - 50) < 2 and abs(width - 40) < 2
    # when she posts the comment
    page.locator("#comment-body").fill("Crack in the render")
    page.get_by_role("button", name="Post the comment").click()
    # then the thread says where, and a marker numbered 1 sits on the preview, linking to it
    thread = page.locator(".comment-thread", has_text="Crack in the render")
    expect(thread).to_contain_text("an area of the image")
    marker = page.locator("#comment-overlay .comment-marker")
    expect(marker).to_have_text("1")
    expect(marker).to_have_attribute("href", f"#{thread.get_attribute('id')}")
    saved = DocumentComment.objects.get()
    assert abs(saved.anchor["rect"]["x"] - 0.5) < 0.02
    assert abs(saved.anchor["rect"]["h"] - 0.5) < 0.02
