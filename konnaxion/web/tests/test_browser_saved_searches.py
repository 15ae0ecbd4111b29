"""Saving a search of /connect and running it, in Debian's Chromium (headless), by keyboard,
in Arabic at 390 px wide."""

import pytest
from playwright.sync_api import expect

from konnaxion.kreative.models import SavedSearch
from konnaxion.kreative.tests.factories import opportunity_for
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser


def test_save_a_search_and_run_it_by_keyboard_in_arabic_on_a_phone(new_page, live_server_url):
    # given ada, reading in Arabic on a 390 px wide screen, and two opportunities
    ada = UserFactory(username="ada")
    opportunity_for(tags=["print"], title="Print residency")
    opportunity_for(tags=["clay"], title="Clay residency")
    page = new_page(viewport={"width": 390, "height": 800})
    sign_in(page, ada)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server_url}])
    page.goto("/connect/?tab=opportunities")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # when she types a tag and saves the search with the keyboard alone
    page.get_by_label("الوسوم").fill("print")
    save = page.get_by_role("button", name="احفظ هذا البحث")
    save.focus()
    page.keyboard.press("Enter")
    name = page.get_by_label("اسم البحث")
    expect(name).to_have_value("print")
    name.fill("طباعة")
    name.press("Enter")
    # then her list shows it, and running it shows only the match, within the screen
    expect(page.get_by_role("heading", name="طباعة")).to_be_visible()
    assert SavedSearch.objects.get(owner=ada).filters == {"tags": "print"}
    page.get_by_role("link", name="تشغيل").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Print residency")).to_be_visible()
    expect(page.get_by_role("link", name="Clay residency")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
