"""allauth's rate limits (ACCOUNT_RATE_LIMITS): 429 past the limit, per client address or per
account or address, the address being the platform's one reading of the client."""

from __future__ import annotations

import pytest
from django.test import Client

from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    def set_limits(**rates: str) -> None:
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **rates}

    return set_limits


def sign_up(client: Client, number: int):
    return client.post(
        "/accounts/signup/",
        {
            "username": f"person{number}",
            "email": f"person{number}@example.org",
            "password1": DEFAULT_PASSWORD,
            "password2": DEFAULT_PASSWORD,
        },
    )


def test_sign_ups_past_the_limit_per_address_are_429(limits):
    # given
    limits(signup="2/m/ip")
    # when
    answers = [sign_up(Client(REMOTE_ADDR="198.51.100.1"), number) for number in range(3)]
    elsewhere = sign_up(Client(REMOTE_ADDR="198.51.100.2"), 9)
    # then
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert "Too many requests" in answers[2].content.decode()
    assert elsewhere.status_code == 302


def test_sign_ins_past_the_limit_are_429(limits):
    # given
    limits(login="2/m/ip")
    user = UserFactory()
    credentials = {"login": user.username, "password": DEFAULT_PASSWORD}
    # when
    answers = [Client().post("/accounts/login/", credentials) for _ in range(3)]
    # then
    assert [answer.status_code for answer in answers] == [302, 302, 429]


def test_password_reset_requests_are_limited_per_address_asked(limits):
    # given
    limits(reset_password="20/m/ip,2/m/key")
    UserFactory(email="ada@example.org")
    UserFactory(email="grace@example.org")
    client = Client()
    # when
    answers = [
        client.post("/accounts/password/reset/", {"email": "ada@example.org"}) for _ in range(3)
    ]
    other = client.post("/accounts/password/reset/", {"email": "grace@example.org"})
    # then
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert other.status_code == 302


def test_the_limit_keys_on_the_client_address_behind_a_trusted_proxy(limits, settings):
    # given: one proxy of ours at 10.0.0.1; the client spoofs the left part of the header
    settings.TRUSTED_PROXY_COUNT = 1
    limits(signup="1/m/ip")
    first = sign_up(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"), 1)
    # when
    spoofing = sign_up(
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.7"), 2
    )
    someone_else = sign_up(Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8"), 3)
    # then
    assert first.status_code == 302
    assert spoofing.status_code == 429
    assert someone_else.status_code == 302


def test_email_changes_past_the_limit_are_429(limits):
    # given
    limits(manage_email="2/m/user")
    user = UserFactory()
    client = Client()
    client.force_login(user)
    # when
    answers = [
        client.post("/accounts/email/", {"email": f"new{number}@example.org", "action_add": ""})
        for number in range(3)
    ]
    # then
    assert [answer.status_code for answer in answers] == [302, 302, 429]
