"""The lock order of Stockage (docs/storage.md, "Lock order"): downloads, indexing, new versions,
permission changes and team changes of one document running at once never deadlock, and a
change decided on a level that a concurrent team change takes away is refused."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, transaction

from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect.models import (
    AuditEvent,
    DocumentAccess,
    Project,
    ProjectEvent,
    ProjectResource,
)
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.granular_permissions import access_entries_replace
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import (
    resource_create,
    resource_download,
    resource_purge,
    resource_update,
)
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


def _while_removing(project, member, owner, action: Callable[[], None]) -> list[BaseException]:
    """Run `action` in a thread while `member`'s removal holds the project's lock, uncommitted;
    commit the removal once `action` has had time to reach its own locks. What `action` raised."""
    removed, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def remove() -> None:
        try:
            with transaction.atomic():
                project_member_remove(project=project, user=member, actor=owner)
                removed.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    def act() -> None:
        try:
            action()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    remover = threading.Thread(target=remove)
    remover.start()
    assert removed.wait(timeout=30)
    actor = threading.Thread(target=act)
    actor.start()
    actor.join(timeout=1)
    release.set()
    remover.join(timeout=30)
    actor.join(timeout=30)
    return errors


def test_an_entry_is_never_given_to_a_member_being_removed():
    # given an owner about to give the collaborator an admin entry, while they are removed
    project, users = team_project()
    owner, member = users["owner"], users["collaborator"]
    plan = resource_create(
        project=project, upload=incoming_file(png_bytes(), name="a.png"), actor=owner
    )

    def give_entry() -> None:
        seen = resource_get_visible(user=owner, project=project, resource_id=plan.pk)
        access_entries_replace(
            resource=seen, entries=[{"user": member.username, "level": "admin"}], actor=owner
        )

    # when
    errors = _while_removing(project, member, owner, give_entry)
    # then the entry is refused: they are no longer on the team
    assert [getattr(error, "code", repr(error)) for error in errors] == ["not_a_member"]
    assert not DocumentAccess.objects.filter(user=member).exists()


def test_a_member_being_removed_cannot_finish_a_change_their_role_allowed():
    # given a collaborator renaming a document while they are removed from the project
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    owner, member = users["owner"], users["collaborator"]
    plan = resource_create(
        project=project, upload=incoming_file(png_bytes(), name="a.png"), actor=owner
    )
    seen = resource_get_visible(user=member, project=project, resource_id=plan.pk)

    # when
    errors = _while_removing(
        project, member, owner, lambda: resource_update(resource=seen, actor=member, title="X")
    )
    # then the change is refused once the removal is committed, and nothing changed
    assert [type(error) for error in errors] == [NotFound]
    plan.refresh_from_db()
    assert plan.title != "X"


def test_a_download_of_a_document_purged_meanwhile_is_a_404():
    # given a download that read the document just before an owner purged it
    project, users = team_project()
    owner, mentor = users["owner"], users["mentor"]
    plan = resource_create(
        project=project, upload=incoming_file(png_bytes(), name="a.png"), actor=owner
    )
    seen = resource_get_visible(user=mentor, project=project, resource_id=plan.pk)
    purging = resource_get_visible(user=owner, project=project, resource_id=plan.pk)
    resource_purge(resource=purging, actor=owner)
    # when / then: not a 500 from the audit event's foreign key
    with pytest.raises(NotFound):
        resource_download(resource=seen, actor=mentor)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_the_trash_expiry_skips_a_project_deleted_while_it_runs(settings, monkeypatch):
    # given two expired trashed documents, the first one's project deleted once the run began
    from konnaxion.keenkonnect.services import secure_document_storage as storage

    settings.STOCKAGE_TRASH_DAYS = 0
    kept_project, users = team_project()
    gone_project, gone_users = team_project()
    documents = []
    for project, owner in ((gone_project, gone_users["owner"]), (kept_project, users["owner"])):
        document = resource_create(
            project=project, upload=incoming_file(png_bytes(), name="a.png"), actor=owner
        )
        document.my_level = 3
        storage.resource_trash(resource=document, actor=owner)
        documents.append(document)
    real_lock = storage.project_lock

    def lock_after_deletion(*, project_id: int) -> None:
        if project_id == gone_project.pk:
            Project.objects.filter(pk=project_id).delete()
        real_lock(project_id=project_id)

    monkeypatch.setattr(storage, "project_lock", lock_after_deletion)
    # when
    purged = storage.resources_purge_expired_trash()
    # then the run goes on with the other project's document
    assert purged == 1
    assert not ProjectResource.objects.exists()
