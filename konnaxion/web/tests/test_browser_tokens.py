"""API tokens in Debian's Chromium (headless): a person makes a read-only token, copies its
key, sees it listed without the key, and revokes it through the confirmation dialog."""

import pytest
from playwright.sync_api import expect
from rest_framework.test import APIClient

from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_browser_blueprints import sign_in

pytestmark = pytest.mark.browser


def api_status(key: str, method: str = "get") -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    if method == "post":
        return client.post("/api/auth/tokens/", {"name": "x"}, format="json").status_code
    return client.get("/api/users/me/").status_code


def test_make_copy_and_revoke_a_token(page):
    # given
    ada = UserFactory(username="ada")
    sign_in(page, ada)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])

    # when ada makes a read-only token for a year
    page.goto("/accounts/tokens/")
    expect(page.get_by_text("No tokens yet.")).to_be_visible()
    page.get_by_label("Name:", exact=True).fill("backup script")
    page.get_by_label("Expires:", exact=True).select_option(label="In a year")
    page.get_by_label("Read-only").check()
    page.get_by_role("button", name="Make the token").click()

    # then its key is shown once, and the copy button copies it
    expect(page.get_by_text("Copy the key now: it is shown only this once.")).to_be_visible()
    key = page.get_by_label("Key", exact=True).input_value()
    assert key.startswith("knx_")
    page.get_by_role("button", name="Copy the key").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == key
    assert (api_status(key), api_status(key, "post")) == (200, 403)
    row = page.locator("[data-token]")
    expect(row).to_contain_text("backup script")
    expect(row).to_contain_text(key[:12])
    expect(row).to_contain_text("read-only")

    # when she comes back, the key is gone from the page
    page.goto("/accounts/tokens/")
    assert key not in page.content()

    # when she revokes it, after the confirmation dialog
    page.locator("[data-token] form[data-confirm] button[type=submit]").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Revoke the token “backup script”?")
    dialog.get_by_role("button", name="Revoke").click()

    # then it is listed as revoked and no longer works
    expect(page.get_by_text("The token “backup script” is revoked.")).to_be_visible()
    expect(page.locator("[data-token]")).to_contain_text("revoked")
    assert api_status(key) == 401
