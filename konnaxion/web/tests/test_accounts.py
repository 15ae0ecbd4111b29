"""Sign up, sign in and sign out through the HTML forms (django-allauth's views, at the
addresses and names the site has always used)."""

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from konnaxion.core.errors import Conflict
from konnaxion.users.models import User
from konnaxion.users.services import user_create
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "username": "hedy",
    "email": "hedy@example.org",
    "password1": DEFAULT_PASSWORD,
    "password2": DEFAULT_PASSWORD,
}


def test_the_site_names_its_account_pages_as_before():
    assert reverse("web:login") == "/accounts/login/"
    assert reverse("web:signup") == "/accounts/signup/"
    assert reverse("web:logout") == "/accounts/logout/"
    assert reverse("web:account") == "/accounts/"


def test_sign_up_creates_the_account_with_an_unverified_address_and_signs_in():
    # given
    client = Client()
    # when
    response = client.post("/accounts/signup/", GOOD)
    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(username="hedy")
    assert user.email == "hedy@example.org"
    assert user.check_password(DEFAULT_PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("hedy@example.org", True, False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"password1": "12345678", "password2": "12345678"}, "password1"),
        ({"password2": "something else entirely"}, "password2"),
        ({"email": "not an email"}, "email"),
        ({"username": "bad name!"}, "username"),
        ({"username": ""}, "username"),
        ({"email": ""}, "email"),
    ],
)
def test_sign_up_refuses_bad_input_and_creates_nothing(client, change, field):
    # when
    response = client.post("/accounts/signup/", {**GOOD, **change})
    # then
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert not User.objects.exists()
    assert SESSION_KEY not in client.session


def test_sign_up_refuses_a_username_taken_in_another_case(client):
    # given
    UserFactory(username="Hedy")
    # when
    response = client.post("/accounts/signup/", GOOD)
    # then
    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.count() == 1


def test_sign_up_refuses_an_address_another_account_has(client):
    # given
    UserFactory(username="other", email="hedy@example.org")
    # when
    response = client.post("/accounts/signup/", GOOD)
    # then
    assert "email" in response.context["form"].errors
    assert User.objects.count() == 1


def test_user_create_raises_conflict_for_a_taken_username():
    # given
    UserFactory(username="hedy")
    # when / then
    with pytest.raises(Conflict) as raised:
        user_create(username="hedy", email="other@example.org", password=DEFAULT_PASSWORD)
    assert raised.value.code == "username_taken"
    assert User.objects.count() == 1


@pytest.mark.parametrize("login", ["ada", "ADA", "ada@example.org"])
def test_sign_in_by_username_or_email(client, login):
    # given
    UserFactory(username="ada", email="ada@example.org")
    # when
    response = client.post("/accounts/login/", {"login": login, "password": DEFAULT_PASSWORD})
    # then
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(User.objects.get(username="ada").pk)


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/api/docs/", "/api/docs/"), ("https://elsewhere.example/", "/"), ("//evil/", "/")],
)
def test_sign_in_follows_next_only_on_this_site(client, next_url, expected):
    # given
    user = UserFactory()
    # when
    response = client.post(
        f"/accounts/login/?next={next_url}",
        {"login": user.username, "password": DEFAULT_PASSWORD, "next": next_url},
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == expected


def test_sign_in_with_a_wrong_password_says_so_and_signs_nobody_in(client):
    # given
    user = UserFactory()
    # when
    response = client.post(
        "/accounts/login/", {"login": user.username, "password": "not the password"}
    )
    # then
    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert SESSION_KEY not in client.session


def test_failures_by_username_and_by_email_count_against_one_account(settings):
    # given: a limit of 3; the account is named three ways, from three addresses
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="ada", email="ada@example.org")
    for login, address in [
        ("ada", "198.51.100.1"),
        ("ADA@example.org", "198.51.100.2"),
        ("Ada", "198.51.100.3"),
    ]:
        Client(REMOTE_ADDR=address).post("/accounts/login/", {"login": login, "password": "x"})
    # when
    response = Client(REMOTE_ADDR="198.51.100.4").post(
        "/accounts/login/", {"login": "ada@example.org", "password": DEFAULT_PASSWORD}
    )
    # then
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"ada"}


def test_forms_refuse_a_post_without_the_csrf_token():
    # given
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    # when
    response = client.post(
        "/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD}
    )
    # then
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_sign_out_asks_on_get_and_signs_out_on_post():
    # given
    user = UserFactory()
    client = Client()
    client.force_login(user)
    # when
    asked = client.get("/accounts/logout/")
    still_signed_in = SESSION_KEY in client.session
    response = client.post("/accounts/logout/")
    # then
    assert asked.status_code == 200
    assert still_signed_in
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session
    assert "You have signed out." in client.get("/").content.decode()


def test_signed_in_visitors_skip_the_account_forms():
    client = Client()
    client.force_login(UserFactory())
    assert client.get("/accounts/login/").status_code == 302
    assert client.get("/accounts/signup/").status_code == 302


def test_the_menu_of_a_signed_in_person_links_to_the_account_page(client):
    # given
    client.force_login(UserFactory())
    # when
    page = client.get("/").content.decode()
    # then
    menu = page[page.index('class="user-menu"') :]
    assert '<a href="/accounts/">Account</a>' in menu


def test_the_account_pages_are_drawn_in_the_sites_layout(client):
    # given
    client.force_login(UserFactory())
    for path in [
        "/accounts/",
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/sessions/",
    ]:
        # when
        response = client.get(path)
        # then
        page = response.content.decode()
        assert response.status_code == 200, path
        assert 'class="site-header"' in page, path
        assert 'class="tabs account-nav"' in page, path
