"""Stockage II: the platform search, previews and the project event stream.

A members-only project with one document whose preview exists; callers: its owner, a
collaborator whose entry on the document is `none`, and the core's stranger and anonymous.
"""

from __future__ import annotations

from konnaxion.keenkonnect.models import (
    AccessLevel,
    DocumentAccess,
    DocumentPreview,
    Project,
    ProjectTeam,
)
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, png_bytes, stored_blob
from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for


def world_setup(world: World) -> None:
    owner = world.users["search_owner"] = UserFactory(username="search-owner")
    hidden = world.users["search_entry_none"] = UserFactory(username="search-entry-none")
    project = world.search_project = project_for(
        creator=owner, title="Archive", visibility=Project.Visibility.MEMBERS
    )
    project_member_add(project=project, user=hidden, role=ProjectTeam.Role.COLLABORATOR)
    world.search_doc = resource_create(
        project=project, upload=incoming_file(pdf_bytes("v1")), actor=owner, title="Survey"
    )
    DocumentAccess.objects.create(resource=world.search_doc, user=hidden, level=AccessLevel.NONE)
    blob = stored_blob(png_bytes((16, 16)), content_type="image/png")
    DocumentPreview.objects.create(version=world.search_doc.current_version, size=256, blob=blob)


def _caller(name: str):
    return lambda world: api_client_for(world.users[name])


CALLERS = {name: _caller(name) for name in ("search_owner", "search_entry_none")}
PREVIEW = "/api/projects/{w.search_project.slug}/resources/{w.search_doc.pk}/preview/"

ROWS = [
    row(
        "GET",
        "api/search/",
        {"anonymous": 401, "stranger": 200, "search_owner": 200, "search_entry_none": 200},
        path="/api/search/?q=survey",
    ),
    row(
        "GET",
        "api/projects/<slug:project_slug>/resources/<int:resource_id>/preview/",
        {"anonymous": 401, "stranger": 404, "search_owner": 200, "search_entry_none": 404},
        path=PREVIEW,
    ),
]

# A route with a slug is tried on a project that does not exist: refused as not found (4404).
WEBSOCKET_PATHS = {
    "ws/projects/<slug:slug>/": lambda world: f"/ws/projects/{world.search_project.slug}/"
}
# The project's socket: its team connects; outsiders are refused as if it did not exist.
WEBSOCKET_ROWS = {
    "ws/projects/<slug:slug>/": {"anonymous": False, "stranger": 4404, "search_owner": True}
}
