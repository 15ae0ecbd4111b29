"""Writes on accounts: the only place a user row is created."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token

from konnaxion.core.consumers import account_group
from konnaxion.core.errors import Conflict
from konnaxion.core.realtime import publish_on_commit
from konnaxion.users.models import User


def user_create(*, username: str, email: str, password: str, name: str = "") -> User:
    """Create an active account with a hashed `password`.

    The password must already have passed Django's validators (the caller's form does that,
    against the unsaved user). Raises Conflict when the username is taken, also by a
    concurrent sign-up that won the race.
    """
    user = User(username=username, email=User.objects.normalize_email(email), name=name)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise Conflict(
            "This username is already taken.", code="username_taken", details={"username": username}
        ) from error
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> None:
    """Close `user`'s account: it can no longer sign in (sessions stop at their next request),
    its API tokens are deleted, and once this commits every socket it has open is closed (4401).
    What it made stays; removing that is another decision."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    Token.objects.filter(user=user).delete()
    publish_on_commit(account_group(user.pk), {"type": "account.closed"})


def account_mail_send(*, message: dict[str, Any]) -> None:
    """Send an account mail rendered by allauth's adapter (konnaxion/users/accounts.py). SMTP
    and network errors propagate: the task retries."""
    mail = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
    )
    for content, mimetype in message["alternatives"]:
        mail.attach_alternative(content, mimetype)
    mail.send()


@transaction.atomic
def email_address_set_verified(*, user: User, email: str) -> EmailAddress:
    """Make `email` `user`'s primary address, already verified: for accounts the site makes
    itself (the demo's), whose mailbox nobody reads. Idempotent."""
    email = User.objects.normalize_email(email)
    if user.email != email:
        User.objects.filter(pk=user.pk).update(email=email)
        user.email = email
    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=email).update(
        primary=False
    )
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    return address
