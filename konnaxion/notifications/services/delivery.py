"""Telling people: `notify` is called by a domain inside its transaction; delivery happens once
that transaction commits, and only to recipients who may then see the target.

Each recipient passes, at delivery: an active account, not the actor, the actor existing for
them (`users.user` rule of `core.visibility`: nobody across a block is told of the other), and
the target visible to them (`core.visibility` of the target's model). Delivered notifications are
pushed to the recipient's sockets and, for the kinds they get at once, emailed by a task.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model

from konnaxion.core.queue import task_enqueue_on_commit
from konnaxion.core.realtime import publish_on_commit
from konnaxion.core.visibility import visibility_declared
from konnaxion.notifications.models import Channel, Kind, Notification
from konnaxion.notifications.models.notifications import PARAM_MAX_CHARS, URL_MAX_CHARS
from konnaxion.notifications.selectors import (
    channels_for,
    person_visible,
    target_type_of,
    target_visible,
)
from konnaxion.users.models import User

logger = logging.getLogger(__name__)

EMAIL_TASK = "konnaxion.notifications.tasks.notification_email_send_task"


def notifications_group(user_id: int) -> str:
    """The channel group of one person's notification sockets."""
    return f"notifications.{user_id}"


def _params_clean(params: dict[str, Any]) -> dict[str, str | int]:
    """Short scalar params only: a text past PARAM_MAX_CHARS is cut, anything else refused."""
    cleaned: dict[str, str | int] = {}
    for key, value in params.items():
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError(f"notification param {key!r} must be a string or an integer")
        cleaned[str(key)] = value[:PARAM_MAX_CHARS] if isinstance(value, str) else value
    return cleaned


def notify(
    *,
    kind: str,
    recipients: Iterable[User],
    actor: User | None,
    target: Model,
    params: dict[str, Any] | None = None,
    url: str = "",
) -> None:
    """Tell `recipients` that `kind` happened to `target`, once the current transaction commits
    (nothing on rollback). The actor is never told of their own action.

    Raises ValueError (unknown kind, url too long), TypeError (params not short scalars) and
    LookupError when `target`'s model declared no visibility rule: programming errors, raised
    at the call so they fail the caller's tests.
    """
    if kind not in Kind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    if not visibility_declared(model=type(target)):
        raise LookupError(
            f"{target._meta.label_lower} declares no visibility rule (core.visibility): "
            "notifications about it cannot be checked"
        )
    if len(url) > URL_MAX_CHARS:
        raise ValueError("notification url too long")
    cleaned = _params_clean(params or {})
    recipient_ids = sorted({user.pk for user in recipients} - {getattr(actor, "pk", None)})
    if not recipient_ids:
        return
    target_type = target_type_of(target)
    target_id = target.pk
    actor_id = actor.pk if actor is not None else None

    def deliver() -> None:
        notifications_deliver(
            kind=kind,
            recipient_ids=recipient_ids,
            actor_id=actor_id,
            target_type=target_type,
            target_id=target_id,
            params=cleaned,
            url=url,
        )

    # robust: a failure of delivery is logged, it never fails the request that committed.
    transaction.on_commit(deliver, robust=True)


@transaction.atomic
def notifications_deliver(
    *,
    kind: str,
    recipient_ids: list[int],
    actor_id: int | None,
    target_type: ContentType,
    target_id: int,
    params: dict[str, str | int],
    url: str,
) -> list[Notification]:
    """Store the notifications of the recipients who pass the checks (module docstring) now,
    and push and email them once stored. Returns the stored notifications."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    recipients = [
        user
        for user in User.objects.filter(pk__in=recipient_ids, is_active=True).order_by("pk")
        if user.pk != actor_id
        and person_visible(viewer=user, person=actor)
        and target_visible(user=user, target_type=target_type, target_id=target_id)
    ]
    if not recipients:
        return []
    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            actor=actor,
            target_type=target_type,
            target_id=target_id,
            params=params,
            url=url,
        )
        for user in recipients
    )
    channels = channels_for(users=recipients, kind=kind)
    for notification in notifications:
        publish_on_commit(
            notifications_group(notification.recipient_id),
            {"type": "notification.created", "id": notification.pk},
        )
        if channels[notification.recipient_id] == Channel.IMMEDIATE:
            task_enqueue_on_commit(EMAIL_TASK, notification.pk)
    return notifications
