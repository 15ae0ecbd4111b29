"""Check-out locks in Debian's Chromium (headless): a lock taken by one member appears live on
another member's open document page and list, refuses their upload with the reason, and its
breaking by the owner shows live too."""

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_blueprints_pages import document
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser


def test_a_lock_shows_live_refuses_an_upload_and_its_breaking_shows_live(new_page, tmp_path):
    # given a document of olga's project, where ada and bob write
    olga, ada, bob = (UserFactory(username=name) for name in ("olga", "ada", "bob"))
    project = project_for(creator=olga, title="Tiny house", visibility="members")
    for member in (ada, bob):
        project_member_add(project=project, user=member, role=ProjectTeam.Role.COLLABORATOR)
    plan = document(project, olga, name="floor-plan.pdf")
    url = f"/projects/{project.slug}/blueprints/{plan.pk}/"
    owner, holder, other, other_list = new_page(), new_page(), new_page(), new_page()
    for page, user in ((owner, olga), (holder, ada), (other, bob), (other_list, bob)):
        sign_in(page, user)
    # bob keeps the document page and the list open throughout, never reloading them
    other.goto(url)
    expect(other.locator("#checkout")).to_contain_text("Not checked out.")
    expect(other.locator("#checkout[data-live=connected]")).to_have_count(1)
    other.evaluate("window.stillTheSamePage = true")
    other_list.goto(f"/projects/{project.slug}/?tab=blueprints")
    expect(other_list.locator("#blueprints[data-live=connected]")).to_have_count(1)
    expect(other_list.locator("#blueprint-list")).to_contain_text("floor-plan.pdf")
    expect(other_list.locator("#blueprint-list .badge--locked")).to_have_count(0)
    other_list.evaluate("window.stillTheSamePage = true")

    # when ada checks the document out
    holder.goto(url)
    expect(holder.get_by_role("heading", name="Check-out")).to_be_visible()
    holder.get_by_label("Check-out note (optional)").fill("Moving the kitchen")
    holder.get_by_role("combobox", name="For").select_option("4")
    holder.get_by_role("button", name="Check out", exact=True).click()
    expect(holder.get_by_role("status")).to_contain_text("You have checked this document out.")
    expect(holder.locator("#checkout")).to_contain_text("Checked out by ada until")

    # then bob's open page and list show the lock without a reload
    expect(other.locator("#checkout .badge--locked")).to_contain_text("Checked out by ada until")
    expect(other.locator("#checkout")).to_contain_text("Moving the kitchen")
    expect(other_list.locator("#blueprint-list .badge--locked")).to_contain_text(
        "Checked out by ada until"
    )

    # when bob uploads a new version anyway
    mine = tmp_path / "floor-plan.pdf"
    mine.write_bytes(multipage_pdf(["Bob's kitchen"]))
    other.get_by_label("Choose a file").set_input_files(mine)
    # then it is refused with the reason
    expect(other.locator("[data-upload-error]")).to_contain_text(
        "floor-plan.pdf was not uploaded: ada has checked this document out until"
    )
    expect(other.locator(".version-table tbody tr")).to_have_count(1)

    # when olga breaks the lock, confirming
    owner.goto(url)
    expect(owner.locator("#checkout")).to_contain_text("Checked out by ada until")
    owner.get_by_role("button", name="Break the lock").click()
    confirm = owner.get_by_role("alertdialog")
    expect(confirm).to_contain_text("ada")
    confirm.get_by_role("button", name="Break the lock").click()
    expect(owner.get_by_role("status")).to_contain_text("The lock is broken")

    # then bob's page and list show it unlocked, still without a reload
    expect(other.locator("#checkout")).to_contain_text("Not checked out.")
    expect(other.locator("#checkout .badge--locked")).to_have_count(0)
    expect(other_list.locator("#blueprint-list .badge--locked")).to_have_count(0)
    assert other.evaluate("window.stillTheSamePage") is True
    assert other_list.evaluate("window.stillTheSamePage") is True


def test_checking_out_with_the_keyboard_in_arabic_on_a_phone(new_page, live_server_url):
    # given ada, signed in, reading in Arabic on a 390 px wide screen
    olga, ada = UserFactory(username="olga"), UserFactory(username="ada")
    project = project_for(creator=olga, title="Loom", visibility="members")
    project_member_add(project=project, user=ada, role=ProjectTeam.Role.COLLABORATOR)
    plan = document(project, olga, name="warp.pdf")
    page = new_page(viewport={"width": 390, "height": 800})
    sign_in(page, ada)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server_url}])
    page.goto(f"/projects/{project.slug}/blueprints/{plan.pk}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="الحجز")).to_be_visible()
    # when she fills the form and sends it with the keyboard alone
    page.get_by_label("ملاحظة الحجز (اختيارية)").focus()
    page.keyboard.type("السدى")
    page.keyboard.press("Tab")
    expect(page.get_by_role("combobox", name="لمدة")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="حجز", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    # then the panel says she holds it, in Arabic, and fits the screen
    panel = page.locator("#checkout")
    expect(panel.locator(".badge--locked")).to_contain_text("محجوز من قبل ada حتى")
    expect(panel).to_contain_text("السدى")
    expect(panel.get_by_role("button", name="التحرير دون نسخة جديدة")).to_be_visible()
    assert panel.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
