"""Co-creation: projects and the contributions their owner reviews."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from konnaxion.core.errors import Conflict, PermissionDenied, ValidationFailed
from konnaxion.konnected.models import CoCreationContribution, CoCreationProject
from konnaxion.users.models import User


@transaction.atomic
def cocreation_project_create(
    *, owner: User, title: str, description: str = ""
) -> CoCreationProject:
    """Start a project as a draft. Raises ValidationFailed."""
    if not title.strip():
        raise ValidationFailed(details={"fields": {"title": "blank"}})
    return CoCreationProject.objects.create(
        owner=owner, title=title.strip(), description=description
    )


@transaction.atomic
def cocreation_project_status_set(
    *, project: CoCreationProject, actor: User, status: str
) -> CoCreationProject:
    """Activate or archive one's own project. Raises PermissionDenied, ValidationFailed."""
    if project.owner_id != actor.pk:
        raise PermissionDenied("Only the project's owner changes its status.")
    if status not in CoCreationProject.Status.values:
        raise ValidationFailed(details={"fields": {"status": "unknown status"}})
    project.status = status
    project.save(update_fields=["status"])
    return project


@transaction.atomic
def contribution_submit(
    *, project: CoCreationProject, user: User, content: str
) -> CoCreationContribution:
    """Propose a contribution to a draft or active project.

    At most MAX_CONTRIBUTION_DRAFTS may be pending per user: the user's row is locked while
    counting, so concurrent submissions cannot exceed it. Raises ValidationFailed, Conflict.
    """
    if not content.strip():
        raise ValidationFailed(details={"fields": {"content": "blank"}})
    if project.status == CoCreationProject.Status.ARCHIVED:
        raise Conflict("This project is archived.", code="project_archived")
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    pending = CoCreationContribution.objects.filter(
        user=user, status=CoCreationContribution.Status.PENDING
    ).count()
    if pending >= settings.MAX_CONTRIBUTION_DRAFTS:
        raise Conflict(
            f"You already have {pending} pending contributions.",
            code="too_many_pending_contributions",
            details={"limit": settings.MAX_CONTRIBUTION_DRAFTS},
        )
    return CoCreationContribution.objects.create(
        project=project, user=user, content=content.strip()
    )


@transaction.atomic
def contribution_review(
    *, contribution: CoCreationContribution, actor: User, status: str
) -> CoCreationContribution:
    """The project owner accepts or rejects a pending contribution.

    Raises PermissionDenied, ValidationFailed, Conflict (already reviewed).
    """
    contribution = (
        CoCreationContribution.objects.select_for_update()
        .select_related("project")
        .get(pk=contribution.pk)
    )
    if contribution.project.owner_id != actor.pk:
        raise PermissionDenied("Only the project's owner reviews contributions.")
    if status not in (
        CoCreationContribution.Status.ACCEPTED,
        CoCreationContribution.Status.REJECTED,
    ):
        raise ValidationFailed(details={"fields": {"status": "accepted or rejected"}})
    if contribution.status != CoCreationContribution.Status.PENDING:
        raise Conflict("This contribution was already reviewed.", code="already_reviewed")
    contribution.status = status
    contribution.save(update_fields=["status"])
    return contribution
