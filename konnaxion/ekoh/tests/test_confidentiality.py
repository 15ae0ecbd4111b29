"""Identity beside scores: public name, stable pseudonym, or nothing."""

import pytest

from konnaxion.ekoh.services.confidentiality import (
    confidentiality_set,
    identity_for,
    pseudonym_for,
)
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_public_shows_the_name():
    user = UserFactory(name="Ada Lovelace")
    assert identity_for(user=user) == {
        "level": "public",
        "display_name": "Ada Lovelace",
        "username": user.username,
    }


def test_pseudonym_is_stable_and_hides_the_user_id_and_name():
    # given
    user = UserFactory(name="Ada Lovelace")
    confidentiality_set(user=user, level="pseudonym")
    user.refresh_from_db()
    # when
    identity = identity_for(user=user, viewer=UserFactory())
    # then
    assert identity == {"level": "pseudonym", "display_name": pseudonym_for(user)}
    assert identity["display_name"] == pseudonym_for(user)  # stable across calls
    assert identity["display_name"] != f"expert-{user.pk}"
    assert user.username not in identity["display_name"]
    assert pseudonym_for(user) != pseudonym_for(UserFactory())


def test_anonymous_shows_nothing_except_to_the_user_themselves():
    # given
    user = UserFactory()
    confidentiality_set(user=user, level="anonymous")
    user.refresh_from_db()
    # then
    assert identity_for(user=user, viewer=UserFactory()) is None
    assert identity_for(user=user, viewer=user)["username"] == user.username
