"""Project team membership, capped at COLLAB_SPACE_MEMBER_CAP."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from konnaxion.core.errors import Conflict, NotFound, ValidationFailed
from konnaxion.keenkonnect.models import Project, ProjectTeam
from konnaxion.keenkonnect.services import real_time_sync
from konnaxion.keenkonnect.services.locking import project_lock
from konnaxion.keenkonnect.services.projects import ensure_owner

Role = ProjectTeam.Role


@transaction.atomic
def project_member_add(
    *, project: Project, user, role: str = Role.COLLABORATOR, actor=None
) -> ProjectTeam:
    """Add `user` to the team; `actor`, when given, must be an owner.

    The project row is locked, so the member cap holds under concurrent adds.
    Raises PermissionDenied, Conflict (already a member, team full), ValidationFailed.
    """
    if role not in Role.values:
        raise ValidationFailed(details={"fields": {"role": "unknown role"}})
    if actor is not None:
        ensure_owner(project=project, actor=actor)
    project_lock(project_id=project.pk)
    if ProjectTeam.objects.filter(project=project, user=user).exists():
        raise Conflict("Already a member of this project.", code="already_member")
    cap = settings.COLLAB_SPACE_MEMBER_CAP
    if ProjectTeam.objects.filter(project=project).count() >= cap:
        raise Conflict(
            f"A project has at most {cap} members.", code="team_full", details={"cap": cap}
        )
    membership = ProjectTeam.objects.create(project=project, user=user, role=role)
    real_time_sync.membership_changed(project_id=project.pk, user_id=user.pk, removed=False)
    return membership


@transaction.atomic
def project_member_remove(*, project: Project, user, actor) -> None:
    """Remove a member (owners remove anyone, members remove themselves).

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
    real_time_sync.membership_changed(project_id=project.pk, user_id=user.pk, removed=True)


@transaction.atomic
def project_member_role_set(*, project: Project, user, role: str, actor) -> ProjectTeam:
    """Change a member's role. Raises PermissionDenied, NotFound, Conflict, ValidationFailed."""
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
    real_time_sync.membership_changed(project_id=project.pk, user_id=user.pk, removed=False)
    return membership
