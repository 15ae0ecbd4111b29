"""keenKonnect models, one module per aggregate."""

from konnaxion.keenkonnect.models.blobs import Blob, storage_name_for
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
from konnaxion.kreative.models import Tag

# keenKonnect's `Tag` is the shared vocabulary of kreative (one table for every module).
__all__ = [
    "AccessLevel",
    "AuditEvent",
    "Blob",
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
    "Tag",
    "UploadSession",
    "storage_name_for",
]
