"""granular_permissions: a document's level for a user, from the team role and per-document entries.

Default level from the team role (owner -> admin, collaborator -> write, mentor -> read; others
none, or read in a public project). A per-document entry overrides it, up or down, except for
project owners, who are always admin, and applies only while its user is on the team. The rule
is written once, as SQL (`selectors.access_level`), used by `selectors.resources_visible_to`
and `selectors.projects_with_level`; `level_of` and `project_level_of` read it through them.
Docs: docs/permissions.md ("Stockage").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from konnaxion.core.errors import NotFound, PermissionDenied, ValidationFailed
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentAccess,
    Project,
    ProjectResource,
    ProjectTeam,
)
from konnaxion.keenkonnect.selectors import projects_with_level, resources_visible_to
from konnaxion.keenkonnect.services import notices, real_time_sync
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.checkout_rules import checkouts_end_without_write
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.users.models import User

if TYPE_CHECKING:  # a type that exists for the type checker only
    from konnaxion.keenkonnect.selectors import ResourceWithLevel

LEVEL_NAMES = {level.value: level.label for level in AccessLevel}
LEVEL_BY_NAME = {label: value for value, label in LEVEL_NAMES.items()}


def level_of(*, user: User | AnonymousUser, resource: ProjectResource) -> int:
    """`user`'s effective AccessLevel on `resource` (NONE when it is trashed-and-hidden or gone)."""
    found = (
        resources_visible_to(user=user, min_level="none", include_trashed=True)
        .filter(pk=resource.pk)
        .values_list("my_level", flat=True)
        .first()
    )
    return AccessLevel.NONE if found is None else found


def ensure_level(*, resource: ResourceWithLevel, needed: int) -> None:
    """Raise NotFound if the caller cannot read `resource`, PermissionDenied if it may read but
    lacks `needed`. `resource` must carry the `my_level` annotation of the selector."""
    level = resource.my_level
    if level < AccessLevel.READ:
        raise NotFound("No such document.")
    if level < needed:
        raise PermissionDenied(
            f"This needs the {LEVEL_NAMES[needed]} level on this document.",
            details={"my_level": LEVEL_NAMES[level], "needed": LEVEL_NAMES[needed]},
        )


def ensure_level_now(
    *, user: User | AnonymousUser, resource: ResourceWithLevel, needed: int
) -> None:
    """`ensure_level` on the level read again. Called under the project's row lock, which team
    changes take too, so that no removal or role change slips between the check and the write."""
    resource.my_level = level_of(user=user, resource=resource)
    ensure_level(resource=resource, needed=needed)


def access_entries_of(*, resource: ProjectResource) -> list[dict[str, str]]:
    """The document's entries as `{"user": username, "level": name}`, by username."""
    entries = (
        DocumentAccess.objects.filter(resource=resource)
        .select_related("user")
        .order_by("user__username")
    )
    return [{"user": e.user.username, "level": LEVEL_NAMES[e.level]} for e in entries]


@transaction.atomic
def access_entries_replace(
    *, resource: ResourceWithLevel, entries: list[dict[str, str]], actor: User
) -> list[dict[str, str]]:
    """Replace the document's entries (admin level). Entries name team members, once each. A
    check-out lock whose holder loses the write level ends.

    Raises PermissionDenied, NotFound, ValidationFailed.
    """
    ensure_level(resource=resource, needed=AccessLevel.ADMIN)
    # The team is read under the project's lock: a member removed meanwhile (their entries
    # deleted) cannot be given one again.
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.ADMIN)
    usernames = [entry["user"] for entry in entries]
    if len(set(usernames)) != len(usernames):
        raise ValidationFailed(
            "A user appears twice.", details={"fields": {"entries": "duplicate user"}}
        )
    levels = {}
    for entry in entries:
        if entry["level"] not in LEVEL_BY_NAME:
            raise ValidationFailed(
                details={"fields": {"entries": f"unknown level {entry['level']}"}}
            )
        levels[entry["user"]] = LEVEL_BY_NAME[entry["level"]]
    members = {
        membership.user.username: membership.user
        for membership in ProjectTeam.objects.filter(
            project_id=resource.project_id, user__username__in=usernames
        ).select_related("user")
    }
    strangers = sorted(set(usernames) - set(members))
    if strangers:
        raise ValidationFailed(
            "Entries are for members of the project's team.",
            code="not_a_member",
            details={"users": strangers},
        )
    if resource_lock(resource_id=resource.pk) is None:
        raise NotFound("No such document.")
    previous = access_entries_of(resource=resource)
    DocumentAccess.objects.filter(resource=resource).delete()
    DocumentAccess.objects.bulk_create(
        DocumentAccess(resource=resource, user=members[name], level=level)
        for name, level in levels.items()
    )
    current = access_entries_of(resource=resource)
    audit_record(
        project_id=resource.project_id,
        resource=resource,
        actor=actor,
        action=AuditEvent.Action.PERMISSIONS,
        details={"before": previous, "after": current},
    )
    # Members whose entry became `none` are told once that the document left their view
    # (its id only, which they already had), so their open pages drop it.
    was_hidden = {entry["user"] for entry in previous if entry["level"] == "none"}
    revoked = [
        members[name].pk
        for name, level in levels.items()
        if level == AccessLevel.NONE and name not in was_hidden
    ]
    real_time_sync.event_record(
        project_id=resource.project_id,
        type="resource.permissions_changed",
        resource_id=resource.pk,
        version=None,
        actor=actor,
        payload={"revoked_from": revoked} if revoked else None,
    )
    checkouts_end_without_write(
        project_id=resource.project_id, actor=actor, resource_id=resource.pk
    )
    before = {entry["user"]: entry["level"] for entry in previous}
    changed = [
        members[name] for name, level in levels.items() if before.get(name) != LEVEL_NAMES[level]
    ]
    notices.access_entry_notify(
        resource=resource,
        users=changed,
        levels={members[name].pk: LEVEL_NAMES[level] for name, level in levels.items()},
        actor=actor,
    )
    return current


def project_level_of(*, user: User | AnonymousUser, project: Project) -> int:
    """`user`'s level on the project as a whole (what new documents start from), by the same
    SQL rule as documents (`selectors.access_level`): owner admin, collaborator write, mentor
    read; others read in a public project, none otherwise (also when it is not visible)."""
    found = (
        projects_with_level(user=user)
        .filter(pk=project.pk)
        .values_list("my_level", flat=True)
        .first()
    )
    return AccessLevel.NONE if found is None else found
