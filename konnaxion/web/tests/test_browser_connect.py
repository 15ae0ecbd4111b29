"""Journeys through /connect and /profile in Debian's Chromium (headless): edit one's profile,
follow someone from People, follow and dismiss suggestions, post an opportunity and find it with
the filters."""

import re

import pytest
from playwright.sync_api import expect

from konnaxion.kreative.models import (
    Follow,
    Opportunity,
    ProfessionalProfile,
    SuggestionDismissal,
)
from konnaxion.kreative.tests.factories import profile_for
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_projects import sign_in

pytestmark = pytest.mark.browser


def test_edit_ones_profile(page):
    # given
    ada = UserFactory(username="ada")
    sign_in(page, ada)
    # when she opens her profile from the account menu and its Edit tab
    page.locator("header .user-menu summary").click()
    page.get_by_role("link", name="My profile").click()
    page.get_by_role("link", name="Edit my profile").click()
    page.get_by_label("Display name").fill("Ada Lovelace")
    page.get_by_label("Headline").fill("Glass and light")
    page.get_by_label("Skills").fill("glassblowing, kiln")
    page.get_by_label("Links").fill("Studio | https://ada.example")
    page.get_by_label("Open to collaboration").check()
    page.get_by_label("Who sees my profile").select_option("public")
    page.get_by_role("button", name="Save my profile").click()
    # then the profile shows the changes
    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Lovelace")
    expect(page.get_by_role("link", name="Studio")).to_have_attribute("href", "https://ada.example")
    profile = ProfessionalProfile.objects.get(user=ada)
    assert profile.headline == "Glass and light" and profile.visibility == "public"


def test_follow_someone_from_people(page):
    # given
    ada, noor = UserFactory(username="ada"), UserFactory(username="noor")
    profile_for(noor, display_name="Noor Haddad", skills=["etching"], region="Brittany")
    profile_for(UserFactory(username="sam"), skills=["welding"])
    sign_in(page, ada)
    # when she searches People by skill
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Connect").click()
    page.get_by_label("Skills").fill("etching")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="Noor Haddad")).to_be_visible()
    expect(page.get_by_text("@sam")).to_have_count(0)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Follow noor").click()
    # then the button turns (htmx, no reload) and the notice takes the focus
    notice = page.locator(".follow [role=status]")
    expect(notice).to_have_text("You follow noor.")
    expect(notice).to_be_focused()
    expect(page.get_by_role("button", name="Unfollow noor")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage") is True
    assert Follow.objects.filter(follower=ada, followee=noor).exists()


def test_follow_a_suggestion_and_dismiss_another(page):
    # given three people who share ada's craft
    ada = UserFactory(username="ada")
    profile_for(ada, skills=["etching", "cyanotype"])
    profile_for(
        UserFactory(username="lin"), display_name="Lin Wei", skills=["etching", "cyanotype"]
    )
    profile_for(UserFactory(username="noor"), display_name="Noor Haddad", skills=["etching"])
    profile_for(UserFactory(username="sam"), skills=["etching"], region="Oslo")
    sign_in(page, ada)
    # when she opens People, she sees a suggestion with its reason
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Connect").click()
    panel = page.locator("#suggestions")
    lin = panel.locator(".suggestion").filter(has_text="@lin")
    expect(lin.get_by_role("list", name="Why lin is suggested")).to_contain_text(
        "shares 2 skills: cyanotype, etching"
    )
    expect(panel.locator(".suggestion")).to_have_count(3)
    # when she follows it (htmx: the panel is swapped, the page stays)
    page.evaluate("window.stillTheSamePage = true")
    lin.get_by_role("button", name="Follow lin").click()
    # then the notice takes the focus and lin leaves the panel
    notice = panel.get_by_role("status")
    expect(notice).to_have_text("You follow lin.")
    expect(notice).to_be_focused()
    expect(panel.get_by_text("@lin")).to_have_count(0)
    expect(page.locator("#suggestions .suggestion")).to_have_count(2)
    assert page.evaluate("window.stillTheSamePage") is True
    assert Follow.objects.filter(follower=ada, followee__username="lin").exists()

    # when she dismisses another one, from the keyboard
    page.locator("#suggestions").get_by_role("button", name="Dismiss noor").focus()
    page.keyboard.press("Enter")
    # then it leaves too
    expect(page.locator("#suggestions").get_by_role("status")).to_have_text(
        "noor will not be suggested to you for 90 days."
    )
    expect(page.locator("#suggestions").get_by_text("@noor")).to_have_count(0)
    assert SuggestionDismissal.objects.filter(viewer=ada, dismissed__username="noor").exists()

    # and after a reload, lin is still followed (her profile says so) and no longer suggested
    page.reload()
    expect(page.locator("#suggestions .suggestion")).to_have_count(1)
    expect(page.locator("#suggestions")).to_contain_text("@sam")
    people = page.locator(".person-list")
    expect(people.get_by_role("button", name="Unfollow lin")).to_be_visible()
    people.get_by_role("link", name="Lin Wei").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lin Wei")
    expect(page.get_by_role("button", name="Unfollow lin")).to_be_visible()
    expect(page.get_by_text("1 follower ·", exact=False)).to_be_visible()


def test_the_panel_and_the_people_list_agree_on_whom_one_follows(page):
    # given two people who share ada's craft, both in the panel and in the People list
    ada = UserFactory(username="ada")
    profile_for(ada, skills=["etching"])
    profile_for(UserFactory(username="lin"), display_name="Lin Wei", skills=["etching"])
    profile_for(UserFactory(username="noor"), display_name="Noor Haddad", skills=["etching"])
    sign_in(page, ada)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Connect").click()
    panel, people = page.locator("#suggestions"), page.locator(".person-list")
    expect(people.get_by_role("button", name="Follow lin")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")
    # when she follows lin from the panel
    panel.get_by_role("button", name="Follow lin").click()
    # then lin's card below turns to "Unfollow" at once
    expect(panel.get_by_role("status")).to_have_text("You follow lin.")
    expect(people.get_by_role("button", name="Unfollow lin")).to_be_visible()
    expect(people.get_by_role("button", name="Follow lin", exact=True)).to_have_count(0)
    # when she follows noor from noor's card
    people.get_by_role("button", name="Follow noor").click()
    # then noor leaves the panel, which renders itself again, and the focus stays on the card
    expect(people.get_by_role("button", name="Unfollow noor")).to_be_visible()
    expect(panel.get_by_text("@noor")).to_have_count(0)
    expect(people.get_by_role("status")).to_have_text("You follow noor.")
    expect(people.get_by_role("status")).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True
    followed = Follow.objects.filter(follower=ada).values_list("followee__username", flat=True)
    assert set(followed) == {"lin", "noor"}


def test_post_an_opportunity_and_find_it_with_the_filters(page):
    # given
    sign_in(page, UserFactory(username="ada"))
    page.goto("/connect/?tab=opportunities")
    # when she posts a call
    page.get_by_role("link", name="Post an opportunity").click()
    form = page.locator("form[enctype='multipart/form-data']")
    form.get_by_label("Type").select_option("call")
    form.get_by_label("Title").fill("Open call for muralists")
    form.get_by_label("Description").fill("Paint the wall of the old market hall.")
    form.locator("#id_region").fill("Brittany")  # "Open to regions" also says region
    form.get_by_label("Apply at (https URL)").fill("https://example.org/murals")
    form.get_by_label("Tags").fill("mural, street art")
    form.get_by_role("button", name="Post the opportunity").click()
    # then its page opens
    expect(page.locator(".messages")).to_contain_text(
        "Opportunity “Open call for muralists” posted."
    )
    opportunity = Opportunity.objects.get(title="Open call for muralists")
    expect(page).to_have_url(re.compile(rf"/connect/opportunities/{opportunity.pk}/$"))

    # when she filters the board by type, tag and region
    page.get_by_role("link", name="All opportunities").click()
    filters = page.get_by_role("search", name="Search opportunities")
    filters.get_by_label("Type").select_option("call")
    filters.get_by_label("Tags").fill("mural")
    filters.get_by_label("Region").fill("brittany")
    filters.get_by_role("button", name="Search", exact=True).click()
    # then it is found
    results = page.locator(".opportunity-list")
    expect(results.get_by_role("link", name="Open call for muralists")).to_be_visible()
    # and a filter it does not match hides it
    filters.get_by_label("Type").select_option("job")
    filters.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("No opportunity matches.")).to_be_visible()
