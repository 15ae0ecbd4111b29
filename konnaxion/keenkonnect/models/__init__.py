"""keenKonnect models, one module per aggregate."""

from konnaxion.keenkonnect.models.documents import (
    AccessLevel,
    AuditEvent,
    DocumentAccess,
    DocumentVersion,
    RetentionPolicy,
    UploadSession,
)
from konnaxion.keenkonnect.models.indexing import DocumentPreview, ProjectEvent
from konnaxion.keenkonnect.models.projects import Project, ProjectRating, ProjectTeam
from konnaxion.keenkonnect.models.workspace import ProjectMessage, ProjectResource, ProjectTask

__all__ = [
    "AccessLevel",
    "AuditEvent",
    "DocumentAccess",
    "DocumentPreview",
    "DocumentVersion",
    "Project",
    "ProjectEvent",
    "ProjectMessage",
    "ProjectRating",
    "ProjectResource",
    "ProjectTask",
    "ProjectTeam",
    "RetentionPolicy",
    "UploadSession",
]
