"""Resumable uploads live in the shared storage: any server continues them, the sweep of any
worker cleans them, one of two PATCHes at the same offset wins, and no part is plaintext."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connections
from django.utils import timezone

from conftest import process_env
from konnaxion.core.errors import Conflict
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.parts import (
    StoredPart,
    stored_part_put,
    stored_part_read,
    stored_parts_list,
)
from konnaxion.files.services import blob_read
from konnaxion.keenkonnect.models import DocumentVersion, UploadSession
from konnaxion.keenkonnect.services import resumable_uploads as uploads
from konnaxion.keenkonnect.tests.seaweedfs import S3_BUCKET, S3_CREDENTIALS
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.users.tests.factories import token_for
from konnaxion.web.tests.conftest import _wait_until_serving, free_port

KONNAXION = [sys.executable, "-m", "konnaxion.cli"]
KB = 1024
MB = 1024 * KB


def _stl(size: int) -> bytes:
    """A binary STL of about `size` bytes whose triangles are random (no repeated pattern)."""
    triangles = (size - 84) // 50
    return b"shared".ljust(80) + triangles.to_bytes(4, "little") + os.urandom(50 * triangles)


def _parts_stored() -> list[str]:
    return sorted(name for name, _ in stored_parts_list(prefix=uploads.PARTS_PREFIX))


def _append(session: UploadSession, data: bytes) -> UploadSession:
    appended, _, _ = uploads.upload_session_append(
        session=session, offset=session.offset, read=io.BytesIO(data).read
    )
    return appended


# -- two servers -------------------------------------------------------------------------------


@pytest.fixture(params=["local", "s3"])
def shared_storage(request, settings, tmp_path) -> dict[str, str]:
    """The environment giving server processes one storage, which this test process uses too."""
    if request.param == "local":
        media = tmp_path / "shared-media"
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(media)},
            },
        }
        return {"MEDIA_ROOT": str(media)}
    endpoint = request.getfixturevalue("seaweedfs")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": endpoint,
                "access_key": S3_CREDENTIALS["aws_access_key_id"],
                "secret_key": S3_CREDENTIALS["aws_secret_access_key"],
                "region_name": "us-east-1",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }
    return {
        "S3_BUCKET": S3_BUCKET,
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": S3_CREDENTIALS["aws_access_key_id"],
        "S3_SECRET_ACCESS_KEY": S3_CREDENTIALS["aws_secret_access_key"],
        "S3_REGION": "us-east-1",
    }


class Server:
    """`konnaxion serve` with a data folder (and so a temporary folder) of its own."""

    def __init__(self, data_dir: Path, env: dict[str, str]) -> None:
        self.data_dir = data_dir
        self.tmp_dir = data_dir / "tmp"
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = data_dir.parent / f"{data_dir.name}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [*KONNAXION, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=process_env(
                    **env,
                    KONNAXION_DATA_DIR=str(data_dir),
                    STORAGE_TMP_DIR=str(self.tmp_dir),
                    UVICORN_LOG_LEVEL="warning",
                ),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        _wait_until_serving(self.url, self.process, self.log)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def leftovers(self) -> list[Path]:
        return list(self.tmp_dir.iterdir()) if self.tmp_dir.exists() else []


@pytest.fixture
def two_servers(shared_storage, tmp_path, transactional_db) -> Iterator[Callable[[], Server]]:
    """Start servers on different data folders, the same database, Redis, storage and keys."""
    env = {
        **shared_storage,
        "KONNAXION_STORAGE_KEY": settings.KONNAXION_STORAGE_KEY,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
    }
    servers: list[Server] = []

    def start() -> Server:
        data_dir = tmp_path / f"server-{len(servers)}"
        data_dir.mkdir()
        servers.append(Server(data_dir, env))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def test_an_upload_started_on_one_server_continues_on_another(two_servers):
    # given two servers on different machines (each its own data folder)
    first, second = two_servers(), two_servers()
    project, users = team_project()
    content = _stl(3 * MB)
    headers = {
        "Authorization": f"Token {token_for(users['collaborator'])}",
        "Tus-Resumable": "1.0.0",
    }
    patch_headers = {**headers, "Content-Type": "application/offset+octet-stream"}
    path = f"/api/projects/{project.slug}/uploads/"
    name = base64.b64encode(b"part.stl").decode()

    # when the upload starts on the first server
    created = httpx.post(
        first.url + path,
        headers={
            **headers,
            "Upload-Length": str(len(content)),
            "Upload-Metadata": f"filename {name}",
        },
    )
    assert created.status_code == 201, created.text
    upload_path = httpx.URL(created.headers["Location"]).path
    sent = httpx.patch(
        first.url + upload_path,
        content=content[:MB],
        headers={**patch_headers, "Upload-Offset": "0"},
    )
    assert sent.status_code == 204, sent.text
    # then nothing of it is kept on the first server's disk
    assert first.leftovers() == []

    # when the second server is asked where it stands, and continues it
    head = httpx.head(second.url + upload_path, headers=headers)
    assert head.status_code == 200
    assert head.headers["Upload-Offset"] == str(MB)
    sent = httpx.patch(
        second.url + upload_path,
        content=content[MB : 2 * MB],
        headers={**patch_headers, "Upload-Offset": str(MB)},
    )
    assert sent.status_code == 204, sent.text
    assert second.leftovers() == []
    # and the first server goes away with its disk, the second one finishing the upload
    first.stop()
    shutil.rmtree(first.data_dir)
    finished = httpx.patch(
        second.url + upload_path,
        content=content[2 * MB :],
        headers={**patch_headers, "Upload-Offset": str(2 * MB)},
    )

    # then the document holds exactly the file, and nothing of the upload remains
    assert finished.status_code == 204, finished.text
    version = DocumentVersion.objects.get(
        resource_id=int(finished.headers["Stockage-Resource"]), number=1
    )
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert b"".join(blob_read(blob=version.blob)) == content
    assert not UploadSession.objects.exists()
    assert _parts_stored() == []
    assert second.leftovers() == []


# -- the sweep ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_removes_expired_sessions_and_orphaned_parts(
    storage_backend, django_capture_on_commit_callbacks
):
    # given an expired upload, a live one, a part of a session whose row never came, and a
    # part of the live session that its row does not list (a PATCH killed before committing)
    project, users = team_project()
    user = users["collaborator"]
    content = _stl(10 * KB)
    expired = uploads.upload_session_create(
        project=project, user=user, length=len(content), metadata={"filename": "a.stl"}
    )
    expired = _append(expired, content[: 4 * KB])
    live = uploads.upload_session_create(
        project=project, user=user, length=len(content), metadata={"filename": "b.stl"}
    )
    live = _append(live, content[: 4 * KB])
    UploadSession.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    orphans = []
    for folder in (uuid.uuid4().hex, live.pk.hex):
        upload = IncomingFile(max_bytes=MB)
        upload.write(b"left behind")
        orphans.append(
            stored_part_put(
                name=f"{uploads.PARTS_PREFIX}/{folder}/000000000000000-x", upload=upload
            )
        )
    (expired_part,) = expired.parts
    (live_part,) = live.parts
    assert set(_parts_stored()) == {
        expired_part["name"],
        live_part["name"],
        *(orphan.name for orphan in orphans),
    }

    # when a worker sweeps: the expired session goes, the recent orphans are kept (a PATCH may
    # be committing them)
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads.upload_sessions_expire() == 1

    # then
    assert list(UploadSession.objects.values_list("pk", flat=True)) == [live.pk]
    assert set(_parts_stored()) == {live_part["name"], *(orphan.name for orphan in orphans)}

    # when the orphans are older than the sweep's delay
    assert uploads.upload_sessions_expire(stale_after=timedelta(0)) == 0

    # then only the live session's part remains, and the live upload still completes
    assert _parts_stored() == [live_part["name"]]
    _, _, version = uploads.upload_session_append(
        session=UploadSession.objects.get(), offset=4 * KB, read=io.BytesIO(content[4 * KB :]).read
    )
    assert version is not None and b"".join(blob_read(blob=version.blob)) == content
    assert _parts_stored() == []


# -- the race ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_patches_at_the_same_offset_one_wins_the_other_gets_409():
    # given an upload, and two PATCHes at offset 0 whose bodies arrive at the same moment
    project, users = team_project()
    session = uploads.upload_session_create(
        project=project, user=users["collaborator"], length=100 * KB, metadata={"filename": "a.stl"}
    )
    bodies = {"one": _stl(100 * KB)[: 60 * KB], "two": _stl(100 * KB)[: 40 * KB]}
    both_reading = threading.Barrier(2, timeout=60)
    outcomes: dict[str, object] = {}

    def patch(which: str) -> None:
        body = io.BytesIO(bodies[which])

        def read(size: int) -> bytes:
            if body.tell() == 0:
                both_reading.wait()  # each has passed the offset check before either commits
            return body.read(size)

        try:
            copy = UploadSession.objects.get(pk=session.pk)
            appended, _, _ = uploads.upload_session_append(session=copy, offset=0, read=read)
            outcomes[which] = appended.offset
        except Conflict as error:
            outcomes[which] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=patch, args=(which,)) for which in bodies]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then exactly one wins; the other is told the offset the winner reached
    winners = [which for which, outcome in outcomes.items() if isinstance(outcome, int)]
    losers = [outcome for outcome in outcomes.values() if isinstance(outcome, Conflict)]
    assert len(winners) == 1 and len(losers) == 1
    winner = winners[0]
    assert losers[0].status == 409 and losers[0].code == "offset_mismatch"
    assert losers[0].details == {"offset": len(bodies[winner])}
    stored = UploadSession.objects.get()
    assert stored.offset == len(bodies[winner])
    # and only the winner's part is stored, holding its bytes
    (part,) = stored.parts
    assert _parts_stored() == [part["name"]]
    assert b"".join(stored_part_read(part=StoredPart.from_json(part))) == bodies[winner]


# -- at rest -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_parts_are_not_plaintext_at_rest(storage_backend):
    # given an upload whose first bytes carry a recognisable text
    project, users = team_project()
    marker = b"CONFIDENTIAL-ENGINE-BLUEPRINT-" * 40
    content = _stl(200 * KB)
    content = content[:84] + marker + content[84 + len(marker) :]
    session = uploads.upload_session_create(
        project=project,
        user=users["collaborator"],
        length=len(content),
        metadata={"filename": "a.stl"},
    )
    # when part of it is sent
    session = _append(session, content[: 100 * KB])
    # then the stored part is sealed in the blob format, and none of the text shows
    (part,) = session.parts
    with default_storage.open(part["name"], "rb") as handle:
        stored = handle.read()
    assert stored.startswith(b"KNXBLOB1")
    assert b"CONFIDENTIAL" not in stored
    assert content[84 : 84 + 64] not in stored
    # and the key to read it is not in the storage but in the database, wrapped
    assert part["wrapped_key"] and base64.b64decode(part["wrapped_key"]) not in stored
