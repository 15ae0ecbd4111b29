"""Stockage's part when someone leaves (konnaxion.users.leaving; docs/accounts.md).

No project is left without an owner: deletion is refused while the person is the only owner of
a project that has other members (they transfer ownership or delete the project first). A
project where they are the only member goes with them, its documents and their files at once:
nobody else could ever open it again, so keeping it in a trash would only keep their data.
Elsewhere they leave the team as any member does (entries, unfinished uploads, locks end); the
documents they uploaded stay with the team, their versions signed "a former member".

Export: the documents they uploaded a version of and can still read, with the file of the
current version.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from konnaxion.files.services import blob_read
from konnaxion.keenkonnect.models import (
    DocumentAccess,
    DocumentPreview,
    DocumentVersion,
    ProjectTeam,
    UploadSession,
)
from konnaxion.keenkonnect.selectors import resources_visible_to
from konnaxion.keenkonnect.services.projects import project_delete
from konnaxion.keenkonnect.services.resumable_uploads import upload_session_terminate
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.users.leaving import DeletionBlocker, ExportArchive
from konnaxion.users.models import User

Role = ProjectTeam.Role


def _memberships_of(user: User) -> list[tuple[ProjectTeam, set[str]]]:
    """`user`'s memberships, each with the roles of the project's other members."""
    others: dict[int, set[str]] = {}
    for project_id, role in (
        ProjectTeam.objects.filter(project__team__user=user)
        .exclude(user=user)
        .values_list("project_id", "role")
    ):
        others.setdefault(project_id, set()).add(role)
    memberships = ProjectTeam.objects.filter(user=user).select_related("project").order_by("pk")
    return [(membership, others.get(membership.project_id, set())) for membership in memberships]


def account_projects_blockers(user: User) -> list[DeletionBlocker]:
    """The projects `user` is the only owner of while others are on the team."""
    titles = tuple(
        sorted(
            membership.project.title
            for membership, others in _memberships_of(user)
            if membership.role == Role.OWNER and others and Role.OWNER not in others
        )
    )
    if not titles:
        return []
    return [
        DeletionBlocker(
            code="sole_owner",
            message="You are the only owner of these projects: make someone else an owner, "
            "or delete them, first.",
            items=titles,
        )
    ]


def account_keenkonnect_delete(user: User) -> list[int]:
    """Delete the projects `user` is alone in, take them off every other team (module
    docstring); returns the blobs let go."""
    blob_ids: list[int] = []
    for membership, others in _memberships_of(user):
        project = membership.project
        if others:
            project_member_remove(project=project, user=user, actor=user)
            continue
        blob_ids += DocumentVersion.objects.filter(resource__project=project).values_list(
            "blob_id", flat=True
        )
        blob_ids += DocumentPreview.objects.filter(version__resource__project=project).values_list(
            "blob_id", flat=True
        )
        project_delete(project=project, actor=user)
    for session in UploadSession.objects.filter(user=user):
        upload_session_terminate(session=session)
    DocumentAccess.objects.filter(user=user).delete()
    return blob_ids


def account_keenkonnect_export(user: User, archive: ExportArchive) -> None:
    """Write the documents `user` uploaded and can still read, with their current file."""
    uploaded = DocumentVersion.objects.filter(resource=OuterRef("pk"), uploaded_by=user)
    resources = (
        resources_visible_to(user=user)
        .filter(Exists(uploaded))
        .select_related("current_version__blob")
        .order_by("pk")
    )
    documents = []
    for resource in resources:
        version = resource.current_version
        file = ""
        if version is not None:
            file = f"documents/files/{resource.pk}-{version.original_name}"
            archive.add_bytes(file, blob_read(blob=version.blob))
        documents.append(
            {
                "id": resource.pk,
                "project": resource.project.title,
                "title": resource.title,
                "description": resource.description,
                "current_version": version.number if version is not None else None,
                "file": file,
                "created_at": resource.created_at,
            }
        )
    archive.add_json("documents/documents.json", documents)
