"""keenKonnect models, one module per aggregate."""

from konnaxion.keenkonnect.models.blobs import Blob, storage_name_for
from konnaxion.keenkonnect.models.projects import Project, ProjectRating, ProjectTeam
from konnaxion.keenkonnect.models.workspace import ProjectMessage, ProjectResource, ProjectTask
from konnaxion.kreative.models import Tag

# keenKonnect's `Tag` is the shared vocabulary of kreative (one table for every module).
__all__ = [
    "Blob",
    "Project",
    "ProjectMessage",
    "ProjectRating",
    "ProjectResource",
    "ProjectTask",
    "ProjectTeam",
    "Tag",
    "storage_name_for",
]
