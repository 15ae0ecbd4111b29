"""The admin is signed into through the site's sign-in (allauth), its second factor included."""

from __future__ import annotations

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory
from konnaxion.users.tests.test_two_factors import enrol_totp, totp_code

pytestmark = pytest.mark.django_db

SIGN_IN_FOR_THE_ADMIN = "/accounts/login/?next=%2Fadmin%2F"


def password_step_for_the_admin(client: Client, user):
    """Open the admin, follow it to the sign-in page and give the password there."""
    opened = client.get("/admin/", follow=True)
    assert opened.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        (SIGN_IN_FOR_THE_ADMIN, 302),
    ]
    return client.post(
        SIGN_IN_FOR_THE_ADMIN, {"login": user.username, "password": DEFAULT_PASSWORD}
    )


def test_the_admin_sign_in_page_sends_to_the_sites_sign_in():
    # given
    client = Client()
    # when
    response = client.get("/admin/login/?next=/admin/")
    # then
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN_FOR_THE_ADMIN


def test_staff_with_an_authenticator_app_is_asked_its_code_then_lands_on_the_admin():
    # given
    staff = UserFactory(is_staff=True)
    secret = enrol_totp(staff)
    client = Client()
    # when
    after_password = password_step_for_the_admin(client, staff)
    admin_before_the_code = client.get("/admin/")
    after_code = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    admin = client.get(after_code["Location"])
    # then
    assert after_password.status_code == 302
    assert after_password["Location"] == "/accounts/2fa/authenticate/"
    assert admin_before_the_code.status_code == 302
    assert admin_before_the_code["Location"] == "/admin/login/?next=/admin/"
    assert after_code.status_code == 302
    assert after_code["Location"] == "/admin/"
    assert client.session[SESSION_KEY] == str(staff.pk)
    assert admin.status_code == 200
    assert "Site administration" in admin.content.decode()


def test_staff_without_a_second_factor_lands_on_the_admin_after_the_password():
    # given
    staff = UserFactory(is_staff=True)
    client = Client()
    # when
    after_password = password_step_for_the_admin(client, staff)
    admin = client.get(after_password["Location"])
    # then
    assert after_password.status_code == 302
    assert after_password["Location"] == "/admin/"
    assert admin.status_code == 200
    assert "Site administration" in admin.content.decode()


def test_someone_signed_in_who_is_not_staff_is_refused_by_the_admin():
    # given
    person = UserFactory(is_staff=False)
    client = Client()
    # when
    after_password = password_step_for_the_admin(client, person)
    admin = client.get("/admin/", follow=True)
    # then: signed in, then a 403 from the admin's sign-in, not a way back to the sign-in page
    assert after_password.status_code == 302
    assert client.session[SESSION_KEY] == str(person.pk)
    assert admin.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert admin.status_code == 403
