"""Journeys through /projects in Debian's Chromium (headless): create a project, find it, build
its team, and keep outsiders out."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def sign_in(page, user) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .user-menu summary")).to_have_text(user.username)


def test_create_find_share_and_hide_a_project(new_page):
    # given three people, each in their own browser
    ada, grace, eve = (UserFactory(username=name) for name in ("ada", "grace", "eve"))
    owner, member, outsider = new_page(), new_page(), new_page()
    for page, user in ((owner, ada), (member, grace), (outsider, eve)):
        sign_in(page, user)

    # when ada creates a members-only project from the Create tab
    owner.get_by_role("navigation", name="Main").get_by_role("link", name="Projects").click()
    owner.get_by_role("link", name="Create", exact=True).click()
    owner.get_by_label("Title").fill("Cargo bike frame")
    owner.get_by_label("Description").fill("A steel frame for a longtail cargo bike.")
    owner.get_by_label("Category").select_option(index=1)
    owner.get_by_label("Visibility").select_option("members")
    owner.get_by_label("Tags").fill("bicycle, welding")
    owner.get_by_role("button", name="Create the project").click()
    # then her project page opens
    expect(owner.get_by_role("status")).to_contain_text("Project “Cargo bike frame” created.")
    expect(owner.get_by_role("heading", level=1)).to_have_text("Cargo bike frame")
    project = Project.objects.get(title="Cargo bike frame")
    expect(owner).to_have_url(re.compile(rf"/projects/{project.slug}/$"))

    # when she searches Browse by title and by tag
    owner.goto("/projects/")
    owner.get_by_label("Title contains").fill("cargo")
    owner.get_by_role("button", name="Search").click()
    # then
    results = owner.locator(".project-list")
    expect(results.get_by_role("link", name="Cargo bike frame")).to_be_visible()
    owner.get_by_label("Title contains").fill("")
    owner.get_by_label(re.compile(r"^Tag:?$")).fill("welding")
    owner.get_by_role("button", name="Search").click()
    expect(results.get_by_role("link", name="Cargo bike frame")).to_be_visible()
    # and My Projects shows it with her role
    owner.get_by_role("link", name="My Projects").click()
    mine = owner.locator(".project-list article", has_text="Cargo bike frame")
    expect(mine).to_contain_text("Your role: Owner")

    # when grace, not yet on the team, looks: the project does not exist for her
    member.goto(f"/projects/{project.slug}/")
    expect(member.get_by_role("heading", level=1)).to_have_text("Page not found")

    # when ada adds grace to the team (htmx: the team section alone is replaced)
    owner.goto(f"/projects/{project.slug}/")
    owner.evaluate("window.stillTheSamePage = true")
    owner.get_by_label("Username").fill("grace")
    owner.get_by_label(re.compile(r"^Role:?$")).select_option("mentor")
    owner.get_by_role("button", name="Add to the team").click()
    # then the notice takes the keyboard focus, and no reload happened
    notice = owner.locator("#team [role=status]")
    expect(notice).to_have_text("grace joined the team.")
    expect(notice).to_be_focused()
    expect(owner.get_by_label("Role of grace")).to_have_value("mentor")
    assert owner.evaluate("window.stillTheSamePage") is True

    # then grace finds it in her My Projects, with her role
    member.goto("/projects/?tab=mine")
    shared = member.locator(".project-list article", has_text="Cargo bike frame")
    expect(shared).to_contain_text("Your role: Mentor")
    shared.get_by_role("link", name="Cargo bike frame").click()
    expect(member.get_by_role("heading", level=1)).to_have_text("Cargo bike frame")

    # and eve, an outsider, gets the 404 page and no trace of it in Browse
    response = outsider.goto(f"/projects/{project.slug}/")
    assert response.status == 404
    expect(outsider.get_by_role("heading", level=1)).to_have_text("Page not found")
    outsider.goto("/projects/?tab=browse&q=cargo")
    expect(outsider.get_by_text("No project matches.")).to_be_visible()


def test_the_team_cap_error_is_announced_and_focused(new_page):
    # given a full team (the live server's own cap: the team really is filled up to it)
    owner_user = UserFactory(username="ada")
    project = project_for(creator=owner_user, title="Big build")
    for number in range(settings.COLLAB_SPACE_MEMBER_CAP - 1):
        project_member_add(project=project, user=UserFactory(username=f"crew{number}"))
    UserFactory(username="latecomer")
    page = new_page()
    sign_in(page, owner_user)
    page.goto(f"/projects/{project.slug}/")
    # when, with the keyboard only
    page.get_by_label("Username").fill("latecomer")
    page.get_by_label("Username").press("Enter")
    # then
    alert = page.locator("#team [role=alert]")
    expect(alert).to_have_text(
        f"This team is full: a project has at most {settings.COLLAB_SPACE_MEMBER_CAP} members."
    )
    expect(alert).to_be_focused()
    assert not project.team.filter(user__username="latecomer").exists()


def test_the_projects_page_reads_right_to_left_in_arabic(new_page):
    # given
    project_for(title="Loom", tags=["textile"])
    page = new_page(locale="ar")
    # when
    page.goto("/projects/")
    # then
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text("المشاريع")
    tabs = page.get_by_role("navigation", name="أقسام المشروع")
    browse = tabs.get_by_role("link", name="تصفح").bounding_box()
    mine = tabs.get_by_role("link", name="مشاريعي").bounding_box()
    assert browse["x"] > mine["x"]  # the first tab sits at the right
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
