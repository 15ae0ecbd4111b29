"""The cap on a user's open resumable (tus) uploads: STOCKAGE_MAX_OPEN_UPLOADS_PER_USER."""

from __future__ import annotations

import base64
import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone

from konnaxion.files.incoming import tmp_dir
from konnaxion.files.parts import stored_parts_list
from konnaxion.keenkonnect.models import UploadSession
from konnaxion.keenkonnect.services import resumable_uploads as uploads
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.users.models import User

CAP = 3


@pytest.fixture(autouse=True)
def _small_cap(settings):
    settings.STOCKAGE_MAX_OPEN_UPLOADS_PER_USER = CAP


def create(client, project, name: str = "part.stl"):
    encoded = base64.b64encode(name.encode()).decode()
    return client.post(
        f"/api/projects/{project.slug}/uploads/",
        HTTP_TUS_RESUMABLE="1.0.0",
        HTTP_UPLOAD_LENGTH="100",
        HTTP_UPLOAD_METADATA=f"filename {encoded}",
    )


def tus_files() -> set[str]:
    """The files of resumable uploads: parts in the shared storage, and anything received here."""
    stored = {name for name, _ in stored_parts_list(prefix=uploads.PARTS_PREFIX)}
    return stored | {str(path) for path in tmp_dir().iterdir()}


@pytest.mark.django_db
def test_past_the_cap_creation_is_refused_with_429_and_nothing_is_kept():
    # given
    project, users = team_project()
    client = client_for(users["collaborator"])
    for _ in range(CAP):
        assert create(client, project).status_code == 201
    files_before = tus_files()
    # when
    response = create(client, project)
    # then
    assert response.status_code == 429
    assert response.json() == {
        "error": {
            "code": "too_many_open_uploads",
            "message": "You have too many unfinished uploads; finish or cancel one first.",
            "details": {"max_open_uploads": CAP},
        }
    }
    assert UploadSession.objects.filter(user=users["collaborator"]).count() == CAP
    assert tus_files() == files_before


@pytest.mark.django_db
def test_the_cap_is_per_user_and_frees_up_on_cancel_and_expiry():
    # given
    project, users = team_project()
    collaborator, owner = client_for(users["collaborator"]), client_for(users["owner"])
    locations = [create(collaborator, project)["Location"] for _ in range(CAP)]
    # when / then: another user is not affected
    assert create(owner, project).status_code == 201
    # when / then: a cancelled upload frees its slot
    assert collaborator.delete(locations[0], HTTP_TUS_RESUMABLE="1.0.0").status_code == 204
    assert create(collaborator, project).status_code == 201
    # when / then: an expired one (not yet swept) does not count
    oldest = UploadSession.objects.filter(user=users["collaborator"]).order_by("expires_at")[0]
    UploadSession.objects.filter(pk=oldest.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert create(collaborator, project).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_concurrent_creations_at_the_cap_cannot_both_pass():
    # given: one slot left, and the user's row held by another transaction while eight
    # creations start, so that they all count at the same moment once it is released
    project, users = team_project()
    user = users["collaborator"]
    for _ in range(CAP - 1):
        uploads.upload_session_create(
            project=project, user=user, length=100, metadata={"filename": "a.stl"}
        )
    outcomes: list[str] = []
    start = threading.Barrier(9)

    def attempt() -> None:
        try:
            start.wait()
            uploads.upload_session_create(
                project=project, user=user, length=100, metadata={"filename": "b.stl"}
            )
            outcomes.append("created")
        except uploads.TooManyOpenUploads:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    # when
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)
        for thread in threads:
            thread.start()
        start.wait()
    for thread in threads:
        thread.join(timeout=60)
    # then
    assert sorted(outcomes) == ["created"] + ["refused"] * 7
    assert UploadSession.objects.filter(user=user).count() == CAP
