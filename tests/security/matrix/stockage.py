"""Stockage: documents, versions, downloads, trash, per-document permissions, audit, tus,
check-out locks.

A members-only project with one document, one trashed document and one document checked out
by the collaborator. Callers: each team role,
a collaborator whose entry on the documents is `none`, and a mentor whose entry is `write`.
"""

from __future__ import annotations

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, Project, ProjectTeam
from konnaxion.keenkonnect.services.document_checkout import checkout_acquire
from konnaxion.keenkonnect.services.document_comments import comment_create
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.secure_document_storage import resource_create, resource_trash
from konnaxion.keenkonnect.services.sharing import share_link_create
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.services.upload_links import upload_link_create
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, png_bytes
from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for

ROLES = {
    "mentor": ProjectTeam.Role.MENTOR,
    "collaborator": ProjectTeam.Role.COLLABORATOR,
    "collaborator_entry_none": ProjectTeam.Role.COLLABORATOR,
    "mentor_entry_write": ProjectTeam.Role.MENTOR,
}
ENTRIES = {"collaborator_entry_none": AccessLevel.NONE, "mentor_entry_write": AccessLevel.WRITE}


def world_setup(world: World) -> None:
    owner = world.users["owner"] = UserFactory(username="doc-owner")
    project = world.stockage_project = project_for(
        creator=owner, title="Vault", visibility=Project.Visibility.MEMBERS, links_allowed=True
    )
    for name, role in ROLES.items():
        world.users[name] = UserFactory(username=f"doc-{name.replace('_', '-')}")
        project_member_add(project=project, user=world.users[name], role=role)
    world.doc = resource_create(
        project=project, upload=incoming_file(pdf_bytes("v1")), actor=owner, title="Plan"
    )
    # An image with two versions, for the diff of images and its highlight picture.
    world.drawing = resource_create(
        project=project, upload=incoming_file(png_bytes((32, 24)), name="site.png"), actor=owner
    )
    world.drawing.my_level = AccessLevel.ADMIN
    version_create(
        resource=world.drawing,
        upload=incoming_file(png_bytes((48, 24)), name="site.png"),
        actor=owner,
    )
    world.trashed = resource_create(
        project=project, upload=incoming_file(pdf_bytes("old")), actor=owner, title="Old"
    )
    world.trashed.my_level = AccessLevel.ADMIN
    resource_trash(resource=world.trashed, actor=owner)
    world.locked = resource_create(
        project=project, upload=incoming_file(pdf_bytes("wip")), actor=owner, title="Draft"
    )
    world.locked.my_level = AccessLevel.WRITE
    checkout_acquire(resource=world.locked, actor=world.users["collaborator"])
    world.doc.my_level = AccessLevel.ADMIN
    world.doc_comment = comment_create(resource=world.doc, actor=owner, body="Flange").comment
    for name, level in ENTRIES.items():
        for resource in (world.doc, world.trashed, world.drawing, world.locked):
            DocumentAccess.objects.create(resource=resource, user=world.users[name], level=level)
    world.doc.my_level = AccessLevel.ADMIN
    world.share_link = share_link_create(resource=world.doc, actor=owner).link
    world.upload_link = upload_link_create(project=project, actor=owner, label="Inbox").link


def _caller(name: str):
    return lambda world: api_client_for(world.users[name])


CALLERS = {name: _caller(name) for name in ["owner", *ROLES]}

PROJECT = "api/projects/<slug:project_slug>/"
DOC = f"{PROJECT}resources/<int:resource_id>/"
P = "/api/projects/{w.stockage_project.slug}/"
D = P + "resources/{w.doc.pk}/"
T = P + "resources/{w.trashed.pk}/"
L = P + "resources/{w.locked.pk}/"
COMMENT = f"{DOC}comments/<int:comment_id>/"
C = D + "comments/{w.doc_comment.pk}/"
CALLER_ORDER = (
    "anonymous",
    "stranger",
    "mentor",
    "collaborator",
    "owner",
    "collaborator_entry_none",
    "mentor_entry_write",
)


def expect(*statuses: int) -> dict[str, int]:
    return dict(zip(CALLER_ORDER, statuses, strict=True))


def _upload(world: World) -> bytes:
    return encode_multipart(BOUNDARY, {"file": _Named("plan.pdf", pdf_bytes("new")), "title": "N"})


class _Named:
    def __init__(self, name: str, content: bytes) -> None:
        self.name, self._content = name, content

    def read(self) -> bytes:
        return self._content


READ = expect(401, 404, 200, 200, 200, 404, 200)
WRITE = expect(401, 404, 403, 200, 200, 404, 200)
ADMIN = expect(401, 404, 403, 403, 200, 404, 403)
AUTHOR = expect(401, 404, 403, 403, 200, 404, 403)
OWNER = expect(401, 404, 403, 403, 200, 403, 403)
PROJECT_READ = expect(401, 404, 200, 200, 200, 200, 200)
# A tus request without `Tus-Resumable: 1.0.0` is refused (412) once the project is visible.
TUS = expect(401, 404, 412, 412, 412, 412, 412)
UPLOAD = "/api/projects/{w.stockage_project.slug}/uploads/6f1c1f6e-3c1e-4a43-9d7b-2d8f0c7e1a11/"

ROWS = [
    row("GET", f"{PROJECT}resources/", PROJECT_READ, path=P + "resources/"),
    row(
        "POST",
        f"{PROJECT}resources/",
        expect(401, 404, 403, 201, 201, 201, 403),
        path=P + "resources/",
        body=_upload,
        format=MULTIPART_CONTENT,
    ),
    row("GET", f"{PROJECT}resources/trash/", PROJECT_READ, path=P + "resources/trash/"),
    row("GET", DOC, READ, path=D),
    row("PATCH", DOC, WRITE, path=D, body={"title": "Renamed"}),
    row("DELETE", DOC, expect(401, 404, 403, 204, 204, 404, 204), path=D),
    row("GET", f"{DOC}download/", READ, path=D + "download/"),
    row("GET", f"{DOC}versions/", READ, path=D + "versions/"),
    row("GET", f"{DOC}versions/<int:number>/", READ, path=D + "versions/1/"),
    row(
        "PATCH",
        f"{DOC}versions/<int:number>/",
        WRITE,
        path=D + "versions/1/",
        body={"label": "Rev A", "note": "Sent to the fabricator."},
    ),
    row(
        "GET",
        f"{DOC}diff/",
        READ,
        path=P + "resources/{w.drawing.pk}/diff/?from=1&to=2",
    ),
    row(
        "GET",
        f"{DOC}diff/highlight/",
        READ,
        path=P + "resources/{w.drawing.pk}/diff/highlight/?from=1&to=2",
    ),
    row(
        "POST",
        f"{DOC}versions/",
        expect(401, 404, 403, 201, 201, 404, 201),
        path=D + "versions/",
        body=_upload,
        format=MULTIPART_CONTENT,
    ),
    row(
        "POST",
        f"{DOC}restore/",
        expect(401, 404, 403, 201, 201, 404, 201),
        path=D + "restore/",
        body={"version": 1},
    ),
    row("POST", f"{DOC}untrash/", WRITE, path=T + "untrash/"),
    row("DELETE", f"{DOC}purge/", expect(401, 404, 403, 403, 204, 404, 403), path=D + "purge/"),
    row("POST", f"{DOC}reindex/", expect(401, 404, 403, 403, 202, 404, 403), path=D + "reindex/"),
    row("GET", f"{DOC}permissions/", ADMIN, path=D + "permissions/"),
    row(
        "PUT",
        f"{DOC}permissions/",
        ADMIN,
        path=D + "permissions/",
        body={"entries": [{"user": "doc-mentor", "level": "write"}]},
    ),
    row("POST", f"{DOC}lock/", WRITE, path=D + "lock/", body={"note": "Mine", "hours": 2}),
    # Breaking the collaborator's lock: owners only (the holder, too, is refused a break).
    row(
        "DELETE",
        f"{DOC}lock/",
        expect(401, 404, 403, 403, 204, 404, 403),
        path=L + "lock/?force=1",
    ),
    row("GET", f"{DOC}share-links/", ADMIN, path=D + "share-links/"),
    row(
        "POST",
        f"{DOC}share-links/",
        expect(401, 404, 403, 403, 201, 404, 403),
        path=D + "share-links/",
        body={"expires_in_days": 7},
    ),
    row(
        "DELETE",
        f"{DOC}share-links/<int:link_id>/",
        expect(401, 404, 403, 403, 204, 404, 403),
        path=D + "share-links/{w.share_link.pk}/",
    ),
    row("GET", f"{PROJECT}upload-links/", OWNER, path=P + "upload-links/"),
    row(
        "POST",
        f"{PROJECT}upload-links/",
        expect(401, 404, 403, 403, 201, 403, 403),
        path=P + "upload-links/",
        body={"label": "Suppliers"},
    ),
    row(
        "DELETE",
        f"{PROJECT}upload-links/<int:link_id>/",
        expect(401, 404, 403, 403, 204, 403, 403),
        path=P + "upload-links/{w.upload_link.pk}/",
    ),
    row("GET", f"{PROJECT}audit/", expect(401, 404, 403, 403, 200, 403, 403), path=P + "audit/"),
    row("POST", f"{PROJECT}uploads/", TUS, path=P + "uploads/"),
    row("PATCH", f"{PROJECT}uploads/<uuid:upload_id>/", TUS, path=UPLOAD),
    row("DELETE", f"{PROJECT}uploads/<uuid:upload_id>/", TUS, path=UPLOAD),
    # Comments: the read level reads and writes them; the author (the owner here) edits, the
    # author or an admin deletes.
    row("GET", f"{DOC}comments/", READ, path=D + "comments/"),
    row(
        "POST",
        f"{DOC}comments/",
        expect(401, 404, 201, 201, 201, 404, 201),
        path=D + "comments/",
        body={"body": "Seen", "anchor": {"page": 1}},
    ),
    row("GET", COMMENT, READ, path=C),
    row("PATCH", COMMENT, AUTHOR, path=C, body={"body": "Edited"}),
    row("DELETE", COMMENT, expect(401, 404, 403, 403, 204, 404, 403), path=C),
    row("POST", f"{COMMENT}resolve/", READ, path=C + "resolve/"),
    row("POST", f"{COMMENT}reopen/", READ, path=C + "reopen/"),
]
