"""Project team membership, capped at COLLAB_SPACE_MEMBER_CAP.

Per-document entries are for the team: removing a member deletes their entries on the
project's documents in the same transaction, and a new member starts with none. Every change
tells the project's open sockets to re-check what their user may see (`access_changed` logs
the removals and role changes, `access_recheck` follows an addition).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from konnaxion.core.errors import Conflict, NotFound, ValidationFailed
from konnaxion.keenkonnect.models import (
    AuditEvent,
    DocumentAccess,
    Project,
    ProjectTeam,
    UploadSession,
)
from konnaxion.keenkonnect.services import notices, real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.checkout_rules import checkouts_end_without_write
from konnaxion.keenkonnect.services.locking import project_lock
from konnaxion.keenkonnect.services.projects import ensure_owner
from konnaxion.keenkonnect.services.resumable_uploads import upload_session_terminate
from konnaxion.users.models import User
from konnaxion.users.selectors import email_verified_check

Role = ProjectTeam.Role


@transaction.atomic
def project_member_add(
    *, project: Project, user: User, role: str = Role.COLLABORATOR, actor: User | None = None
) -> ProjectTeam:
    """Add `user` to the team; `actor`, when given, must be an owner.

    The project row is locked, so the member cap holds under concurrent adds.
    Raises PermissionDenied, EmailUnverified (the actor's address is not verified), Conflict
    (already a member, team full), ValidationFailed.
    """
    if role not in Role.values:
        raise ValidationFailed(details={"fields": {"role": "unknown role"}})
    if actor is not None:
        ensure_owner(project=project, actor=actor)
        email_verified_check(actor)
    project_lock(project_id=project.pk)
    if ProjectTeam.objects.filter(project=project, user=user).exists():
        raise Conflict("Already a member of this project.", code="already_member")
    cap = settings.COLLAB_SPACE_MEMBER_CAP
    if ProjectTeam.objects.filter(project=project).count() >= cap:
        raise Conflict(
            f"A project has at most {cap} members.", code="team_full", details={"cap": cap}
        )
    membership = ProjectTeam.objects.create(project=project, user=user, role=role)
    # A newcomer starts from their role: entries left from an earlier membership (kept by a
    # removal made before entries were deleted with it) do not come back.
    _entries_delete(project=project, user=user, actor=actor, reason="member_added")
    real_time_sync.access_recheck(project_id=project.pk)
    if actor is not None:
        notices.member_added_notify(project=project, user=user, actor=actor)
    return membership


@transaction.atomic
def project_member_remove(*, project: Project, user: User, actor: User) -> None:
    """Remove a member (owners remove anyone, members remove themselves), with their entries
    on the project's documents (each deletion in the audit log), their unfinished uploads and
    their check-out locks.

    The last owner cannot leave. Raises PermissionDenied, NotFound, Conflict.
    """
    if actor.pk != user.pk:
        ensure_owner(project=project, actor=actor)
    project_lock(project_id=project.pk)
    membership = ProjectTeam.objects.filter(project=project, user=user).first()
    if membership is None:
        raise NotFound("Not a member of this project.")
    if (
        membership.role == Role.OWNER
        and ProjectTeam.objects.filter(project=project, role=Role.OWNER).count() == 1
    ):
        raise Conflict("A project keeps at least one owner.", code="last_owner")
    membership.delete()
    # Their unfinished resumable uploads go too (the bytes received so far with them).
    for session in UploadSession.objects.filter(project=project, user=user):
        upload_session_terminate(session=session)
    _entries_delete(project=project, user=user, actor=actor, reason="member_removed")
    # Their check-out locks end: nobody without the write level holds one.
    checkouts_end_without_write(project_id=project.pk, actor=actor)
    real_time_sync.access_changed(project_id=project.pk, actor=actor, change="member_removed")


def _entries_delete(*, project: Project, user: User, actor: User | None, reason: str) -> None:
    """Delete `user`'s entries on the project's documents, one audit event per document."""
    entries = list(
        DocumentAccess.objects.filter(resource__project=project, user=user)
        .select_related("resource")
        .order_by("resource_id")
    )
    for entry in entries:
        audit_record(
            project_id=project.pk,
            resource=entry.resource,
            actor=actor,
            action=AuditEvent.Action.PERMISSIONS,
            details={
                "before": [{"user": user.username, "level": entry.get_level_display()}],
                "after": [],
                "reason": reason,
            },
        )
    DocumentAccess.objects.filter(pk__in=[entry.pk for entry in entries]).delete()


@transaction.atomic
def project_member_role_set(*, project: Project, user: User, role: str, actor: User) -> ProjectTeam:
    """Change a member's role (a lock whose holder loses the write level ends). Raises
    PermissionDenied, NotFound, Conflict, ValidationFailed."""
    if role not in Role.values:
        raise ValidationFailed(details={"fields": {"role": "unknown role"}})
    ensure_owner(project=project, actor=actor)
    project_lock(project_id=project.pk)
    membership = ProjectTeam.objects.filter(project=project, user=user).first()
    if membership is None:
        raise NotFound("Not a member of this project.")
    owners = ProjectTeam.objects.filter(project=project, role=Role.OWNER).count()
    if membership.role == Role.OWNER and role != Role.OWNER and owners == 1:
        raise Conflict("A project keeps at least one owner.", code="last_owner")
    membership.role = role
    membership.save(update_fields=["role"])
    # The entries stay: they apply again under the new role (owners are admin whatever they say).
    checkouts_end_without_write(project_id=project.pk, actor=actor)
    real_time_sync.access_changed(project_id=project.pk, actor=actor, change="role_changed")
    return membership
