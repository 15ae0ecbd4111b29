"""Account mails through a real Celery worker and a real SMTP server (aiosmtpd): verifying the
address given at sign-up, resetting a forgotten password, changing one's address."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.test import Client

from konnaxion.notifications.tests.conftest import MailServer, body_of
from konnaxion.users.models import User
from konnaxion.users.selectors import email_verified
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

NEW_PASSWORD = "another horse, another battery"
MAIL_WAIT_SECONDS = 30


def next_mail(server: MailServer, count: int):
    """Wait for the `count`-th mail the server received, and return it."""
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    while len(server.received) < count:
        if time.monotonic() > deadline:
            pytest.fail(f"mail number {count} did not arrive ({len(server.received)} received)")
        time.sleep(0.1)
    return server.received[count - 1]


def link_in(mail, path_prefix: str) -> str:
    """The path of the link in `mail` whose path starts with `path_prefix`."""
    for url in re.findall(r"https?://\S+", body_of(mail)):
        path = urlsplit(url).path
        if path.startswith(path_prefix):
            return path
    pytest.fail(f"no {path_prefix} link in:\n{body_of(mail)}")


def signed_in_client(user: User, password: str = DEFAULT_PASSWORD) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"login": user.username, "password": password})
    assert response.status_code == 302
    return client


def test_sign_up_mails_a_link_that_verifies_the_address(mail_worker):
    # given
    client = Client()
    # when
    response = client.post(
        "/accounts/signup/",
        {
            "username": "hedy",
            "email": "hedy@example.org",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )
    user = User.objects.get(username="hedy")
    mail = next_mail(mail_worker, 1)
    # then: signed in, not verified yet, and the mail is on its way
    assert response.status_code == 302
    assert not email_verified(user)
    assert mail["To"] == "hedy@example.org"
    assert mail["Subject"].startswith("Konnaxion: ")
    # when the link is followed and confirmed
    link = link_in(mail, "/accounts/confirm-email/")
    confirm_page = client.get(link)
    confirmed = client.post(link)
    # then
    assert confirm_page.status_code == 200
    assert confirmed.status_code == 302
    assert email_verified(user)
    assert EmailAddress.objects.get(user=user).verified


def test_a_forgotten_password_is_reset_through_the_mailed_link(mail_worker):
    # given
    user = UserFactory(username="ada", email="ada@example.org")
    client = Client()
    # when
    asked = client.post("/accounts/password/reset/", {"email": "ADA@example.org"})
    mail = next_mail(mail_worker, 1)
    # the mailed link sends the browser on to a page that no longer shows the key
    key_page = client.get(link_in(mail, "/accounts/password/reset/key/"), follow=True)
    set_url = key_page.redirect_chain[-1][0]
    reset = client.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    # then
    assert asked.status_code == 302
    assert mail["To"] == "ada@example.org"
    assert reset.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert signed_in_client(user, NEW_PASSWORD).session[SESSION_KEY] == str(user.pk)
    # the link works once
    again = client.get(link_in(mail, "/accounts/password/reset/key/"), follow=True)
    assert b"The password reset link was invalid" in again.content


def test_a_new_address_counts_once_verified_and_replaces_the_old_one(mail_worker):
    # given
    user = UserFactory(username="ada", email="ada@example.org")
    client = signed_in_client(user)
    # when
    added = client.post("/accounts/email/", {"email": "ada@new.example", "action_add": ""})
    mail = next_mail(mail_worker, 1)
    # then: the old address stays primary and verified until the new one is verified
    assert added.status_code == 302
    assert mail["To"] == "ada@new.example"
    assert User.objects.get(pk=user.pk).email == "ada@example.org"
    assert EmailAddress.objects.get(user=user, email="ada@new.example").verified is False
    # when
    client.post(link_in(mail, "/accounts/confirm-email/"))
    # then
    user.refresh_from_db()
    assert user.email == "ada@new.example"
    assert list(
        EmailAddress.objects.filter(user=user).values_list("email", "primary", "verified")
    ) == [("ada@new.example", True, True)]
    assert email_verified(user)
