"""Trying a document's indexing again after it failed (docs/indexing-failures.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect.models import AccessLevel, DocumentVersion, ProjectResource
from konnaxion.keenkonnect.services.granular_permissions import ensure_level, ensure_level_now
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index_enqueue
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.users.models import User

if TYPE_CHECKING:
    from konnaxion.keenkonnect.selectors import ResourceWithLevel


@transaction.atomic
def resource_index_retry(*, resource: ResourceWithLevel, actor: User) -> ProjectResource:
    """Set `resource` pending and queue the indexing of its current version again, once the
    transaction commits (admin level). Returns the resource as it now stands.
    Raises NotFound, PermissionDenied."""
    ensure_level(resource=resource, needed=AccessLevel.ADMIN)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.ADMIN)
    locked = resource_lock(resource_id=resource.pk)
    if locked is None or locked.trashed_at is not None or locked.current_version_id is None:
        raise NotFound("No such document.")
    number = DocumentVersion.objects.values_list("number", flat=True).get(
        pk=locked.current_version_id
    )
    # Forget the outcome of that version, so that the task does it again instead of skipping it.
    ProjectResource.objects.filter(pk=resource.pk).update(indexed_version=None)
    resource_index_enqueue(resource=resource, version_number=number)
    resource.indexed_version, resource.index_reason = None, ""
    return resource
