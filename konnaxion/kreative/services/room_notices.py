"""What Kontact's rooms tell people through the notification centre (`konnaxion.notifications`)."""

from __future__ import annotations

from django.urls import reverse

from konnaxion.kreative.models import CollabSession
from konnaxion.notifications.models import Kind
from konnaxion.notifications.services.delivery import notify
from konnaxion.users.models import User


def room_invited_notify(*, session: CollabSession, users: list[User]) -> None:
    """`users`, just invited by the host, are told (after commit, if they may enter the room)."""
    if not users:
        return
    notify(
        kind=Kind.ROOM_INVITED,
        recipients=users,
        actor=session.host,
        target=session,
        params={"room": session.name},
        url=reverse("web:workspace", kwargs={"pk": session.pk}),
    )
