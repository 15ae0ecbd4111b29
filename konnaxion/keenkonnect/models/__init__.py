from konnaxion.keenkonnect.models.projects import Project, ProjectRating, ProjectTeam
from konnaxion.keenkonnect.models.workspace import ProjectMessage, ProjectResource, ProjectTask
from konnaxion.kreative.models import Tag

# keenKonnect's `Tag` is the shared vocabulary of kreative (one table for every module).
__all__ = [
    "Project",
    "ProjectMessage",
    "ProjectRating",
    "ProjectResource",
    "ProjectTask",
    "ProjectTeam",
    "Tag",
]
