"""Reads of keenKonnect: every query goes through project visibility."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect.models import (
    Project,
    ProjectMessage,
    ProjectRating,
    ProjectResource,
    ProjectTask,
    ProjectTeam,
)


def projects_visible_to(*, user) -> QuerySet[Project]:
    """Public projects plus the members-only projects `user` is on the team of."""
    queryset = Project.objects.select_related("creator", "category").prefetch_related("tags")
    if not getattr(user, "is_authenticated", False):
        return queryset.filter(visibility=Project.Visibility.PUBLIC)
    on_team = ProjectTeam.objects.filter(project=OuterRef("pk"), user=user)
    return queryset.filter(Q(visibility=Project.Visibility.PUBLIC) | Exists(on_team))


def project_get_visible(*, user, slug: str) -> Project:
    """The project `slug` if `user` may see it. Raises NotFound otherwise."""
    project = projects_visible_to(user=user).filter(slug=slug).first()
    if project is None:
        raise NotFound("No such project.")
    return project


def project_role_of(*, project: Project, user) -> str | None:
    """`user`'s role in `project` (owner, collaborator, mentor) or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ProjectTeam.objects.filter(project=project, user=user)
        .values_list("role", flat=True)
        .first()
    )


def project_team_of(*, project: Project) -> QuerySet[ProjectTeam]:
    return ProjectTeam.objects.filter(project=project).select_related("user")


def project_tasks_of(*, project: Project) -> QuerySet[ProjectTask]:
    return ProjectTask.objects.filter(project=project).select_related("assignee", "created_by")


def project_messages_of(*, project: Project) -> QuerySet[ProjectMessage]:
    return ProjectMessage.objects.filter(project=project).select_related("author")


def project_resources_of(*, project: Project) -> QuerySet[ProjectResource]:
    return ProjectResource.objects.filter(project=project).select_related("added_by")


def project_ratings_of(*, project: Project) -> QuerySet[ProjectRating]:
    return ProjectRating.objects.filter(project=project).select_related("user")


def projects_with_team(*, user) -> QuerySet[Project]:
    """Visible projects with their team prefetched (for pages that list members)."""
    return projects_visible_to(user=user).prefetch_related(
        Prefetch("team", queryset=ProjectTeam.objects.select_related("user"))
    )


def project_memberships_of(*, user) -> QuerySet[ProjectTeam]:
    """`user`'s places on project teams (newest project first), each with its project, the
    project's creator, category and tags loaded: the "My Projects" list."""
    if not getattr(user, "is_authenticated", False):
        return ProjectTeam.objects.none()
    return (
        ProjectTeam.objects.filter(user=user)
        .select_related("project", "project__creator", "project__category")
        .prefetch_related("project__tags")
        .order_by("-project__created_at", "-project__id")
    )
