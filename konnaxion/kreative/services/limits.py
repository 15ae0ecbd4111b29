"""Per-user caps on what one account can create (rooms, invitations, opportunities,
galleries): a hostile or runaway client cannot grow them without bound.

Each check runs with the owner's user row locked (`owner_lock`), so two concurrent creations at
the cap minus one cannot both pass: the second waits for the first to commit, then counts it.
"""

from __future__ import annotations

from konnaxion.core.errors import Conflict
from konnaxion.users.models import User


class LimitReached(Conflict):
    """409: the caller already has as many of something as allowed; `details.limit` says how
    many. Removing one (ending a room, closing an opportunity...) makes room for another."""

    code = "limit_reached"
    message = "You have reached the limit for this."


def owner_lock(user: User) -> None:
    """Lock `user`'s row until the end of the transaction (the caller's `atomic`)."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


def limit_check(*, used: int, adding: int = 1, limit: int, code: str, message: str) -> None:
    """Raise LimitReached(`code`) when `used + adding` would pass `limit`."""
    if used + adding > limit:
        raise LimitReached(message, code=code, details={"limit": limit, "used": used})
