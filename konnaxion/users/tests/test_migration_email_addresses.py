"""The data migration giving every account with an email address allauth's EmailAddress row."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps

from konnaxion.users.models import User
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("konnaxion.users.migrations.0004_email_addresses")


def test_accounts_get_their_address_primary_and_unverified_passwords_untouched():
    # given: accounts from before allauth (no EmailAddress rows), one without an address, two
    # sharing one in different cases, and one that already has its row
    ada = UserFactory(username="ada", email="ada@example.org")
    UserFactory(username="nobody", email="")
    first = UserFactory(username="first", email="same@example.org")
    UserFactory(username="second", email="SAME@example.org")
    kept = UserFactory(username="kept", email="kept@example.org")
    EmailAddress.objects.exclude(user=kept).delete()
    hashes = dict(User.objects.values_list("username", "password"))
    # when: run twice
    migration.email_addresses_create(apps, None)
    migration.email_addresses_create(apps, None)
    # then
    rows = sorted(
        EmailAddress.objects.values_list("user__username", "email", "primary", "verified")
    )
    assert rows == [
        ("ada", "ada@example.org", True, False),
        ("first", "same@example.org", True, False),
        ("kept", "kept@example.org", True, True),
    ]
    assert dict(User.objects.values_list("username", "password")) == hashes
    assert User.objects.get(pk=ada.pk).check_password(DEFAULT_PASSWORD)
    assert first.pk < User.objects.get(username="second").pk
