"""The live room in Debian's Chromium (headless): two browsers in one room see each other's chat
message, notes and canvas strokes.

Until invited participants are admitted by the room socket (the access rule belongs to Kreative),
the two browsers are two separate contexts of the host: two tabs of the same person, each with
its own socket and its own copy of the Yjs document."""

import pytest
from playwright.sync_api import expect
from pycrdt import Array, Doc, XmlFragment

from konnaxion.kreative.models import CollabChatMessage, CollabSession
from konnaxion.kreative.realtime import documents
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_projects import sign_in

pytestmark = pytest.mark.browser


def stored_document(session_id: int) -> tuple[str, list]:
    doc = Doc()
    doc.apply_update(documents.collab_document_state(session_id=session_id))
    notes = doc.get(documents.NOTES, type=XmlFragment)
    canvas = doc.get(documents.CANVAS, type=Array)
    return str(notes), canvas.to_py() or []


def draw_stroke(page) -> None:
    page.locator("canvas").scroll_into_view_if_needed()
    box = page.locator("canvas").bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(box["x"] + 40 + step * 30, box["y"] + 40 + step * 12)
    page.mouse.up()


def test_two_browsers_in_one_room_see_each_others_chat_notes_and_strokes(new_page):
    # given the host creates a room from the Workspace tab
    ana = UserFactory(username="ana")
    UserFactory(username="ben")
    first, second = new_page(), new_page()
    sign_in(first, ana)
    first.goto("/connect/?tab=workspace")
    first.get_by_label("Room name").fill("Night studio")
    first.get_by_label("Type").select_option("painting")
    first.get_by_label("Invite people").fill("ben")
    first.get_by_role("button", name="Create the room").click()
    expect(first.get_by_role("heading", name="Night studio")).to_be_visible()
    expect(first.locator("#room-status")).to_have_text("You are in the room.")
    session = CollabSession.objects.get(name="Night studio")
    # and opens it in a second browser
    sign_in(second, ana)
    second.goto(f"/connect/workspaces/{session.pk}/")
    expect(second.locator("#room-status")).to_have_text("You are in the room.")
    expect(second.locator("#room-presence")).to_contain_text("ana (you)")

    # when the first sends a chat message
    first.get_by_label("Your message").fill("Shall we start with the sky?")
    first.get_by_label("Your message").press("Enter")
    # then both see it
    for page in (first, second):
        expect(page.locator("#chat-log")).to_contain_text("Shall we start with the sky?")

    # when the second types into the notes, then the first types after it
    second.get_by_role("textbox", name="Shared notes").press_sequentially("Sky: deep blue")
    expect(first.get_by_role("textbox", name="Shared notes")).to_have_value("Sky: deep blue")
    first.get_by_role("textbox", name="Shared notes").press("End")
    first.get_by_role("textbox", name="Shared notes").press_sequentially(", then stars")
    # then both show the merged text
    for page in (first, second):
        expect(page.get_by_role("textbox", name="Shared notes")).to_have_value(
            "Sky: deep blue, then stars"
        )

    # when the first draws a stroke on the canvas
    draw_stroke(first)
    # then the second's canvas has it, and says so to screen readers
    expect(second.locator("#canvas-summary")).to_have_text("1 stroke on the canvas.")
    expect(second.locator("canvas")).to_have_attribute("data-strokes", "1")
    # and a stroke from the second reaches the first
    draw_stroke(second)
    expect(first.locator("#canvas-summary")).to_have_text("2 strokes on the canvas.")

    # and the server kept everything
    assert CollabChatMessage.objects.filter(
        session=session, author=ana, body="Shall we start with the sky?"
    ).exists()
    notes, canvas = stored_document(session.pk)
    assert "Sky: deep blue, then stars" in notes
    assert [item["author"] for item in canvas] == ["ana", "ana"]
    assert all(item["kind"] == "stroke" and len(item["points"]) >= 4 for item in canvas)

    # when a third tab reloads the room later, it receives the document and the chat history
    third = new_page()
    sign_in(third, ana)
    third.goto(f"/connect/workspaces/{session.pk}/")
    expect(third.get_by_role("textbox", name="Shared notes")).to_have_value(
        "Sky: deep blue, then stars"
    )
    expect(third.locator("#canvas-summary")).to_have_text("2 strokes on the canvas.")
    expect(third.locator("#chat-log")).to_contain_text("Shall we start with the sky?")
