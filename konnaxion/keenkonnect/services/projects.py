"""Projects: created with their creator as owner, edited by owners."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from konnaxion.core.errors import PermissionDenied, ValidationFailed
from konnaxion.ekoh.models import ExpertiseCategory
from konnaxion.keenkonnect.models import AuditEvent, Project, ProjectRating, ProjectTeam
from konnaxion.keenkonnect.selectors import TWO_FACTOR_PAGE, TwoFactorRequired, project_role_of
from konnaxion.keenkonnect.services import real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.locking import project_lock
from konnaxion.tags.services import tags_get_or_create
from konnaxion.users.models import User
from konnaxion.users.second_factor import second_factor_enrolled

Role = ProjectTeam.Role
SLUG_MAX = 200
EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "status",
    "visibility",
    "links_allowed",
    "two_factor_required",
)


def project_slug_for(title: str) -> str:
    """A slug derived from `title` that no project uses yet (suffixed when needed)."""
    base = slugify(title)[:SLUG_MAX].strip("-") or "project"
    slug = base
    while Project.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6).lower()}"
    return slug


def project_create(
    *,
    creator: User,
    title: str,
    description: str = "",
    category: ExpertiseCategory | None = None,
    status: str = Project.Status.DRAFT,
    visibility: str = Project.Visibility.PUBLIC,
    tags: list[str] | None = None,
    links_allowed: bool = False,
    two_factor_required: bool = False,
) -> Project:
    """A project whose slug comes from its title (and never changes); the creator is its owner.
    Requiring two factors of its members needs the creator's own second factor (TwoFactorRequired,
    409), as in `project_update`."""
    if not title.strip():
        raise ValidationFailed(details={"fields": {"title": "blank"}})
    if two_factor_required:
        _ensure_own_second_factor(actor=creator)
    for attempt in range(5):
        try:
            with transaction.atomic():
                project = Project.objects.create(
                    creator=creator,
                    title=title,
                    slug=project_slug_for(title),
                    description=description,
                    category=category,
                    status=status,
                    visibility=visibility,
                    links_allowed=links_allowed,
                    two_factor_required=two_factor_required,
                )
                ProjectTeam.objects.create(project=project, user=creator, role=Role.OWNER)
                if tags:
                    project.tags.set(tags_get_or_create(names=tags))
                return project
        except IntegrityError:
            # Two projects of the same title raced for one slug: take another.
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def _ensure_own_second_factor(*, actor: User) -> None:
    """An owner may require two factors only with one of their own: else they would shut
    themselves out of their own project at once. Raises TwoFactorRequired (409)."""
    if not second_factor_enrolled(user=actor):
        raise TwoFactorRequired(
            "Enrol a second factor yourself, at "
            f"{TWO_FACTOR_PAGE}, before requiring one of the project's members.",
            status=409,
        )


def ensure_owner(*, project: Project, actor: User) -> None:
    if project_role_of(project=project, user=actor) != Role.OWNER:
        raise PermissionDenied("Only the project's owners may do this.")


@transaction.atomic
def project_update(
    *, project: Project, actor: User, tags: list[str] | None = None, **fields: Any
) -> Project:
    """Change the project's details; the slug stays. A change of visibility or of
    `two_factor_required` is logged for the project's open sockets, which re-check their access;
    the latter is also audited. Only an owner with a second factor may require two factors.
    Raises PermissionDenied, TwoFactorRequired (409)."""
    ensure_owner(project=project, actor=actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(details={"fields": {name: "not editable" for name in unknown}})
    project_lock(project_id=project.pk)
    was_visible_as, was_required = Project.objects.filter(pk=project.pk).values_list(
        "visibility", "two_factor_required"
    )[0]
    if fields.get("two_factor_required", was_required) and not was_required:
        _ensure_own_second_factor(actor=actor)
    for name, value in fields.items():
        setattr(project, name, value)
    project.save()
    if project.visibility != was_visible_as:
        real_time_sync.access_changed(
            project_id=project.pk, actor=actor, change="visibility_changed"
        )
    if project.two_factor_required != was_required:
        audit_record(
            project_id=project.pk,
            resource=None,
            actor=actor,
            action=AuditEvent.Action.SETTINGS,
            details={"two_factor_required": project.two_factor_required},
        )
        real_time_sync.access_changed(
            project_id=project.pk, actor=actor, change="two_factor_required_changed"
        )
    if tags is not None:
        project.tags.set(tags_get_or_create(names=tags))
    return project


@transaction.atomic
def project_delete(*, project: Project, actor: User) -> None:
    """Delete the project with its documents, entries and event log (owners). Its open sockets
    are told after the commit and close (4404). Raises PermissionDenied."""
    ensure_owner(project=project, actor=actor)
    # Locked first (docs/storage.md, "Lock order"), then everything under it is deleted.
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True).first()
    real_time_sync.access_changed(project_id=project.pk, actor=actor, change="project_deleted")
    project.delete()


def project_rate(*, project: Project, user: User, value: int, review: str = "") -> ProjectRating:
    """Rate the project 1-5; rating again replaces the previous rating. Raises ValidationFailed."""
    if not 1 <= int(value) <= 5:
        raise ValidationFailed(details={"fields": {"value": "must be between 1 and 5"}})
    rating, _ = ProjectRating.objects.update_or_create(
        project=project, user=user, defaults={"value": value, "review": review}
    )
    return rating


def member_second_factor_changed(*, user: User) -> None:
    """After `user` enrolled or removed a second factor (allauth.mfa's `authenticator_added`,
    `authenticator_removed`): the open sockets of each project that requires two factors and
    has them on its team re-check their access after the commit. Levels themselves need no
    update: every read asks `selectors.membership_counts`."""
    required = Project.objects.filter(two_factor_required=True, team__user=user)
    for project_id in required.values_list("pk", flat=True):
        real_time_sync.access_recheck(project_id=project_id)
