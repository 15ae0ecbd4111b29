"""The API tokens page: list, make (the key shown once), revoke; signed-in people only."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from konnaxion.users.models import PersonalToken
from konnaxion.users.tests.factories import UserFactory
from konnaxion.users.tokens import personal_token_create

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


def api_status(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/users/me/").status_code


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_page_lists_only_ones_own_tokens_without_their_keys(client):
    # given
    ada, grace = UserFactory(), UserFactory()
    made = personal_token_create(owner=ada, name="backup script", expires_in_days=30)
    personal_token_create(owner=grace, name="grace's deploy")
    client.force_login(ada)
    # when
    page = client.get(PAGE).content.decode()
    # then
    assert "backup script" in page and made.token.prefix in page
    assert made.key not in page
    assert "grace&#x27;s deploy" not in page and "grace's deploy" not in page


def test_making_a_token_shows_its_key_once_and_it_works(client):
    # given
    ada = UserFactory()
    client.force_login(ada)
    # when
    response = client.post(PAGE, {"name": "nightly", "expiry": "90", "read_only": "on"})
    # then
    assert response.status_code == 201
    assert response["Cache-Control"].startswith("max-age=0")
    key = response.context["new_key"]
    assert key in response.content.decode()
    token = PersonalToken.objects.get(owner=ada)
    assert (token.name, token.read_only) == ("nightly", True)
    assert (token.expires_at - token.created_at).days == 90
    assert api_status(key) == 200
    assert key not in client.get(PAGE).content.decode()


def test_a_token_without_a_name_is_not_made(client):
    ada = UserFactory()
    client.force_login(ada)
    response = client.post(PAGE, {"name": "", "expiry": ""})
    assert response.status_code == 400
    assert not PersonalToken.objects.exists()


def test_revoking_turns_the_token_off_and_someone_elses_is_untouched(client):
    # given
    ada, grace = UserFactory(), UserFactory()
    mine = personal_token_create(owner=ada, name="mine")
    theirs = personal_token_create(owner=grace, name="theirs")
    client.force_login(ada)
    # when
    revoked = client.post(f"/accounts/tokens/{mine.token.pk}/revoke/")
    refused = client.post(f"/accounts/tokens/{theirs.token.pk}/revoke/")
    # then
    assert revoked.status_code == refused.status_code == 302
    assert api_status(mine.key) == 401
    assert api_status(theirs.key) == 200


@pytest.mark.parametrize(
    "language, heading", [("fr", "Jetons d\u2019API"), ("ar", "رموز واجهة البرمجة")]
)
def test_the_page_is_translated(client, language, heading):
    client.force_login(UserFactory())
    page = client.get(PAGE, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in page
