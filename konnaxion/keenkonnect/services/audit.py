"""The audit log of Stockage: uploads, downloads, restores, trash and purge, permission changes."""

from __future__ import annotations

from typing import Any

from konnaxion.keenkonnect.models import AuditEvent, ProjectResource


def audit_record(
    *,
    project_id: int,
    resource: ProjectResource | None,
    actor,
    action: str,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the project's audit log (in the caller's transaction)."""
    return AuditEvent.objects.create(
        project_id=project_id,
        resource=resource,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        details=details or {},
    )
