"""Stockage scenes for the notification tests."""

from __future__ import annotations

from konnaxion.keenkonnect.models import AccessLevel, ProjectResource
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.notifications.models import Notification


def members_project():
    """A members-only project with an owner, a collaborator and a mentor, and one document
    of the owner's; returns (project, users, document)."""
    project, users = team_project(visibility="members")
    document = resource_create(
        project=project, upload=incoming_file(pdf_bytes("Plan")), actor=users["owner"], title="Plan"
    )
    return project, users, document


def upload_version(document: ProjectResource, user, text: str = "v2"):
    visible = resource_get_visible(user=user, project=document.project, resource_id=document.pk)
    assert visible.my_level >= AccessLevel.WRITE
    return version_create(resource=visible, upload=incoming_file(pdf_bytes(text)), actor=user)


def notified(user, kind: str | None = None) -> list[Notification]:
    rows = Notification.objects.filter(recipient=user).order_by("id")
    if kind is not None:
        rows = rows.filter(kind=kind)
    return list(rows)
