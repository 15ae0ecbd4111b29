"""Writes on accounts: the only place a user row is created."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from konnaxion.core.errors import Conflict
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
