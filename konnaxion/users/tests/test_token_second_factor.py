"""POST /api/auth/token/ once the account has a second factor (allauth.mfa): a code is asked
for, a wrong one counts as a failed sign-in, a recovery code works once."""

from __future__ import annotations

import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from axes.models import AccessAttempt
from rest_framework.test import APIClient

from konnaxion.users.models import PersonalToken
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture(autouse=True)
def _small_lockout_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


@pytest.fixture
def enrolled():
    """Ada, with an authenticator app and recovery codes enrolled through allauth's models."""
    user = UserFactory(username="ada")
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return user, secret


def current_code(secret: str, *, periods_ago: int = 0) -> str:
    """The code the app shows now (or `periods_ago` periods ago). It waits out the last two
    seconds of a period, so that the server checks it in the period it was made for."""
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 2:
        time.sleep(left)
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD - periods_ago
    return format_hotp_value(hotp_value(secret, counter))


def unused_recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(authenticator).get_unused_codes()


def exchange(**extra: str):
    return APIClient().post(
        "/api/auth/token/",
        {"username": "ada", "password": DEFAULT_PASSWORD, **extra},
        format="json",
    )


def assert_second_factor_refused(response, reason: str) -> None:
    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert (error["code"], error["details"]) == ("second_factor_required", {"reason": reason})


def test_without_a_second_factor_the_password_is_enough():
    UserFactory(username="ada")
    assert exchange().status_code == 200


def test_once_enrolled_the_password_alone_makes_no_token(enrolled):
    # when
    response = exchange()
    # then
    assert_second_factor_refused(response, "missing")
    assert not PersonalToken.objects.exists()


def test_a_current_authenticator_code_makes_a_token_once(enrolled):
    # given
    user, secret = enrolled
    code = current_code(secret)
    # when
    first = exchange(code=code)
    replayed = exchange(code=code)
    # then
    assert first.status_code == 200
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first.json()['token']}")
    assert api.get("/api/users/me/").json()["username"] == "ada"
    assert_second_factor_refused(replayed, "incorrect")
    assert PersonalToken.objects.filter(owner=user).count() == 1
    assert Authenticator.objects.get(user=user, type="totp").last_used_at is not None


def test_the_code_of_the_period_before_still_works_but_not_older_ones(enrolled):
    # given: a phone whose clock is late, or a code typed just as its period ended
    _user, secret = enrolled
    # when
    too_old = exchange(code=current_code(secret, periods_ago=2))
    late = exchange(code=current_code(secret, periods_ago=1))
    # then
    assert_second_factor_refused(too_old, "incorrect")
    assert late.status_code == 200


def test_a_wrong_code_is_refused_and_counted_as_a_failed_sign_in(enrolled):
    # when
    response = exchange(code="000000" if current_code(enrolled[1]) != "000000" else "111111")
    # then
    assert_second_factor_refused(response, "incorrect")
    assert not PersonalToken.objects.exists()
    assert AccessAttempt.objects.get(username="ada").failures_since_start == 1


def test_wrong_codes_up_to_the_limit_lock_the_account_with_429(enrolled):
    # given
    _user, secret = enrolled
    for _ in range(LIMIT - 1):
        assert_second_factor_refused(exchange(code="not a code"), "incorrect")
    # when
    last_failure = exchange(code="not a code")
    with_a_right_code = exchange(code=current_code(secret))
    # then
    for response in (last_failure, with_a_right_code):
        assert response.status_code == 429
        assert response.json()["error"]["code"] == "too_many_attempts"
        assert int(response["Retry-After"]) > 0
    assert not PersonalToken.objects.exists()


def test_a_recovery_code_works_once(enrolled):
    # given
    user, _ = enrolled
    codes = unused_recovery_codes(user)
    # when
    first = exchange(code=codes[0])
    again = exchange(code=codes[0])
    # then
    assert first.status_code == 200
    assert_second_factor_refused(again, "incorrect")
    assert codes[0] not in unused_recovery_codes(user)
    assert len(unused_recovery_codes(user)) == len(codes) - 1


def test_a_right_code_forgets_earlier_failures(enrolled):
    # given
    _user, secret = enrolled
    exchange(code="not a code")
    # when
    response = exchange(code=current_code(secret))
    # then
    assert response.status_code == 200
    assert not AccessAttempt.objects.filter(username="ada").exists()


def test_a_security_key_alone_asks_for_a_recovery_code(enrolled):
    # given: the authenticator app replaced by a security key (WebAuthn gives no typed code)
    user, _secret = enrolled
    Authenticator.objects.filter(user=user, type="totp").delete()
    Authenticator.objects.create(user=user, type=Authenticator.Type.WEBAUTHN, data={})
    # when
    missing = exchange()
    with_recovery = exchange(code=unused_recovery_codes(user)[0])
    # then
    assert_second_factor_refused(missing, "missing")
    assert with_recovery.status_code == 200
