"""document_checkout: check a document out (lock it), check it in, break someone's lock.

A person with the write level locks a document for a while (STOCKAGE_CHECKOUT_DEFAULT_HOURS,
at most STOCKAGE_CHECKOUT_MAX_HOURS) with an optional note; one lock per document at most (the
primary key of DocumentCheckout, and the project's then the document's row lock while it is
taken). The holder checks in by uploading a new version or by unlocking; a project owner may
break the lock; an expired lock counts as none and the sweep removes it. What a lock refuses:
`checkout_rules`. Docs: docs/checkout.md.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from konnaxion.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentCheckout,
    ProjectResource,
    ProjectTeam,
)
from konnaxion.keenkonnect.selectors import project_role_of
from konnaxion.keenkonnect.services import notices, real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.checkout_rules import (
    DocumentLocked,
    checkout_active,
    checkout_end,
)
from konnaxion.keenkonnect.services.granular_permissions import ensure_level, ensure_level_now
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.users.models import User

if TYPE_CHECKING:  # a type that exists for the type checker only
    from konnaxion.keenkonnect.selectors import ResourceWithLevel

MAX_NOTE_CHARS = 500


class NotCheckedOut(Conflict):
    code = "not_checked_out"
    message = "This document is not checked out."


def checkout_hours_allowed(hours: int | None) -> int:
    """`hours`, or the default when None. Raises ValidationFailed outside 1..the maximum."""
    if hours is None:
        return int(settings.STOCKAGE_CHECKOUT_DEFAULT_HOURS)
    maximum = int(settings.STOCKAGE_CHECKOUT_MAX_HOURS)
    if not 1 <= hours <= maximum:
        raise ValidationFailed(
            f"A check-out lasts from 1 to {maximum} hours.",
            details={"fields": {"hours": f"from 1 to {maximum}"}, "max_hours": maximum},
        )
    return hours


def _locked_row(resource: ResourceWithLevel) -> ProjectResource:
    locked = resource_lock(resource_id=resource.pk)
    if locked is None or locked.trashed_at is not None:
        raise NotFound("No such document.")
    return locked


@transaction.atomic
def checkout_acquire(
    *, resource: ResourceWithLevel, actor: User, note: str = "", hours: int | None = None
) -> DocumentCheckout:
    """Lock `resource` for `actor` (write level) for `hours` (default the setting), or renew
    their own lock. Someone else's unexpired lock raises DocumentLocked (423) naming them; an
    expired one is ended first. Raises NotFound, PermissionDenied, ValidationFailed."""
    ensure_level(resource=resource, needed=AccessLevel.WRITE)
    duration = timedelta(hours=checkout_hours_allowed(hours))
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationFailed(details={"fields": {"note": f"at most {MAX_NOTE_CHARS} characters"}})
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.WRITE)
    _locked_row(resource)
    existing = (
        DocumentCheckout.objects.select_related("holder", "resource")
        .filter(resource_id=resource.pk)
        .first()
    )
    now = timezone.now()
    if existing is not None and existing.holder_id != actor.pk:
        if existing.expires_at > now:
            raise DocumentLocked.by(existing)
        checkout_end(checkout=existing, actor=None, reason="expired")
        existing = None
    if existing is None:
        checkout = DocumentCheckout.objects.create(
            resource_id=resource.pk, holder=actor, note=note, expires_at=now + duration
        )
    else:
        checkout = existing
        checkout.note = note
        checkout.expires_at = now + duration
        checkout.save(update_fields=["note", "expires_at"])
    until = checkout.expires_at.isoformat()
    audit_record(
        project_id=resource.project_id,
        resource=resource,
        actor=actor,
        action=AuditEvent.Action.LOCK,
        details={"until": until, "note": note, "renewed": existing is not None},
    )
    real_time_sync.event_record(
        project_id=resource.project_id,
        type="resource.locked",
        resource_id=resource.pk,
        version=None,
        actor=actor,
        payload={"holder": actor.username, "until": until},
    )
    return checkout


@transaction.atomic
def checkout_release(*, resource: ResourceWithLevel, actor: User) -> DocumentCheckout:
    """Check the document in without a new version (the holder only). Raises NotCheckedOut
    (409), DocumentLocked (423, someone else holds it: owners break it with `checkout_break`),
    NotFound."""
    ensure_level(resource=resource, needed=AccessLevel.READ)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.READ)
    _locked_row(resource)
    checkout = checkout_active(resource_id=resource.pk)
    if checkout is None:
        raise NotCheckedOut()
    if checkout.holder_id != actor.pk:
        raise DocumentLocked.by(checkout)
    return checkout_end(checkout=checkout, actor=actor, reason="released")


@transaction.atomic
def checkout_break(*, resource: ResourceWithLevel, actor: User) -> DocumentCheckout:
    """End someone's lock (project owners only), in the audit log as `lock_break`. Returns the
    broken lock; its `holder` is told (`lock_broken`). Raises NotFound,
    PermissionDenied (403: not an owner), NotCheckedOut (409)."""
    ensure_level(resource=resource, needed=AccessLevel.READ)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.READ)
    if project_role_of(project=resource.project, user=actor) != ProjectTeam.Role.OWNER:
        raise PermissionDenied("Only the project's owners may break a check-out.")
    _locked_row(resource)
    checkout = checkout_active(resource_id=resource.pk)
    if checkout is None:
        raise NotCheckedOut()
    broken = checkout_end(
        checkout=checkout, actor=actor, reason="broken", action=AuditEvent.Action.LOCK_BREAK
    )
    notices.lock_broken_notify(resource=broken.resource, holder=broken.holder, actor=actor)
    return broken


def checkouts_expire() -> int:
    """Remove the expired locks, each audited and announced (`resource.unlocked`) with no
    actor. Idempotent; returns how many were removed."""
    removed = 0
    expired = DocumentCheckout.objects.filter(expires_at__lte=timezone.now())
    for resource_id, project_id in expired.values_list("resource_id", "resource__project_id"):
        with transaction.atomic():
            try:
                project_lock(project_id=project_id)
            except NotFound:
                continue  # the project was deleted meanwhile, with its locks
            if resource_lock(resource_id=resource_id) is None:
                continue
            checkout = (
                DocumentCheckout.objects.select_related("holder", "resource")
                .filter(resource_id=resource_id, expires_at__lte=timezone.now())
                .first()
            )
            if checkout is None:
                continue  # renewed or ended meanwhile
            checkout_end(checkout=checkout, actor=None, reason="expired")
            removed += 1
    return removed
