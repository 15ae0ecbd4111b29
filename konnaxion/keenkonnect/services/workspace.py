"""Tasks and messages of a project: written by its team (documents: secure_document_storage)."""

from __future__ import annotations

from typing import Any

from konnaxion.core.errors import PermissionDenied, ValidationFailed
from konnaxion.keenkonnect.models import (
    Project,
    ProjectMessage,
    ProjectTask,
    ProjectTeam,
)
from konnaxion.keenkonnect.selectors import project_role_of
from konnaxion.users.models import User

TASK_FIELDS = ("title", "description", "status", "assignee", "due_date")


def ensure_member(*, project: Project, actor: User) -> str:
    """`actor`'s role in the project. Raises PermissionDenied for non-members."""
    role = project_role_of(project=project, user=actor)
    if role is None:
        raise PermissionDenied("Only the project's team may do this.")
    return role


def _ensure_assignee_on_team(*, project: Project, assignee: User | None) -> None:
    if (
        assignee is not None
        and not ProjectTeam.objects.filter(project=project, user=assignee).exists()
    ):
        raise ValidationFailed(details={"fields": {"assignee": "not on the project's team"}})


def project_task_create(*, project: Project, actor: User, title: str, **fields: Any) -> ProjectTask:
    """A task on the board. Raises PermissionDenied, ValidationFailed."""
    ensure_member(project=project, actor=actor)
    _ensure_assignee_on_team(project=project, assignee=fields.get("assignee"))
    fields = {k: v for k, v in fields.items() if k in TASK_FIELDS}
    return ProjectTask.objects.create(project=project, created_by=actor, title=title, **fields)


def project_task_update(*, task: ProjectTask, actor: User, **fields: Any) -> ProjectTask:
    """Change a task (any team member). Raises PermissionDenied, ValidationFailed."""
    ensure_member(project=task.project, actor=actor)
    if "assignee" in fields:
        _ensure_assignee_on_team(project=task.project, assignee=fields["assignee"])
    for name in TASK_FIELDS:
        if name in fields:
            setattr(task, name, fields[name])
    task.save()
    return task


def project_task_delete(*, task: ProjectTask, actor: User) -> None:
    ensure_member(project=task.project, actor=actor)
    task.delete()


def project_message_post(*, project: Project, actor: User, content: str) -> ProjectMessage:
    """A message in the project's thread. Raises PermissionDenied, ValidationFailed."""
    ensure_member(project=project, actor=actor)
    if not content.strip():
        raise ValidationFailed(details={"fields": {"content": "blank"}})
    return ProjectMessage.objects.create(project=project, author=actor, content=content)


def project_message_update(*, message: ProjectMessage, actor: User, content: str) -> ProjectMessage:
    """Authors edit their own messages. Raises PermissionDenied, ValidationFailed."""
    if message.author_id != actor.pk:
        raise PermissionDenied("Only the author may edit a message.")
    if not content.strip():
        raise ValidationFailed(details={"fields": {"content": "blank"}})
    message.content = content
    message.save(update_fields=["content", "updated_at"])
    return message


def project_message_delete(*, message: ProjectMessage, actor: User) -> None:
    """Authors and project owners delete messages. Raises PermissionDenied."""
    if (
        message.author_id != actor.pk
        and project_role_of(project=message.project, user=actor) != ProjectTeam.Role.OWNER
    ):
        raise PermissionDenied("Only the author or an owner may delete a message.")
    message.delete()
