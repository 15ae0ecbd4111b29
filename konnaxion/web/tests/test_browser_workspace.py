"""The live room in Debian's Chromium (headless): the host and an invited person, each in their
own browser, see each other's chat messages, notes, canvas strokes and presence; a person who
finds the room full is told so and may watch instead."""

import pytest
from django.conf import settings
from playwright.sync_api import expect
from pycrdt import Array, Doc, XmlFragment

from konnaxion.kreative.models import CollabChatMessage, CollabSession
from konnaxion.kreative.realtime import documents, slots
from konnaxion.kreative.services.collab_sessions import (
    collab_session_participant_add,
    collab_session_start,
)
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


def test_two_people_in_one_room_see_each_others_chat_notes_strokes_and_presence(new_page):
    # given the host creates a room from the Workspace tab and invites ben
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
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
    # and ben, in his own browser, finds it among his rooms and enters
    sign_in(second, ben)
    second.goto("/connect/?tab=workspace")
    second.get_by_role("link", name="Night studio").click()
    expect(second.locator("#room-status")).to_have_text("You are in the room.")
    # then each sees the other in "Who is here"
    expect(second.locator("#room-presence")).to_contain_text("ben (you)")
    expect(second.locator("#room-presence")).to_contain_text("ana")
    expect(first.locator("#room-presence")).to_contain_text("ben")

    # when each sends a chat message
    first.get_by_label("Your message").fill("Shall we start with the sky?")
    first.get_by_label("Your message").press("Enter")
    expect(second.locator("#chat-log")).to_contain_text("Shall we start with the sky?")
    second.get_by_label("Your message").fill("Yes, deep blue.")
    second.get_by_label("Your message").press("Enter")
    # then both see both, with their authors
    for page in (first, second):
        expect(page.locator("#chat-log li")).to_have_count(2)
        expect(page.locator("#chat-log .chat-author")).to_have_text(["ana", "ben"])

    # when ben types into the notes, then ana types after it
    second.get_by_role("textbox", name="Shared notes").press_sequentially("Sky: deep blue")
    expect(first.get_by_role("textbox", name="Shared notes")).to_have_value("Sky: deep blue")
    first.get_by_role("textbox", name="Shared notes").press("End")
    first.get_by_role("textbox", name="Shared notes").press_sequentially(", then stars")
    # then both show the merged text
    for page in (first, second):
        expect(page.get_by_role("textbox", name="Shared notes")).to_have_value(
            "Sky: deep blue, then stars"
        )

    # when ana draws a stroke on the canvas
    draw_stroke(first)
    # then ben's canvas has it, and says so to screen readers
    expect(second.locator("#canvas-summary")).to_have_text("1 stroke on the canvas.")
    expect(second.locator("canvas")).to_have_attribute("data-strokes", "1")
    # and a stroke from ben reaches ana
    draw_stroke(second)
    expect(first.locator("#canvas-summary")).to_have_text("2 strokes on the canvas.")

    # and the server kept everything, each piece credited to its author
    assert list(
        CollabChatMessage.objects.filter(session=session)
        .order_by("pk")
        .values_list("author__username", "body")
    ) == [("ana", "Shall we start with the sky?"), ("ben", "Yes, deep blue.")]
    notes, canvas = stored_document(session.pk)
    assert "Sky: deep blue, then stars" in notes
    assert [item["author"] for item in canvas] == ["ana", "ben"]
    assert all(item["kind"] == "stroke" and len(item["points"]) >= 4 for item in canvas)

    # when ben leaves, ana sees him go
    second.close()
    expect(first.locator("#room-presence")).not_to_contain_text("ben")

    # when ana reloads the room later, she receives the document and the chat history
    first.reload()
    expect(first.get_by_role("textbox", name="Shared notes")).to_have_value(
        "Sky: deep blue, then stars"
    )
    expect(first.locator("#canvas-summary")).to_have_text("2 strokes on the canvas.")
    expect(first.locator("#chat-log")).to_contain_text("Yes, deep blue.")


def test_a_full_room_says_so_and_offers_to_watch(new_page):
    # given a room whose editor places are all taken by people invited with ben
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    session = collab_session_start(host=ana, name="Crowded", session_type="painting")
    others = [UserFactory() for _ in range(settings.COLLAB_CANVAS_MAX_USERS)]
    for person in [ben, *others]:
        collab_session_participant_add(session=session, actor=ana, user=person)
    for person in others:
        slots.slot_acquire(room_id=session.pk, connection_id=f"held-{person.pk}", user_id=person.pk)
    page = new_page()
    sign_in(page, ben)
    try:
        # when ben opens the room
        page.goto(f"/connect/workspaces/{session.pk}/")
        # then he is told it is full, cannot edit, and is offered to watch
        full = page.get_by_role("alert")
        expect(full).to_contain_text(
            f"The room is full: it takes {settings.COLLAB_CANVAS_MAX_USERS} editors at most."
        )
        expect(page.get_by_role("textbox", name="Shared notes")).to_be_disabled()
        expect(page.get_by_label("Your message")).to_be_disabled()
        # when he chooses to watch
        sent: list = []
        page.on("websocket", lambda socket: socket.on("framesent", lambda data: sent.append(data)))
        full.get_by_role("link", name="Watch as a viewer").click()
        # then he is in, read-only, not holding a place
        expect(page.locator("#room-status")).to_have_text(
            "You are watching: you can read everything but change nothing."
        )
        expect(page.locator("#room-full")).to_be_hidden()
        expect(page.get_by_role("textbox", name="Shared notes")).to_be_disabled()
        holders = slots.slot_holders(room_id=session.pk)
        assert sorted(holders) == sorted(str(person.pk) for person in others)
        # and his page sends heartbeats too, which the server answers with what he missed
        for _ in range(100):
            if '{"type":"heartbeat"}' in sent:
                break
            page.wait_for_timeout(100)
        assert '{"type":"heartbeat"}' in sent
    finally:
        for person in others:
            slots.slot_release(
                room_id=session.pk, connection_id=f"held-{person.pk}", user_id=person.pk
            )
