"""Two factors at web sign-in (allauth.mfa): an authenticator app (TOTP) and recovery codes."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib.auth import SESSION_KEY
from django.test import Client

from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for `secret` (RFC 6238, allauth's own math)."""
    return format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))


def password_step(client: Client, user):
    return client.post("/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD})


def signed_in_and_confirmed(user) -> Client:
    """Signed in, and the password given again just now (allauth asks before changing factors)."""
    client = Client()
    assert password_step(client, user).status_code == 302
    confirmed = client.post("/accounts/reauthenticate/", {"password": DEFAULT_PASSWORD})
    assert confirmed.status_code == 302
    return client


def enrol_totp(user) -> str:
    """Sign in, turn the authenticator app on; returns the shared secret."""
    client = signed_in_and_confirmed(user)
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302, response.content
    return secret


def test_with_an_authenticator_app_sign_in_asks_for_its_code():
    # given
    user = UserFactory()
    secret = enrol_totp(user)
    client = Client()
    # when
    after_password = password_step(client, user)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    signed_in_by_password_alone = SESSION_KEY in client.session
    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    # then
    assert after_password.status_code == 302
    assert after_password["Location"] == "/accounts/2fa/authenticate/"
    assert wrong.status_code == 200
    assert not signed_in_by_password_alone
    assert right.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_recovery_code_signs_in_once():
    # given
    user = UserFactory()
    enrol_totp(user)
    codes = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    first, second = Client(), Client()
    # when
    password_step(first, user)
    used = first.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    password_step(second, user)
    again = second.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    # then
    assert len(codes) == 10
    assert used.status_code == 302
    assert first.session[SESSION_KEY] == str(user.pk)
    assert again.status_code == 200
    assert SESSION_KEY not in second.session


def test_turning_the_app_on_needs_a_right_code():
    # given
    user = UserFactory()
    client = signed_in_and_confirmed(user)
    client.get("/accounts/2fa/totp/activate/")
    # when
    response = client.post("/accounts/2fa/totp/activate/", {"code": "123456"})
    # then
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()
