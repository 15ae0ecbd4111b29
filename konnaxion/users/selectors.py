"""Reads about accounts: their data exports, their personal tokens, and whether a person's email
address is verified.

A person whose primary address is not verified may sign in, but may not post opportunities,
invite people (to a project's team, to a room) or be suggested to others: each of those
services asks `email_verified`, and the suggestions filter their candidates with
`users_with_verified_email` (its SQL twin, `VERIFIED_EMAIL_SQL`, for the matching query).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from konnaxion.core.errors import ApplicationError
from konnaxion.users.models import AccountExport, PersonalToken, User

EMAIL_ADDRESSES_TABLE = EmailAddress._meta.db_table

# The same rule as `users_with_verified_email`, for raw SQL: `{user_id}` is the column of the
# user's id in the query that embeds it.
VERIFIED_EMAIL_SQL = (
    f"EXISTS (SELECT 1 FROM {EMAIL_ADDRESSES_TABLE} ea WHERE ea.user_id = {{user_id}} "  # noqa: S608 - the table name comes from the model
    "AND ea.primary AND ea.verified)"
)


class EmailUnverified(ApplicationError):
    """Not a PermissionDenied: pages show this refusal on their form, with a way out."""

    code = "email_unverified"
    status = 403
    message = "Verify your email address first: follow the link in the mail we sent you."


def _verified_primary() -> QuerySet[EmailAddress]:
    return EmailAddress.objects.filter(primary=True, verified=True)


def email_verified(user: User) -> bool:
    """Whether `user`'s primary email address is verified."""
    return _verified_primary().filter(user_id=user.pk).exists()


def email_verified_check(user: User) -> None:
    """Raise EmailUnverified (403 email_unverified) unless `user`'s primary address is verified."""
    if not email_verified(user):
        raise EmailUnverified()


def users_with_verified_email(users: QuerySet[User]) -> QuerySet[User]:
    """`users` without those whose primary email address is not verified (one anti-join)."""
    return users.filter(Exists(_verified_primary().filter(user_id=OuterRef("pk"))))


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
