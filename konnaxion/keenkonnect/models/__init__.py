"""keenKonnect models, one module per aggregate."""

from konnaxion.keenkonnect.models.checkouts import DocumentCheckout
from konnaxion.keenkonnect.models.comments import DocumentComment
from konnaxion.keenkonnect.models.documents import (
    AccessLevel,
    AuditEvent,
    DocumentAccess,
    DocumentVersion,
    RetentionPolicy,
    UploadSession,
)
from konnaxion.keenkonnect.models.events import ProjectEvent
from konnaxion.keenkonnect.models.links import ReceivedFile, ShareLink, UploadLink
from konnaxion.keenkonnect.models.previews import DocumentPreview
from konnaxion.keenkonnect.models.projects import Project, ProjectRating, ProjectTeam
from konnaxion.keenkonnect.models.resources import ProjectResource
from konnaxion.keenkonnect.models.search_words import SearchWord
from konnaxion.keenkonnect.models.workspace import ProjectMessage, ProjectTask

__all__ = [
    "AccessLevel",
    "AuditEvent",
    "DocumentAccess",
    "DocumentCheckout",
    "DocumentComment",
    "DocumentPreview",
    "DocumentVersion",
    "Project",
    "ProjectEvent",
    "ProjectMessage",
    "ProjectRating",
    "ProjectResource",
    "ProjectTask",
    "ProjectTeam",
    "ReceivedFile",
    "RetentionPolicy",
    "SearchWord",
    "ShareLink",
    "UploadLink",
    "UploadSession",
]
