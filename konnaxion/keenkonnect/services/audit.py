"""The audit log of Stockage: uploads, downloads, restores, trash and purge, permission changes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from konnaxion.keenkonnect.models import AuditEvent, ProjectResource
from konnaxion.users.models import User


def audit_record(
    *,
    project_id: int,
    resource: ProjectResource | None,
    actor: User | AnonymousUser | None,
    action: str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the project's audit log (in the caller's transaction); an anonymous
    visitor's (a download of a public document) or the system's is logged without an actor."""
    return AuditEvent.objects.create(
        project_id=project_id,
        resource=resource,
        actor=actor if isinstance(actor, User) else None,
        action=action,
        details=details or {},
    )
