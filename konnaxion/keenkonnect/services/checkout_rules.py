"""What a check-out lock refuses, and how one ends (docs/checkout.md).

The services that change a document call `checkout_guard` under the document's row lock (after
the project's: keenkonnect/services/locking.py), so a lock taken meanwhile is seen: a new
version, a restore, an edit, trash or purge by anyone but the holder answers 423
`document_locked`. An expired lock counts as none. Locks end through `checkout_end`, which
audits and records `resource.unlocked`. This module sits below `document_checkout` (taking and
releasing locks) so that the services it guards can import it without a ring.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from konnaxion.core.errors import Locked
from konnaxion.keenkonnect.models import AccessLevel, AuditEvent, DocumentCheckout
from konnaxion.keenkonnect.selectors import resources_visible_to
from konnaxion.keenkonnect.services import real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.users.models import User


class DocumentLocked(Locked):
    code = "document_locked"
    message = "This document is checked out by someone else."

    @classmethod
    def by(cls, checkout: DocumentCheckout) -> DocumentLocked:
        """The refusal naming `checkout`'s holder and the time it ends."""
        until = checkout.expires_at.isoformat()
        return cls(
            f"This document is checked out by {checkout.holder.username} until {until}.",
            details={"holder": checkout.holder.username, "until": until},
        )


def checkout_active(*, resource_id: int) -> DocumentCheckout | None:
    """The document's unexpired lock with its holder, or None (an expired one counts as none)."""
    return (
        DocumentCheckout.objects.select_related("holder", "resource")
        .filter(resource_id=resource_id, expires_at__gt=timezone.now())
        .first()
    )


def checkout_guard(*, resource_id: int, actor: User) -> DocumentCheckout | None:
    """Raise DocumentLocked (423) when someone other than `actor` holds the document's lock;
    return `actor`'s own lock, or None. Called under the document's row lock by the services
    that change it (and before storing an upload, to refuse it early)."""
    checkout = checkout_active(resource_id=resource_id)
    if checkout is None:
        return None
    if checkout.holder_id != actor.pk:
        raise DocumentLocked.by(checkout)
    return checkout


def checkout_end(
    *,
    checkout: DocumentCheckout,
    actor: User | None,
    reason: str,
    action: str = AuditEvent.Action.UNLOCK,
) -> DocumentCheckout:
    """Delete the lock, audit it (`action`, with `reason`: checked_in, released, broken,
    expired, trashed, no_write_level) and record `resource.unlocked`, in the caller's
    transaction (which holds the project's and the document's row locks). Returns the deleted
    row, whose `holder` is the person to tell."""
    resource = checkout.resource
    audit_record(
        project_id=resource.project_id,
        resource=resource,
        actor=actor,
        action=action,
        details={
            "holder": checkout.holder.username,
            "until": checkout.expires_at.isoformat(),
            "note": checkout.note,
            "reason": reason,
        },
    )
    real_time_sync.event_record(
        project_id=resource.project_id,
        type="resource.unlocked",
        resource_id=resource.pk,
        version=None,
        actor=actor,
    )
    DocumentCheckout.objects.filter(pk=checkout.pk).delete()
    return checkout


def checkouts_end_without_write(
    *, project_id: int, actor: User | None, resource_id: int | None = None
) -> list[DocumentCheckout]:
    """End the locks of the project (or of one document) whose holder no longer has the write
    level: removed from the team, a role or an entry lowered. Called by the team and permission
    services under the project's row lock, after their change. Returns the ended locks."""
    checkouts: QuerySet[DocumentCheckout] = DocumentCheckout.objects.select_related(
        "holder", "resource"
    ).filter(resource__project_id=project_id)
    if resource_id is not None:
        checkouts = checkouts.filter(resource_id=resource_id)
    ended = []
    for checkout in checkouts.order_by("resource_id"):
        may_write = (
            resources_visible_to(user=checkout.holder, include_trashed=True)
            .filter(pk=checkout.resource_id, my_level__gte=AccessLevel.WRITE)
            .exists()
        )
        if not may_write:
            ended.append(checkout_end(checkout=checkout, actor=actor, reason="no_write_level"))
    return ended
