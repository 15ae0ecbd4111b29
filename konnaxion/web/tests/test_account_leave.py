"""/accounts/leave/: deactivating or deleting one's account asks for the password, the second
factor's code when one is enrolled, and (to delete) the username typed out."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.models import User
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _delete(client: Client, *, username: str, password: str = DEFAULT_PASSWORD, code=None):
    data = {"action": "delete", "del-username": username, "del-password": password}
    if code is not None:
        data["del-code"] = code
    return client.post("/accounts/leave/", data)


def _current_totp(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_the_page_asks_for_the_password_and_the_username():
    # given
    user = UserFactory()
    # when
    page = _signed_in(user).get("/accounts/leave/")
    # then
    assert page.status_code == 200
    assert b'name="del-username"' in page.content and b'name="off-password"' in page.content
    assert b'name="del-code"' not in page.content


def test_a_visitor_is_sent_to_sign_in():
    assert Client().get("/accounts/leave/").status_code == 302


@pytest.mark.parametrize(
    ("username", "password"),
    [("someone-else", DEFAULT_PASSWORD), (None, "not the password")],
    ids=["wrong username", "wrong password"],
)
def test_deletion_is_refused_without_the_right_confirmation(username, password):
    # given
    user = UserFactory()
    # when
    response = _delete(_signed_in(user), username=username or user.username, password=password)
    # then: nothing happened
    assert response.status_code == 400
    assert User.objects.get(pk=user.pk).deleted_at is None


def test_deactivation_with_the_password_signs_out_and_closes_the_account():
    # given
    user = UserFactory()
    client = _signed_in(user)
    # when
    response = client.post(
        "/accounts/leave/", {"action": "deactivate", "off-password": DEFAULT_PASSWORD}
    )
    # then
    assert response.status_code == 302
    refreshed = User.objects.get(pk=user.pk)
    assert not refreshed.is_active and refreshed.deleted_at is None
    assert client.get("/accounts/leave/").status_code == 302


def test_deactivation_is_refused_with_a_wrong_password():
    user = UserFactory()
    response = _signed_in(user).post(
        "/accounts/leave/", {"action": "deactivate", "off-password": "nope"}
    )
    assert response.status_code == 400
    assert User.objects.get(pk=user.pk).is_active


def test_with_a_second_factor_a_code_is_needed_and_checked():
    # given
    user = UserFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client = _signed_in(user)
    assert b'name="del-code"' in client.get("/accounts/leave/").content
    # when: no code, then a wrong one
    missing = _delete(client, username=user.username)
    wrong = _delete(client, username=user.username, code="000000")
    # then
    assert (missing.status_code, wrong.status_code) == (400, 400)
    assert User.objects.get(pk=user.pk).deleted_at is None
    # when: the authenticator's current code
    done = _delete(client, username=user.username, code=_current_totp(secret))
    # then
    assert done.status_code == 302
    assert User.objects.get(pk=user.pk).is_former_member


def test_a_recovery_code_also_confirms():
    # given
    user = UserFactory()
    TOTP.activate(user, generate_totp_secret())
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    # when
    response = _signed_in(user).post(
        "/accounts/leave/",
        {"action": "deactivate", "off-password": DEFAULT_PASSWORD, "off-code": code},
    )
    # then
    assert response.status_code == 302
    assert not User.objects.get(pk=user.pk).is_active


def test_the_sole_owner_is_told_which_projects_to_hand_over():
    # given
    user, other = UserFactory(), UserFactory()
    project = project_for(creator=user, title="Lighthouse")
    project_member_add(project=project, user=other, role=ProjectTeam.Role.COLLABORATOR)
    client = _signed_in(user)
    assert b"Lighthouse" in client.get("/accounts/leave/").content
    # when
    response = _delete(client, username=user.username)
    # then
    assert response.status_code == 409
    assert b"Lighthouse" in response.content
    assert User.objects.get(pk=user.pk).deleted_at is None
