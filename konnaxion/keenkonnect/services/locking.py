"""The one lock order of Stockage (docs/storage.md, "Lock order").

    project row -> resource row -> version rows -> preview rows -> blob (advisory lock, then row)

A transaction takes the locks it needs in this order and never goes back to an earlier one: a
service that will record an event (which locks the project row) locks the project first, then
the resource. Row locks are FOR NO KEY UPDATE: they serialise the writers of a row without
blocking, or being blocked by, the FOR KEY SHARE lock PostgreSQL takes on a row when another
row referring to it is inserted (a download's audit event, a version, an event, a preview).
"""

from __future__ import annotations

from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect.models import Project, ProjectResource


def project_lock(*, project_id: int) -> None:
    """Lock the project's row until the end of the transaction (first in the order).
    Raises NotFound when the project is gone (deleted meanwhile)."""
    locked = Project.objects.select_for_update(no_key=True).filter(pk=project_id)
    if locked.values_list("pk", flat=True).first() is None:
        raise NotFound("No such project.")


def resource_lock(*, resource_id: int) -> ProjectResource | None:
    """Lock the resource's row and return it fresh (None when it is gone): after the project,
    before its versions, previews and blobs."""
    return ProjectResource.objects.select_for_update(no_key=True).filter(pk=resource_id).first()
