"""A room's life in Debian's Chromium (headless): the host invites someone by username from the
room page, the guest joins, the host ends the room after confirming, and the guest, still
connected, sees it turn read-only at once; then the guest leaves it. At 390 px, keyboard only
for the host's end."""

import pytest
from playwright.sync_api import expect

from konnaxion.kreative.models import CollabSession, CollabSessionParticipant
from konnaxion.kreative.tests.rooms import room_with
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_projects import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def test_the_host_invites_the_guest_joins_and_sees_the_room_end_live(new_page):
    # given ana's open room, nobody invited yet
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    session = room_with([ana], name="Harbour sketch")
    host, guest = new_page(viewport=PHONE), new_page(viewport=PHONE)
    sign_in(host, ana)
    host.goto(f"/connect/workspaces/{session.pk}/")
    expect(host.locator("#room-status")).to_have_text("You are in the room.")

    # when she invites ben by his username
    host.get_by_label("Invite people").fill("ben")
    host.get_by_role("button", name="Invite", exact=True).click()
    expect(host.get_by_role("status").first).to_contain_text("Invitations sent.")
    assert CollabSessionParticipant.objects.filter(session=session, user=ben).exists()

    # and ben opens the room from his list
    sign_in(guest, ben)
    guest.goto("/connect/?tab=workspace")
    guest.get_by_role("link", name="Harbour sketch").click()
    expect(guest.locator("#room-status")).to_have_text("You are in the room.")
    expect(guest.get_by_label("Your message")).to_be_enabled()
    expect(host.locator("#room-presence")).to_contain_text("ben")

    # when ana ends the room with the keyboard, confirming in the dialog
    end = host.get_by_role("button", name="End the room")
    end.focus()
    host.keyboard.press("Enter")
    dialog = host.get_by_role("alertdialog")
    expect(dialog).to_contain_text("End this room for everyone?")
    expect(dialog.locator("[data-confirm-cancel]")).to_be_focused()
    host.keyboard.press("Tab")
    host.keyboard.press("Enter")

    # then the host's page says so after the reload, without the end and invite forms
    expect(host.get_by_role("status").first).to_contain_text("The room has ended.")
    expect(host.get_by_role("button", name="End the room")).to_have_count(0)
    # and ben, still connected, sees it ended at once: read-only, the badge changed
    expect(guest.locator("#room-status")).to_have_text("This room has ended: it is read-only.")
    expect(guest.locator("#room-badge")).to_have_text("Ended")
    expect(guest.get_by_label("Your message")).to_be_disabled()
    expect(guest.get_by_role("textbox", name="Shared notes")).to_be_disabled()
    assert CollabSession.objects.get(pk=session.pk).ended_at is not None
    # and nothing is wider than the phone's screen
    width = guest.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]

    # when ben leaves the ended room
    guest.get_by_role("button", name="Leave the room").click()
    guest.get_by_role("alertdialog").locator("[data-confirm-ok]").click()
    # then he is back on his list, without it
    expect(guest.get_by_role("status").first).to_contain_text("You left the room")
    expect(guest.get_by_role("link", name="Harbour sketch")).to_have_count(0)
    assert not CollabSessionParticipant.objects.filter(session=session, user=ben).exists()
