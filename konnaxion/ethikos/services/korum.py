"""Korum: debates, stances, threaded arguments and their moderation by reports."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from konnaxion.core.errors import Conflict, PermissionDenied, ValidationFailed
from konnaxion.core.permissions import is_moderator
from konnaxion.ethikos.models import (
    EthikosArgument,
    EthikosArgumentReport,
    EthikosCategory,
    EthikosStance,
    EthikosTopic,
)
from konnaxion.users.models import User


def _open_topic_locked(*, topic: EthikosTopic) -> EthikosTopic:
    locked = EthikosTopic.objects.select_for_update().get(pk=topic.pk)
    now = timezone.now()
    if (
        locked.status != EthikosTopic.Status.OPEN
        or locked.start_date > now
        or (locked.end_date is not None and locked.end_date <= now)
    ):
        raise Conflict("This debate is not open.", code="topic_not_open")
    return locked


@transaction.atomic
def topic_create(
    *,
    created_by: User,
    title: str,
    description: str = "",
    category: EthikosCategory | None = None,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
) -> EthikosTopic:
    """Open a debate (from now unless `start_date` says otherwise). Raises ValidationFailed."""
    start_date = start_date or timezone.now()
    if not title.strip():
        raise ValidationFailed(details={"fields": {"title": "blank"}})
    if end_date is not None and end_date < start_date:
        raise ValidationFailed(
            "The end date is before the start date.",
            details={"fields": {"end_date": "before start_date"}},
        )
    return EthikosTopic.objects.create(
        created_by=created_by,
        title=title.strip(),
        description=description,
        category=category,
        start_date=start_date,
        end_date=end_date,
    )


@transaction.atomic
def topic_status_set(*, topic: EthikosTopic, actor: User, status: str) -> EthikosTopic:
    """Close, archive or reopen a debate: its creator or a moderator. Raises PermissionDenied."""
    if actor.pk != topic.created_by_id and not is_moderator(actor):
        raise PermissionDenied("Only the debate's creator or a moderator changes its status.")
    if status not in EthikosTopic.Status.values:
        raise ValidationFailed(details={"fields": {"status": "unknown status"}})
    topic.status = status
    topic.save(update_fields=["status"])
    return topic


@transaction.atomic
def stance_set(*, topic: EthikosTopic, user: User, value: int) -> EthikosStance:
    """Record the user's stance (-3 ... +3) on an open topic, replacing an earlier one.

    Raises ValidationFailed (out of range), Conflict (topic not open).
    """
    if isinstance(value, bool) or not isinstance(value, int) or not -3 <= value <= 3:
        raise ValidationFailed(
            "A stance is an integer from -3 to +3.", details={"fields": {"value": "out of range"}}
        )
    topic = _open_topic_locked(topic=topic)
    stance, _ = EthikosStance.objects.update_or_create(
        topic=topic, user=user, defaults={"value": value}
    )
    return stance


@transaction.atomic
def argument_post(
    *,
    topic: EthikosTopic,
    author: User,
    content: str,
    parent: EthikosArgument | None = None,
    side: str = "",
) -> EthikosArgument:
    """Add an argument (or a reply to `parent`, which must be in the same topic) to an open topic.

    Raises ValidationFailed, Conflict (topic not open).
    """
    if not content.strip():
        raise ValidationFailed(details={"fields": {"content": "blank"}})
    if parent is not None and parent.topic_id != topic.pk:
        raise ValidationFailed(
            "A reply belongs to its parent's debate.",
            details={"fields": {"parent": "in another topic"}},
        )
    topic = _open_topic_locked(topic=topic)
    return EthikosArgument.objects.create(
        topic=topic, author=author, content=content.strip(), parent=parent, side=side
    )


@transaction.atomic
def argument_report(
    *, argument: EthikosArgument, reporter: User, reason: str = ""
) -> EthikosArgument:
    """Report an argument once; it is hidden once ETHIKOS_AUTO_HIDE_REPORTS distinct users have.

    The argument row is locked, so concurrent reports count exactly. Raises ValidationFailed (own
    argument), Conflict (already reported by this user).
    """
    if argument.author_id == reporter.pk:
        raise ValidationFailed("You cannot report your own argument.", code="own_argument")
    argument = EthikosArgument.objects.select_for_update().get(pk=argument.pk)
    try:
        with transaction.atomic():
            EthikosArgumentReport.objects.create(
                argument=argument, reporter=reporter, reason=reason[:255]
            )
    except IntegrityError as error:
        raise Conflict("You already reported this argument.", code="already_reported") from error
    reporters = argument.reports.values("reporter").distinct().count()
    if not argument.is_hidden and reporters >= settings.ETHIKOS_AUTO_HIDE_REPORTS:
        argument.is_hidden = True
        argument.save(update_fields=["is_hidden"])
    return argument
