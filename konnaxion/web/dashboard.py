"""Reads of the signed-in home page: a few of each of one's projects (with their latest
activity), rooms, unread notifications and opportunities closing soon.

Selectors only, no writes: every block starts from the selector its own page uses, so the home
page shows nothing its owner could not open, and each block costs a fixed number of queries
whatever the number of rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from konnaxion.keenkonnect import selectors as stockage
from konnaxion.keenkonnect.models import (
    DocumentComment,
    DocumentVersion,
    ProjectResource,
    ProjectTeam,
)
from konnaxion.kreative.models import CollabSession, Opportunity
from konnaxion.kreative.selectors import opportunities_visible_to, users_hidden_from
from konnaxion.notifications.models import Notification
from konnaxion.notifications.selectors import notifications_visible_to
from konnaxion.users.models import User
from konnaxion.web.workspace_selectors import rooms_of

PROJECTS_SHOWN = 6
ROOMS_SHOWN = 5
NOTIFICATIONS_SHOWN = 5
OPPORTUNITIES_SHOWN = 4
# "Closing soon" on the home page: the reminders' window (OPPORTUNITY_CLOSING_SOON_HOURS) or
# two weeks, whichever is longer, so that the block is worth a look before the reminder comes.
CLOSING_SOON_MIN_DAYS = 14


@dataclass(frozen=True)
class Activity:
    """The latest thing that happened to a project's documents, as its reader may see it."""

    kind: str  # "version" or "comment"
    document: ProjectResource
    who: User | None
    when: datetime
    number: int | None = None


@dataclass(frozen=True)
class ProjectCard:
    membership: ProjectTeam
    activity: Activity | None


def projects_of(*, user: User) -> tuple[list[ProjectCard], bool]:
    """`user`'s first projects (as on "My Projects"), each with the latest version uploaded or
    comment written on a document `user` may read; and whether there are more projects.
    Three queries, whatever the number of projects or documents."""
    memberships = list(stockage.project_memberships_of(user=user)[: PROJECTS_SHOWN + 1])
    more = len(memberships) > PROJECTS_SHOWN
    memberships = memberships[:PROJECTS_SHOWN]
    ids = [membership.project_id for membership in memberships]
    latest = _latest_activity(user=user, project_ids=ids) if ids else {}
    cards = [ProjectCard(m, latest.get(m.project_id)) for m in memberships]
    return cards, more


def _latest_activity(*, user: User, project_ids: list[int]) -> dict[int, Activity]:
    readable = (
        stockage.resources_visible_to(user=user).filter(project_id__in=project_ids).values("pk")
    )
    versions = (
        DocumentVersion.objects.filter(resource__in=readable)
        .select_related("uploaded_by", "resource")
        .order_by("resource__project_id", "-created_at", "-id")
        .distinct("resource__project_id")
    )
    comments = (
        DocumentComment.objects.filter(resource__in=readable, deleted_at__isnull=True)
        .exclude(author__in=users_hidden_from(user=user))
        .select_related("author", "resource")
        .order_by("resource__project_id", "-created_at", "-id")
        .distinct("resource__project_id")
    )
    latest: dict[int, Activity] = {}
    found = [
        Activity("version", v.resource, v.uploaded_by, v.created_at, v.number) for v in versions
    ] + [Activity("comment", c.resource, c.author, c.created_at) for c in comments]
    for activity in found:
        project_id = activity.document.project_id
        if project_id not in latest or activity.when > latest[project_id].when:
            latest[project_id] = activity
    return latest


def rooms_shown(*, user: User) -> QuerySet[CollabSession]:
    """`user`'s first rooms, open ones first (the Workspace tab's order)."""
    return rooms_of(user=user)[:ROOMS_SHOWN]


def unread_notifications(*, user: User) -> QuerySet[Notification]:
    """`user`'s unread notifications they may still see, newest first."""
    return notifications_visible_to(user=user).filter(read_at__isnull=True)


def closing_soon_window() -> timedelta:
    return max(
        timedelta(hours=settings.OPPORTUNITY_CLOSING_SOON_HOURS),
        timedelta(days=CLOSING_SOON_MIN_DAYS),
    )


def opportunities_closing_soon(*, user: User) -> QuerySet[Opportunity]:
    """Open opportunities `user` may see whose deadline falls within `closing_soon_window`,
    the soonest first."""
    now = timezone.now()
    return (
        opportunities_visible_to(user=user)
        .filter(
            status=Opportunity.Status.OPEN,
            deadline__gt=now,
            deadline__lte=now + closing_soon_window(),
        )
        .order_by("deadline", "id")[:OPPORTUNITIES_SHOWN]
    )
