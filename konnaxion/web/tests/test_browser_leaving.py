"""Leaving, in Debian's Chromium (headless) under the ASGI server: a person deletes their
account from /accounts/leave/; a teammate then still finds the document they uploaded, signed
"a former member", and their profile is gone. Their data export shows its progress bar and a
download link once a worker has made it."""

import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import pdf_bytes
from konnaxion.kreative.tests.factories import profile_for
from konnaxion.users.models import User
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory
from konnaxion.users.tests.leaving import document_upload
from konnaxion.web.tests.test_browser_projects import sign_in

pytestmark = pytest.mark.browser


def test_a_deleted_account_leaves_its_documents_to_the_team(new_page):
    # given: lin uploaded a document to a project mo owns; both have public profiles
    lin, mo = UserFactory(username="lin"), UserFactory(username="mo")
    profile_for(lin, display_name="Lin")
    profile_for(mo, display_name="Mo")
    project = project_for(creator=mo, title="Harbour survey", visibility="members")
    project_member_add(project=project, user=lin, role=ProjectTeam.Role.COLLABORATOR)
    document = document_upload(
        user=lin, project=project, content=pdf_bytes("Harbour plan"), name="harbour.pdf"
    )
    leaver, teammate = new_page(), new_page()
    sign_in(leaver, lin)
    sign_in(teammate, mo)
    teammate.goto("/profile/lin/")
    expect(teammate.get_by_role("heading", level=1)).to_have_text("Lin")

    # when lin confirms the deletion with her username and password
    leaver.goto("/accounts/leave/")
    delete = leaver.locator("[data-leave=delete]")
    delete.get_by_label("Type your username to confirm").fill("lin")
    delete.get_by_label("Your password").fill(DEFAULT_PASSWORD)
    delete.get_by_role("button", name="Delete my account").click()
    leaver.get_by_role("alertdialog").locator("[data-confirm-ok]").click()

    # then she is signed out, told so, and cannot sign in again
    expect(leaver.locator(".messages")).to_contain_text("Your account is deleted.")
    assert User.objects.get(pk=lin.pk).is_former_member
    # and mo still finds the document, uploaded by "a former member"
    teammate.goto(f"/projects/{project.slug}/blueprints/{document.pk}/")
    uploader = teammate.locator("main table td bdi", has_text="a former member")
    expect(uploader.first).to_have_text("a former member")
    expect(teammate.locator("main")).not_to_contain_text("former-member-")
    # while her profile is gone
    response = teammate.goto("/profile/lin/")
    assert response is not None and response.status == 404


def test_a_wrong_password_keeps_the_account(new_page):
    # given
    ida = UserFactory(username="ida")
    page = new_page()
    sign_in(page, ida)
    # when
    page.goto("/accounts/leave/")
    delete = page.locator("[data-leave=delete]")
    delete.get_by_label("Type your username to confirm").fill("ida")
    delete.get_by_label("Your password").fill("not my password")
    delete.get_by_role("button", name="Delete my account").click()
    page.get_by_role("alertdialog").locator("[data-confirm-ok]").click()
    # then
    expect(delete.locator("[role=alert]")).to_contain_text("This password is not right.")
    assert User.objects.get(pk=ida.pk).deleted_at is None


def test_the_export_shows_its_progress_and_then_a_download_link(new_page, celery_worker):
    # given
    ana = UserFactory(username="ana")
    page = new_page()
    sign_in(page, ana)
    # when
    page.goto("/accounts/data/")
    page.get_by_role("button", name="Export my data").click()
    # then: the bar runs, then the link appears without reloading the page
    expect(page.locator("[data-export-progress]")).to_be_attached()
    link = page.get_by_role("link", name="Download my data")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".zip")
