"""Account journeys in Debian's Chromium: verifying the address given at sign-up from the mail
that arrives, resetting a forgotten password, signing in with an authenticator app, and with a
recovery code, once."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from konnaxion.notifications.tests.conftest import body_of
from konnaxion.users.models import User
from konnaxion.users.selectors import email_verified
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory
from konnaxion.users.tests.test_account_mails import next_mail
from konnaxion.users.tests.test_two_factors import totp_code

pytestmark = pytest.mark.browser

NEW_PASSWORD = "another horse, another battery"


def path_of_link(mail, prefix: str) -> str:
    for url in re.findall(r"https?://\S+", body_of(mail)):
        if urlsplit(url).path.startswith(prefix):
            return urlsplit(url).path
    pytest.fail(f"no {prefix} link in:\n{body_of(mail)}")


def sign_in(page, login: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username or email address").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_up_then_verify_the_address_from_the_mail(page, mail_worker):
    # given
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("hedy")
    page.get_by_label("Email").fill("hedy@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(DEFAULT_PASSWORD)
    page.get_by_label("Password (again)").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("header .user-menu summary")).to_have_text("hedy")
    # the account page says the address waits for verification
    page.goto("/accounts/")
    expect(page.get_by_text("not verified")).to_be_visible()
    # when the link of the mail is followed and confirmed
    mail = next_mail(mail_worker, 1)
    page.goto(path_of_link(mail, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    # then
    expect(page.get_by_role("status")).to_contain_text("You have confirmed hedy@example.org.")
    assert email_verified(User.objects.get(username="hedy"))


def test_forgot_the_password_reset_it_from_the_mail_and_sign_in(page, mail_worker):
    # given
    UserFactory(username="ada", email="ada@example.org")
    sign_in(page, "ada", "a guess")
    page.get_by_role("link", name="Forgot your password?").click()
    # when
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_role("button", name="Reset my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password Reset")
    mail = next_mail(mail_worker, 1)
    page.goto(path_of_link(mail, "/accounts/password/reset/key/"))
    page.get_by_label(re.compile(r"^New password:?$", re.IGNORECASE)).fill(NEW_PASSWORD)
    page.get_by_label(re.compile(r"^New password \(again\):?$", re.IGNORECASE)).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change Password")
    # then the new password signs in
    sign_in(page, "ada@example.org", NEW_PASSWORD)
    expect(page.locator("header .user-menu summary")).to_have_text("ada")


def test_turn_on_an_authenticator_app_then_sign_in_with_its_code(page, live_server_url):
    # given
    UserFactory(username="grace")
    sign_in(page, "grace")
    page.goto("/accounts/")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Two factors").click()
    page.get_by_role("link", name="Activate").first.click()
    # allauth asks for the password again before a factor changes
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    # when
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.get_by_role("status")).to_contain_text("Authenticator app activated.")
    page.locator("header .user-menu summary").click()
    page.locator("header .user-menu").get_by_role("button", name="Sign out").click()
    sign_in(page, "grace")
    # then the password alone does not sign in
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.locator("header .user-menu")).to_have_count(0)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("header .user-menu summary")).to_have_text("grace")


def test_a_recovery_code_read_on_the_account_pages_signs_in_once(page, live_server_url):
    # given someone with an authenticator app, who reads their recovery codes on their pages
    ada = UserFactory(username="ada-recovery")
    secret = generate_totp_secret()
    TOTP.activate(ada, secret)
    RecoveryCodes.activate(ada)
    code = RecoveryCodes(
        Authenticator.objects.get(user=ada, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()[0]
    sign_in(page, "ada-recovery")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    page.goto("/accounts/2fa/recovery-codes/")
    # allauth asks who is there again before showing the codes
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("main")).to_contain_text(code)
    page.locator("header .user-menu summary").click()
    page.locator("header .user-menu").get_by_role("button", name="Sign out").click()
    # when the phone is lost: one of those codes instead of the app's
    sign_in(page, "ada-recovery")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    # then it signs in
    expect(page.locator("header .user-menu summary")).to_have_text("ada-recovery")
    page.locator("header .user-menu summary").click()
    page.locator("header .user-menu").get_by_role("button", name="Sign out").click()
    # and the same code does not work a second time
    sign_in(page, "ada-recovery")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.locator("header .user-menu")).to_have_count(0)
