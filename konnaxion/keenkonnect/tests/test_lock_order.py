"""The lock order of Stockage (docs/storage.md, "Lock order"): downloads, indexing, new versions,
permission changes and team changes of one document running at once never deadlock."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from konnaxion.keenkonnect.models import AuditEvent, ProjectEvent, ProjectResource
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.granular_permissions import access_entries_replace
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_add, project_member_remove
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 12


def _run_together(*workers: Callable[[], None]) -> list[BaseException]:
    """Run `workers` in threads started at once; the exceptions they raised."""
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            barrier.wait()
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return errors


def test_downloads_indexing_versions_and_permission_changes_of_one_document_never_deadlock():
    # given a document with a first version, and its team
    project, users = team_project()
    owner, mentor = users["owner"], users["mentor"]
    resource = resource_create(
        project=project, upload=incoming_file(png_bytes((40, 30)), name="site.png"), actor=owner
    )
    url = f"/api/projects/{project.slug}/resources/{resource.pk}/download/"
    statuses: list[int] = []
    numbers: list[int] = []

    def download() -> None:
        client = client_for(mentor)
        for _ in range(ROUNDS * 3):
            response = client.get(url)
            statuses.append(response.status_code)
            if response.status_code == 200:
                b"".join(response.streaming_content)

    def new_versions_indexed() -> None:
        for width in range(ROUNDS):
            seen = resource_get_visible(user=owner, project=project, resource_id=resource.pk)
            version = version_create(
                resource=seen,
                upload=incoming_file(png_bytes((41 + width, 30)), name="site.png"),
                actor=owner,
            )
            numbers.append(version.number)
            resource_index(resource_id=resource.pk, version_number=version.number)

    def permissions() -> None:
        for turn in range(ROUNDS):
            seen = resource_get_visible(user=owner, project=project, resource_id=resource.pk)
            level = "write" if turn % 2 else "read"
            access_entries_replace(
                resource=seen, entries=[{"user": mentor.username, "level": level}], actor=owner
            )

    def team_changes() -> None:
        for _ in range(ROUNDS):
            visitor = UserFactory()
            project_member_add(project=project, user=visitor, actor=owner)
            project_member_remove(project=project, user=visitor, actor=owner)

    # when
    errors = _run_together(download, download, new_versions_indexed, permissions, team_changes)
    # then nothing failed, and every download was served and written to the audit log
    assert errors == []
    assert statuses == [200] * (ROUNDS * 3 * 2)
    assert AuditEvent.objects.filter(action="download").count() == ROUNDS * 3 * 2
    # and the document ends on its last version, indexed, with one event per change in order
    final = ProjectResource.objects.select_related("current_version").get(pk=resource.pk)
    assert numbers == list(range(2, ROUNDS + 2))
    assert final.current_version.number == ROUNDS + 1
    assert final.indexed_version == ROUNDS + 1
    assert final.index_state == ProjectResource.IndexState.INDEXED
    seqs = list(ProjectEvent.objects.filter(project=project).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
