"""Reads of keenKonnect: every query goes through project visibility."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.core.search import ENGLISH_CONFIGURATION, HIGHLIGHT_START, HIGHLIGHT_STOP
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentCheckout,
    DocumentComment,
    DocumentPreview,
    DocumentVersion,
    Project,
    ProjectMessage,
    ProjectRating,
    ProjectResource,
    ProjectTask,
    ProjectTeam,
)
from konnaxion.tags.models import Tag
from konnaxion.users.models import User
from konnaxion.users.second_factor import second_factor_enrolled, second_factors_of

# allauth.mfa's page (`mfa_index`), where a person enrols a second factor.
TWO_FACTOR_PAGE = "/accounts/2fa/"


class TwoFactorRequired(ApplicationError):
    """A member of a project that requires two factors, without one: told so (not a 404, they
    know the project exists) and how to fix it. `details.enrol_at` is the page to go to."""

    code = "two_factor_required"
    status = 403
    message = (
        "This project requires two-factor authentication of its members: enrol a second "
        f"factor at {TWO_FACTOR_PAGE} to see it and its documents again."
    )

    def __init__(self, message: str | None = None, *, status: int | None = None) -> None:
        super().__init__(message, status=status, details={"enrol_at": TWO_FACTOR_PAGE})


class AccessAnnotations(TypedDict):
    """What `resources_visible_to` adds to each resource, and `projects_with_level` to each
    project: the caller's team role, the per-document entry applying to them (always None for a
    project) and their effective AccessLevel."""

    my_role: str | None
    my_entry: int | None
    my_level: int


if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ResourceWithLevel = WithAnnotations[ProjectResource, AccessAnnotations]
    ProjectWithLevel = WithAnnotations[Project, AccessAnnotations]


def is_signed_in(user: User | AnonymousUser | None) -> TypeGuard[User]:
    """Whether `user` counts as someone: signed in with an active account. A deactivated
    account is treated like an anonymous visitor everywhere (an open socket is re-checked)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def membership_counts(*, user: User, required: str) -> Q:
    """Where `user`'s place on a team counts for access, as SQL: the project does not require
    two factors (`required` names its `two_factor_required` column from the query's model), or
    `user` has a second factor. Otherwise they are treated as a non-member until they enrol."""
    return Q(**{required: False}) | Q(Exists(second_factors_of(user=user)))


def projects_visible_to(*, user: User | AnonymousUser) -> QuerySet[Project]:
    """Public projects plus the members-only projects `user` is on the team of (and counts as a
    member of: `membership_counts`)."""
    queryset = Project.objects.select_related("creator", "category").prefetch_related("tags")
    if not is_signed_in(user):
        return queryset.filter(visibility=Project.Visibility.PUBLIC)
    on_team = ProjectTeam.objects.filter(project=OuterRef("pk"), user=user)
    member = Exists(on_team) & membership_counts(user=user, required="two_factor_required")
    return queryset.filter(Q(visibility=Project.Visibility.PUBLIC) | member)


def projects_search(*, user: User | AnonymousUser, query: str) -> QuerySet[Project]:
    """Projects visible to `user` whose title, description or tags match the full-text
    `query` (websearch syntax, English stemming, accents ignored, as the other kinds of the
    platform search), best matches first: the title weighs most."""
    tag_names = (
        Tag.objects.filter(projects=OuterRef("pk"))
        .order_by()
        .values("projects")
        .annotate(names=StringAgg("name", delimiter=" ", output_field=TextField()))
        .values("names")
    )
    vector = (
        SearchVector("title", weight="A", config=ENGLISH_CONFIGURATION)
        + SearchVector("description", weight="B", config=ENGLISH_CONFIGURATION)
        + SearchVector(
            Coalesce(Subquery(tag_names), Value(""), output_field=TextField()),
            weight="B",
            config=ENGLISH_CONFIGURATION,
        )
    )
    search = SearchQuery(query, search_type="websearch", config=ENGLISH_CONFIGURATION)
    return (
        projects_visible_to(user=user)
        .annotate(vector=vector)
        .filter(vector=search)
        .annotate(
            rank=SearchRank(F("vector"), search),
            snippet=SearchHeadline(
                Coalesce(NullIf(F("description"), Value("")), F("title")),
                search,
                config=ENGLISH_CONFIGURATION,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_words=30,
                min_words=10,
            ),
        )
        .order_by("-rank", "-id")
    )


def second_factor_missing(*, project: Project, user: User | AnonymousUser) -> bool:
    """Whether `user` is on the team of `project`, which requires two factors, without having a
    second factor: they count as a non-member until they enrol one."""
    return (
        is_signed_in(user)
        and project.two_factor_required
        and ProjectTeam.objects.filter(project=project, user=user).exists()
        and not second_factor_enrolled(user=user)
    )


def project_get_visible(*, user: User | AnonymousUser, slug: str) -> Project:
    """The project `slug` if `user` may see it. Raises TwoFactorRequired for a member without
    the second factor the project requires (public project or not), NotFound otherwise."""
    project = projects_visible_to(user=user).filter(slug=slug).first()
    if project is None:
        blocked = is_signed_in(user) and (
            Project.objects.filter(slug=slug, two_factor_required=True, team__user=user).first()
        )
        if not blocked or not second_factor_missing(project=blocked, user=user):
            raise NotFound("No such project.")
        raise TwoFactorRequired()
    if second_factor_missing(project=project, user=user):
        raise TwoFactorRequired()
    return project


def project_role_of(*, project: Project, user: User | AnonymousUser) -> str | None:
    """`user`'s role in `project` (owner, collaborator, mentor), or None for a non-member and
    for a member who lacks the second factor the project requires."""
    if not is_signed_in(user):
        return None
    return (
        ProjectTeam.objects.filter(project=project, user=user)
        .filter(membership_counts(user=user, required="project__two_factor_required"))
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


def projects_with_team(*, user: User | AnonymousUser) -> QuerySet[Project]:
    """Visible projects with their team prefetched (for pages that list members)."""
    return projects_visible_to(user=user).prefetch_related(
        Prefetch("team", queryset=ProjectTeam.objects.select_related("user"))
    )


LEVELS = {level.label: level.value for level in AccessLevel}


def access_level(*, role: str, entry: str, visibility: str) -> Case:
    """The one rule of Stockage, as SQL over three columns: the caller's team `role`, their
    per-document `entry` (null when none applies) and the project's `visibility`.

    Owners are always admin; an entry overrides the role's level, up or down; then
    collaborator write, mentor read; non-members read a public project, nothing otherwise.
    """
    return Case(
        When(**{role: ProjectTeam.Role.OWNER}, then=Value(AccessLevel.ADMIN)),
        When(**{f"{entry}__isnull": False}, then=F(entry)),
        When(**{role: ProjectTeam.Role.COLLABORATOR}, then=Value(AccessLevel.WRITE)),
        When(**{role: ProjectTeam.Role.MENTOR}, then=Value(AccessLevel.READ)),
        When(**{visibility: Project.Visibility.PUBLIC}, then=Value(AccessLevel.READ)),
        default=Value(AccessLevel.NONE),
        output_field=IntegerField(),
    )


def _no_role() -> Value:
    return Value(None, output_field=CharField())


def _no_entry() -> Value:
    return Value(None, output_field=IntegerField())


def _counted_role(*, user: User, required: str) -> Case:
    """The role of the `my_team` relation, or null where it does not count (`membership_counts`)."""
    return Case(
        When(membership_counts(user=user, required=required), then=F("my_team__role")),
        default=_no_role(),
        output_field=CharField(),
    )


def projects_with_level(*, user: User | AnonymousUser) -> QuerySet[ProjectWithLevel]:
    """Visible projects annotated with `my_role` and `my_level`: the caller's level on the
    project as a whole (what a new document starts from), by the same rule as documents."""
    queryset = projects_visible_to(user=user)
    if is_signed_in(user):
        queryset = queryset.annotate(
            my_team=FilteredRelation("team", condition=Q(team__user=user))
        ).annotate(my_role=_counted_role(user=user, required="two_factor_required"))
    else:
        queryset = queryset.annotate(my_role=_no_role())
    return queryset.annotate(
        my_entry=_no_entry(),
        my_level=access_level(role="my_role", entry="my_entry", visibility="visibility"),
    )


def resources_visible_to(
    *,
    user: User | AnonymousUser,
    project: Project | None = None,
    min_level: str = "read",
    include_trashed: bool = False,
    trashed_only: bool = False,
) -> QuerySet[ResourceWithLevel]:
    """The one permission path of Stockage: resources annotated with the caller's team role
    `my_role`, the per-document entry that applies to them `my_entry` (both null for
    anonymous visitors and non-members) and their effective level `my_level` (an AccessLevel,
    `access_level`), computed in SQL, keeping those at `min_level` or above.

    An entry applies only while its user is on the project's team, and a place on the team only
    counts when the project does not require two factors or the user has a second factor
    (`membership_counts`). Trashed resources are left out unless asked for.
    """
    queryset = ProjectResource.objects.select_related(
        "project",
        "added_by",
        "trashed_by",
        "current_version",
        "current_version__uploaded_by",
        "checkout__holder",
        "current_version__labelled_by",
    )
    if is_signed_in(user):
        # Two LEFT JOINs restricted to the caller (each matches at most one row: team and entries
        # are unique per user), not correlated subqueries that run again for every row.
        queryset = (
            queryset.annotate(
                my_team=FilteredRelation("project__team", condition=Q(project__team__user=user)),
                my_access=FilteredRelation(
                    "access_entries", condition=Q(access_entries__user=user)
                ),
            )
            .annotate(
                # A member without the second factor their project requires counts as a non-member.
                my_role=_counted_role(user=user, required="project__two_factor_required"),
            )
            .annotate(
                # An entry left behind by a former member (or written around the services) is
                # ignored: entries are for the team, and only while one's place on it counts.
                my_entry=Case(
                    When(my_role__isnull=False, then=F("my_access__level")),
                    default=_no_entry(),
                    output_field=IntegerField(),
                ),
            )
        )
    else:
        queryset = queryset.annotate(my_role=_no_role(), my_entry=_no_entry())
    level = access_level(role="my_role", entry="my_entry", visibility="project__visibility")
    queryset = queryset.annotate(my_level=level).filter(my_level__gte=LEVELS[min_level])
    if project is not None:
        queryset = queryset.filter(project=project)
    if trashed_only:
        queryset = queryset.filter(trashed_at__isnull=False)
    elif not include_trashed:
        queryset = queryset.filter(trashed_at__isnull=True)
    return queryset


def resource_get_visible(
    *, user: User | AnonymousUser, project: Project, resource_id: int, include_trashed: bool = False
) -> ResourceWithLevel:
    """The resource if `user` may read it (with `my_level`). Raises NotFound otherwise."""
    resource = (
        resources_visible_to(user=user, project=project, include_trashed=include_trashed)
        .filter(pk=resource_id)
        .first()
    )
    if resource is None:
        raise NotFound("No such document.")
    return resource


def checkout_of(*, resource: ProjectResource) -> DocumentCheckout | None:
    """The document's check-out lock if it has not expired (loaded with the document by
    `resources_visible_to`), else None: an expired lock counts as none."""
    try:
        checkout = resource.checkout
    except DocumentCheckout.DoesNotExist:
        return None
    return checkout if checkout.expires_at > timezone.now() else None


def versions_of(*, resource: ProjectResource) -> QuerySet[DocumentVersion]:
    """A readable resource's versions, newest first."""
    return (
        DocumentVersion.objects.filter(resource=resource)
        .select_related("uploaded_by", "labelled_by")
        .order_by("-number")
    )


def audit_events_of(*, project: Project) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(project=project).select_related("actor", "resource")


def project_memberships_of(*, user: User | AnonymousUser) -> QuerySet[ProjectTeam]:
    """`user`'s places on project teams (newest project first), each with its project, the
    project's creator, category and tags loaded: the "My Projects" list."""
    if not is_signed_in(user):
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


def comments_of(*, resource: ProjectResource) -> QuerySet[DocumentComment]:
    """A readable document's threads (top-level comments, oldest first), with their version,
    authors, mentions and replies loaded: a list costs the same for 2 threads or 50."""
    replies = DocumentComment.objects.select_related("author", "version").prefetch_related(
        "mentions"
    )
    return (
        DocumentComment.objects.filter(resource=resource, parent__isnull=True)
        .select_related("author", "version", "resolved_by")
        .prefetch_related("mentions", Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )


def comment_get(*, resource: ProjectResource, comment_id: int) -> DocumentComment:
    """One comment of a readable document. Raises NotFound."""
    comment = (
        DocumentComment.objects.filter(resource=resource, pk=comment_id)
        .select_related("author", "version", "resolved_by", "parent")
        .first()
    )
    if comment is None:
        raise NotFound("No such comment.")
    return comment


# How close (pg_trgm similarity, 0 to 1) a word of the vocabulary must be to a searched word
# to be offered for it.
CORRECTION_SIMILARITY = 0.4


def search_words_closest(*, words: list[str]) -> dict[str, str]:
    """For each of `words` that no document holds (compared lowercased and without accents),
    the closest word documents hold (trigram similarity above CORRECTION_SIMILARITY; the most
    similar, then the most common): {word: correction}. Documents of every project are read:
    the caller must check that a correction finds something the user may see."""
    if not words:
        return {}
    with transaction.atomic(), connection.cursor() as cursor:
        # `%` takes the threshold from this setting and is answered by the trigram index.
        cursor.execute(
            "SELECT set_config('pg_trgm.similarity_threshold', %s, true)",
            [str(CORRECTION_SIMILARITY)],
        )
        cursor.execute(
            """
            SELECT typed.word, (
                SELECT known.word FROM keenkonnect_searchword AS known
                WHERE known.word %% typed.plain AND similarity(known.word, typed.plain) > %s
                ORDER BY similarity(known.word, typed.plain) DESC, known.documents DESC,
                    known.word
                LIMIT 1)
            FROM (
                SELECT word, lower(unaccent(word)) AS plain FROM unnest(%s::text[]) AS word
            ) AS typed
            WHERE NOT EXISTS (
                SELECT 1 FROM keenkonnect_searchword AS known WHERE known.word = typed.plain)
            """,
            [CORRECTION_SIMILARITY, list(words)],
        )
        return {word: correction for word, correction in cursor.fetchall() if correction}
