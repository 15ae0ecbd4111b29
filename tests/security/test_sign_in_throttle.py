"""Sign-in lockout and the client address it keys on, on the three ways in: the web form
(/accounts/login/), the admin (/admin/, which sends to the web form) and the API token
(POST /api/auth/token/)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client

from konnaxion.core.client_address import client_address_from
from konnaxion.runtime.supervisor import proxy_header_options
from konnaxion.users.models import User
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3
COOLOFF_SECONDS = 15 * 60
PATHS = ["/accounts/login/", "/admin/", "/api/auth/token/"]
SIGN_IN_FOR_THE_ADMIN = "/accounts/login/?next=%2Fadmin%2F"


@pytest.fixture(autouse=True)
def _small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(path: str, username: str, password: str, **headers: str):
    """One sign-in attempt through `path`, from a fresh client (no session, no cookies)."""
    client = Client(**headers)
    if path.startswith("/api/"):
        return client.post(
            path, {"username": username, "password": password}, content_type="application/json"
        )
    if path == "/admin/":
        # The admin has no sign-in form of its own: it sends to the web form, which sends back.
        opened = client.get(path, follow=True)
        assert opened.redirect_chain[-1] == (SIGN_IN_FOR_THE_ADMIN, 302)
        path = SIGN_IN_FOR_THE_ADMIN
    # The web form (django-allauth) names the account `login`: a username or an email address.
    return client.post(path, {"login": username, "password": password})


def signed_in(path: str, response) -> bool:
    if path.startswith("/api/"):
        return response.status_code == 200 and "token" in response.json()
    return response.status_code == 302 and response["Location"] == (
        "/admin/" if path == "/admin/" else "/"
    )


def assert_locked(path: str, response) -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) == COOLOFF_SECONDS
    if path.startswith("/api/"):
        error = response.json()["error"]
        assert error["code"] == "too_many_attempts"
        assert error["details"] == {"retry_after": COOLOFF_SECONDS}
    else:
        assert response["Content-Type"].startswith("text/html")
        assert "Too many sign-in attempts" in response.content.decode()


@pytest.mark.parametrize("path", PATHS)
def test_failures_up_to_the_limit_lock_the_account_with_429_and_retry_after(path):
    # given
    UserFactory(username="ada", is_staff=True)
    for _ in range(LIMIT - 1):
        assert sign_in(path, "ada", "wrong").status_code in (200, 400)
    # when
    last_failure = sign_in(path, "ada", "wrong")
    with_the_right_password = sign_in(path, "ada", DEFAULT_PASSWORD)
    # then
    assert_locked(path, last_failure)
    assert_locked(path, with_the_right_password)


@pytest.mark.parametrize("path", PATHS)
def test_changing_x_forwarded_for_does_not_reset_the_address_lock_without_proxies(path):
    # given: no trusted proxy (the default), failures over many usernames, each with a new
    # X-Forwarded-For
    UserFactory(username="grace", is_staff=True)
    for attempt in range(LIMIT):
        sign_in(path, f"nobody{attempt}", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    # when
    response = sign_in(path, "grace", DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    # then
    assert_locked(path, response)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@pytest.mark.parametrize("path", PATHS)
def test_behind_one_proxy_the_right_most_address_is_the_client(path, settings):
    # given: one trusted proxy at 10.0.0.1; the client 203.0.113.7 spoofs the left part
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="grace", is_staff=True)
    for attempt in range(LIMIT):
        sign_in(
            path,
            f"nobody{attempt}",
            "wrong",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.7",
        )
    # when
    spoofing = sign_in(
        path,
        "grace",
        DEFAULT_PASSWORD,
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
    )
    someone_else = sign_in(
        path, "grace", DEFAULT_PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    # then
    assert_locked(path, spoofing)
    assert signed_in(path, someone_else)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@pytest.mark.parametrize("path", PATHS)
def test_a_locked_username_does_not_lock_another_user_at_another_address(path):
    # given
    UserFactory(username="ada", is_staff=True)
    UserFactory(username="grace", is_staff=True)
    for _ in range(LIMIT):
        sign_in(path, "ada", "wrong", REMOTE_ADDR="198.51.100.1")
    # when
    ada_from_elsewhere = sign_in(path, "ada", DEFAULT_PASSWORD, REMOTE_ADDR="198.51.100.2")
    grace = sign_in(path, "grace", DEFAULT_PASSWORD, REMOTE_ADDR="198.51.100.2")
    # then
    assert_locked(path, ada_from_elsewhere)
    assert signed_in(path, grace)


@pytest.mark.parametrize("path", PATHS)
def test_a_successful_sign_in_forgets_the_accounts_failures(path):
    # given
    UserFactory(username="ada", is_staff=True)
    for _ in range(LIMIT - 1):
        sign_in(path, "ada", "wrong")
    # when
    assert signed_in(path, sign_in(path, "ada", DEFAULT_PASSWORD))
    for _ in range(LIMIT - 1):
        sign_in(path, "ada", "wrong", REMOTE_ADDR="198.51.100.3")
    # then
    assert signed_in(path, sign_in(path, "ada", DEFAULT_PASSWORD))


def test_credentials_posted_to_the_admin_sign_in_page_sign_no_one_in_and_tell_nothing():
    # given
    staff = UserFactory(username="ada", is_staff=True)
    right, wrong = Client(), Client()
    # when
    with_the_right_password = right.post(
        "/admin/login/", {"username": "ada", "password": DEFAULT_PASSWORD}
    )
    with_a_wrong_one = wrong.post("/admin/login/", {"username": "ada", "password": "wrong"})
    # then: both sent to the web form alike, no password checked, nobody signed in
    for response in (with_the_right_password, with_a_wrong_one):
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Flogin%2F"
        assert response.content == b""
    assert SESSION_KEY not in right.session
    assert SESSION_KEY not in wrong.session
    assert User.objects.get(pk=staff.pk).last_login is None
    assert not AccessAttempt.objects.exists()


def test_a_locked_account_stays_locked_on_the_way_into_the_admin():
    # given: ada locked out at the web form
    UserFactory(username="ada", is_staff=True)
    for _ in range(LIMIT):
        sign_in("/accounts/login/", "ada", "wrong")
    # when: the right password, posted to the admin's page and given for the admin
    client = Client()
    at_the_admin_page = client.post(
        "/admin/login/", {"username": "ada", "password": DEFAULT_PASSWORD}, follow=True
    )
    for_the_admin = sign_in("/admin/", "ada", DEFAULT_PASSWORD)
    # then
    assert SESSION_KEY not in client.session
    assert at_the_admin_page.status_code == 200
    assert_locked("/admin/", for_the_admin)


def test_a_successful_token_sign_in_does_not_forget_the_addresss_failures_at_others():
    # given: failures at other accounts from one address, then the caller's own account
    UserFactory(username="mallory")
    for attempt in range(LIMIT - 1):
        sign_in("/api/auth/token/", f"victim{attempt}", "wrong")
    assert signed_in("/api/auth/token/", sign_in("/api/auth/token/", "mallory", DEFAULT_PASSWORD))
    # when
    response = sign_in("/api/auth/token/", "victim9", "wrong")
    # then
    assert_locked("/api/auth/token/", response)


def test_token_sign_in_records_the_sign_in():
    # given
    user = UserFactory(username="ada")
    assert user.last_login is None
    # when
    sign_in("/api/auth/token/", "ada", DEFAULT_PASSWORD)
    # then
    assert User.objects.get(pk=user.pk).last_login is not None


def test_the_api_throttle_is_not_reset_by_x_forwarded_for():
    # given: the "auth" scope allows 10 token requests a minute per client
    UserFactory(username="ada")
    for attempt in range(10):
        response = sign_in(
            "/api/auth/token/", "ada", DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}"
        )
        assert response.status_code == 200
    # when
    response = sign_in(
        "/api/auth/token/", "ada", DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.250"
    )
    # then
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "proxy_count", "expected"),
    [
        ("127.0.0.1", None, 0, "127.0.0.1"),
        ("127.0.0.1", "203.0.113.7", 0, "127.0.0.1"),
        ("10.0.0.1", "203.0.113.7", 1, "203.0.113.7"),
        ("10.0.0.1", "6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),
        ("10.0.0.2", "6.6.6.6, 203.0.113.7, 10.0.0.1", 2, "203.0.113.7"),
        ("10.0.0.2", "203.0.113.7", 2, "203.0.113.7"),
        ("10.0.0.1", None, 1, "10.0.0.1"),
        ("10.0.0.1", " , ", 1, "10.0.0.1"),
    ],
)
def test_client_address(remote_addr, forwarded_for, proxy_count, expected):
    assert (
        client_address_from(
            remote_addr=remote_addr, forwarded_for=forwarded_for, proxy_count=proxy_count
        )
        == expected
    )


def test_uvicorn_reads_proxy_headers_only_behind_declared_proxies():
    assert proxy_header_options({}) == {"proxy_headers": False}
    assert proxy_header_options({"TRUSTED_PROXY_COUNT": "0"}) == {"proxy_headers": False}
    assert proxy_header_options({"TRUSTED_PROXY_COUNT": "1"}) == {
        "proxy_headers": True,
        "forwarded_allow_ips": "127.0.0.1",
    }
    assert proxy_header_options(
        {"TRUSTED_PROXY_COUNT": "2", "FORWARDED_ALLOW_IPS": "10.0.0.1,10.0.0.2"}
    ) == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.1,10.0.0.2"}
