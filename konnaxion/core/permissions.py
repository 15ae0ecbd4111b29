"""Who may moderate: staff, or members of the moderators group."""

from __future__ import annotations

from typing import Any

MODERATORS_GROUP = "moderators"


def is_moderator(user: Any) -> bool:
    """True for signed-in staff and for members of the `moderators` group."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    return user.groups.filter(name=MODERATORS_GROUP).exists()
