"""Journeys through the layout and the account pages in Debian's Chromium (headless)."""

import re

import pytest
from playwright.sync_api import expect

from konnaxion.users.models import User
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def test_sign_up_signs_in_and_sign_out_signs_out(page):
    # given
    page.goto("/")
    page.get_by_role("link", name="Sign up").click()
    # when
    page.get_by_label("Username").fill("margaret")
    page.get_by_label("Email").fill("margaret@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(DEFAULT_PASSWORD)
    page.get_by_label("Password (again)").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    # then the header shows who is signed in
    expect(page.get_by_role("status")).to_contain_text("Successfully signed in as margaret.")
    menu = page.locator("header .user-menu")
    expect(menu.locator("summary")).to_have_text("margaret")
    assert User.objects.filter(username="margaret", email="margaret@example.org").exists()
    # when signing out from the user menu
    menu.locator("summary").click()
    menu.get_by_role("button", name="Sign out").click()
    # then
    expect(page.get_by_role("status")).to_contain_text("You have signed out.")
    expect(page.locator("header .user-menu")).to_have_count(0)
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_visible()


def test_sign_in_with_a_wrong_password_shows_an_error(page):
    # given
    user = UserFactory()
    page.goto("/accounts/login/")
    # when
    page.get_by_label("Username or email address").fill(user.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    # then
    expect(page.get_by_role("alert")).to_contain_text("password you specified are not correct")
    expect(page.locator("header .user-menu")).to_have_count(0)
    # when the right password is given
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # then
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("header .user-menu summary")).to_have_text(user.username)


def test_switching_to_arabic_lays_the_page_out_right_to_left(page):
    # given
    page.goto("/accounts/login/")
    # when
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    # then the same page comes back in Arabic, right to left
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    navigation = page.get_by_role("navigation", name="القائمة الرئيسية")
    expect(navigation.get_by_role("link", name="الرئيسية")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("تسجيل الدخول")
    # and the layout mirrors: the site name sits at the right edge
    site_name = page.locator(".site-name").bounding_box()
    assert site_name["x"] > page.viewport_size["width"] / 2


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    # given
    page.goto("/")
    # when
    page.keyboard.press("Tab")
    # then
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    # when
    page.keyboard.press("Enter")
    # then
    expect(page.locator("main#main")).to_be_focused()


def test_the_layout_fits_a_phone_screen(new_page):
    # given
    page = new_page(viewport={"width": 360, "height": 740})
    # when
    page.goto("/accounts/signup/")
    # then nothing overflows sideways
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    expect(page.get_by_role("button", name="Sign up")).to_be_visible()


def test_vendored_htmx_and_yjs_load_without_any_other_site(page):
    # given
    outside = []
    page.on("request", lambda r: None if "127.0.0.1" in r.url else outside.append(r.url))
    page.goto("/")
    # when two Yjs documents exchange their updates, through the import map
    merged = page.evaluate(
        """async () => {
            const Y = await import("yjs");
            const one = new Y.Doc(), two = new Y.Doc();
            one.getText("notes").insert(0, "hello ");
            two.getText("notes").insert(0, "world");
            Y.applyUpdate(two, Y.encodeStateAsUpdate(one));
            Y.applyUpdate(one, Y.encodeStateAsUpdate(two));
            return [one.getText("notes").toString(), two.getText("notes").toString()];
        }"""
    )
    # then
    assert merged[0] == merged[1]
    assert sorted([merged[0].replace("hello ", ""), merged[0].replace("world", "")]) == [
        "hello ",
        "world",
    ]
    assert page.evaluate("htmx.version").startswith("2.")
    assert outside == []
