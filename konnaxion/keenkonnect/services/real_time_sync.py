"""real_time_sync: the per-project event log and its delivery to connected clients.

Services call `event_record` inside their transaction: the event gets the project's next
sequence number (allocated under the project's row lock, so numbers follow commit order) and is
published to the project's channel group after the commit. The log is kept
REALTIME_EVENT_RETENTION_DAYS days so a client that reconnects with `since` misses nothing.
Which events a user may see is decided per recipient by `events_visible_to` (docs/search.md).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, OuterRef, Subquery
from django.utils import timezone

from konnaxion.core.realtime import publish_on_commit
from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, ProjectEvent
from konnaxion.keenkonnect.services.locking import project_lock
from konnaxion.users.models import User

EVENT_TYPES = (
    "resource.added",
    "resource.version_added",
    "resource.restored",
    "resource.updated",
    "resource.version_labelled",
    "resource.trashed",
    "resource.removed",
    "resource.indexed",
    "resource.permissions_changed",
    "resource.locked",
    "resource.unlocked",
    "project.access_changed",
    "comment.added",
    "comment.updated",
    "comment.deleted",
    "comment.resolved",
    "comment.reopened",
)


def project_group(project_id: int) -> str:
    """The channel group of a project's connected clients."""
    return f"project-{project_id}"


def event_as_message(event: ProjectEvent, *, actor_name: str | None) -> dict[str, Any]:
    """The thin payload a client receives: ids, version, actor, time and sequence number (and a
    lock's holder and end for `resource.locked`, delivered only to those who may read the
    document; the comment's and its thread's ids for `comment.*`)."""
    message = {
        "type": event.type,
        "seq": event.seq,
        "resource": event.resource_id,
        "version": event.version,
        "actor": actor_name,
        "at": event.created_at.isoformat(),
    }
    for name in ("state", "change", "holder", "until", "comment", "thread"):
        if name in event.payload:
            message[name] = event.payload[name]
    return message


def event_record(
    *,
    project_id: int,
    type: str,
    resource_id: int | None,
    version: int | None,
    actor: User | None,
    payload: dict[str, Any] | None = None,
) -> ProjectEvent:
    """Append an event to the project's log and publish it after the commit (a channel layer
    that is down loses the live delivery only: clients resume from the log)."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type}")
    payload = dict(payload or {})
    if type == "resource.removed" and resource_id is not None:
        # The entries vanish with the document: remember who was kept out of it (entries apply
        # only to the team, as in selectors.access_level).
        payload["hidden_from"] = list(
            DocumentAccess.objects.filter(
                resource_id=resource_id,
                level=AccessLevel.NONE,
                user__project_memberships__project_id=project_id,
            ).values_list("user_id", flat=True)
        )
    with transaction.atomic():
        project_lock(project_id=project_id)
        latest = ProjectEvent.objects.filter(project_id=project_id).aggregate(seq=Max("seq"))
        event = ProjectEvent.objects.create(
            project_id=project_id,
            seq=(latest["seq"] or 0) + 1,
            type=type,
            resource_id=resource_id,
            version=version,
            actor=actor if getattr(actor, "pk", None) else None,
            payload=payload,
        )
    message = event_as_message(event, actor_name=getattr(actor, "username", None))
    publish_on_commit(
        project_group(project_id),
        {
            "type": "project.event",
            "event": message,
            "hidden_from": payload.get("hidden_from", []),
            "revoked_from": payload.get("revoked_from", []),
        },
    )
    return event


def access_changed(*, project_id: int, actor: User, change: str) -> ProjectEvent:
    """Log that who may see what in the project changed (`change`: member_removed,
    role_changed, visibility_changed, project_deleted), in the caller's transaction. Every open
    socket of the project re-checks its user's access when it hears it: it forgets what it knew
    of each document, and closes (4404) if the project is no longer visible to its user."""
    return event_record(
        project_id=project_id,
        type="project.access_changed",
        resource_id=None,
        version=None,
        actor=actor,
        payload={"change": change},
    )


def access_recheck(*, project_id: int) -> None:
    """After the commit, ask the project's open sockets to re-check their access, without a
    logged event (a change that takes nothing away from anyone, such as a new member)."""
    publish_on_commit(project_group(project_id), {"type": "project.access"})


def events_since(*, project_id: int, since: int) -> tuple[bool, list[ProjectEvent]]:
    """The logged events after `since`, in order, and whether they fill the gap (False when
    events after `since` were already pruned or `since` is ahead of the log)."""
    bounds = ProjectEvent.objects.filter(project_id=project_id).aggregate(
        oldest=Min("seq"), latest=Max("seq")
    )
    latest = bounds["latest"] or 0
    if since > latest:
        return False, []
    complete = bounds["oldest"] is None or since >= bounds["oldest"] - 1
    events = list(
        ProjectEvent.objects.filter(project_id=project_id, seq__gt=since)
        .select_related("actor")
        .order_by("seq")
    )
    return complete, events


def project_events_prune() -> int:
    """Delete events older than REALTIME_EVENT_RETENTION_DAYS, keeping each project's latest
    (its sequence number is the resume point). Idempotent; returns how many were deleted."""
    cutoff = timezone.now() - timedelta(days=settings.REALTIME_EVENT_RETENTION_DAYS)
    latest = (
        ProjectEvent.objects.filter(project=OuterRef("project")).order_by("-seq").values("seq")[:1]
    )
    deleted, _ = ProjectEvent.objects.filter(
        created_at__lt=cutoff, seq__lt=Subquery(latest)
    ).delete()
    return deleted
