"""Reads on accounts."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from konnaxion.users.models import PersonalToken, User


def personal_tokens_of(*, owner: User) -> QuerySet[PersonalToken]:
    """Every token of `owner`, revoked and expired ones too, newest first."""
    return PersonalToken.objects.filter(owner=owner).order_by("-created_at", "-id")


def personal_tokens_live(*, owner: User) -> QuerySet[PersonalToken]:
    """`owner`'s tokens that still authenticate (neither revoked nor expired)."""
    return PersonalToken.objects.filter(owner=owner, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )
