"""Reads on accounts."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from konnaxion.users.models import AccountExport, PersonalToken, User


def exports_of(*, user: User) -> QuerySet[AccountExport]:
    """`user`'s exports (nobody else's), newest first; also the visibility rule of exports."""
    if not user.is_authenticated:
        return AccountExport.objects.none()
    return AccountExport.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def export_current(*, user: User) -> AccountExport | None:
    """`user`'s latest export, whatever its state, or None."""
    return exports_of(user=user).first()


def export_downloadable(*, export: AccountExport) -> bool:
    """Whether the export's ZIP may still be downloaded (ready and not expired)."""
    return (
        export.state == AccountExport.State.READY
        and export.expires_at is not None
        and export.expires_at > timezone.now()
    )


def personal_tokens_of(*, owner: User) -> QuerySet[PersonalToken]:
    """Every token of `owner`, revoked and expired ones too, newest first."""
    return PersonalToken.objects.filter(owner=owner).order_by("-created_at", "-id")


def personal_tokens_live(*, owner: User) -> QuerySet[PersonalToken]:
    """`owner`'s tokens that still authenticate (neither revoked nor expired)."""
    return PersonalToken.objects.filter(owner=owner, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )
