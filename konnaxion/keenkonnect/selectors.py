"""Reads of keenKonnect: every query goes through project visibility."""

from __future__ import annotations

from django.db.models import (
    Case,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentPreview,
    DocumentVersion,
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


def project_ratings_of(*, project: Project) -> QuerySet[ProjectRating]:
    return ProjectRating.objects.filter(project=project).select_related("user")


def projects_with_team(*, user) -> QuerySet[Project]:
    """Visible projects with their team prefetched (for pages that list members)."""
    return projects_visible_to(user=user).prefetch_related(
        Prefetch("team", queryset=ProjectTeam.objects.select_related("user"))
    )


LEVELS = {level.label: level.value for level in AccessLevel}


def resources_visible_to(
    *,
    user,
    project: Project | None = None,
    min_level: str = "read",
    include_trashed: bool = False,
    trashed_only: bool = False,
) -> QuerySet[ProjectResource]:
    """The one permission path of Stockage: resources annotated with the caller's effective level
    `my_level` (an AccessLevel) computed in SQL, keeping those at `min_level` or above.

    Owners are always admin; a per-document entry overrides the role's level; a public project
    gives non-members read. Trashed resources are left out unless asked for.
    """
    queryset = ProjectResource.objects.select_related(
        "project",
        "added_by",
        "trashed_by",
        "current_version",
        "current_version__uploaded_by",
    )
    if getattr(user, "is_authenticated", False):
        # Two LEFT JOINs restricted to the caller (each matches at most one row: team and entries
        # are unique per user), not correlated subqueries that run again for every row.
        queryset = queryset.annotate(
            my_team=FilteredRelation("project__team", condition=Q(project__team__user=user)),
            my_access=FilteredRelation("access_entries", condition=Q(access_entries__user=user)),
        ).annotate(my_role=F("my_team__role"), my_entry=F("my_access__level"))
        owner = Q(my_role=ProjectTeam.Role.OWNER)
        has_entry = Q(my_entry__isnull=False)
        collaborator = Q(my_role=ProjectTeam.Role.COLLABORATOR)
        mentor = Q(my_role=ProjectTeam.Role.MENTOR)
    else:
        owner = has_entry = collaborator = mentor = Q(pk__in=[])
    level = Case(
        When(owner, then=Value(AccessLevel.ADMIN)),
        When(has_entry, then="my_entry"),
        When(collaborator, then=Value(AccessLevel.WRITE)),
        When(mentor, then=Value(AccessLevel.READ)),
        When(project__visibility=Project.Visibility.PUBLIC, then=Value(AccessLevel.READ)),
        default=Value(AccessLevel.NONE),
        output_field=IntegerField(),
    )
    queryset = queryset.annotate(my_level=level).filter(my_level__gte=LEVELS[min_level])
    if project is not None:
        queryset = queryset.filter(project=project)
    if trashed_only:
        queryset = queryset.filter(trashed_at__isnull=False)
    elif not include_trashed:
        queryset = queryset.filter(trashed_at__isnull=True)
    return queryset


def resource_get_visible(
    *, user, project: Project, resource_id: int, include_trashed: bool = False
) -> ProjectResource:
    """The resource if `user` may read it (with `my_level`). Raises NotFound otherwise."""
    resource = (
        resources_visible_to(user=user, project=project, include_trashed=include_trashed)
        .filter(pk=resource_id)
        .first()
    )
    if resource is None:
        raise NotFound("No such document.")
    return resource


def versions_of(*, resource: ProjectResource) -> QuerySet[DocumentVersion]:
    """A readable resource's versions, newest first."""
    return (
        DocumentVersion.objects.filter(resource=resource)
        .select_related("uploaded_by")
        .order_by("-number")
    )


def audit_events_of(*, project: Project) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(project=project).select_related("actor", "resource")


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


def preview_of(
    *, resource: ProjectResource, size: int, version_number: int | None = None
) -> DocumentPreview | None:
    """The preview of a readable resource's version (current by default) at `size`, or None."""
    queryset = DocumentPreview.objects.select_related("blob").filter(
        version__resource=resource, size=size
    )
    if version_number is None:
        return queryset.filter(version_id=resource.current_version_id).first()
    return queryset.filter(version__number=version_number).first()


def with_preview_flag(*, resources: QuerySet[ProjectResource], size: int) -> QuerySet:
    """`resources` annotated with `has_preview`: whether their current version has a preview of
    `size` (one subquery, so a list costs the same for 2 rows or 50)."""
    return resources.annotate(
        has_preview=Exists(
            DocumentPreview.objects.filter(version_id=OuterRef("current_version_id"), size=size)
        )
    )


def project_latest_event_seq(*, project: Project) -> int:
    """The sequence number of the project's latest event, 0 before any: where a page read now
    stands in the project's event stream (`/ws/projects/<slug>/?since=`)."""
    latest = project.events.order_by("-seq").values_list("seq", flat=True).first()
    return latest or 0
