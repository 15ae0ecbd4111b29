"""`kill -9` of the server mid-upload: no visible resource or version, and the cleanup
(`upload_sessions_expire`, run by beat) removes what the dead server left under STORAGE_TMP_DIR
and the parts of the expired upload in the storage."""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from conftest import process_env
from konnaxion.keenkonnect.models import DocumentVersion, ProjectResource, UploadSession
from konnaxion.keenkonnect.services.projects import project_create
from konnaxion.keenkonnect.services.resumable_uploads import upload_sessions_expire
from konnaxion.runtime.supervisor import fetch_health
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

MULTIPART_BYTES = 32 * 1024 * 1024
TUS_BYTES = 32 * 1024 * 1024
FIRST_PATCH_BYTES = 256 * 1024
SENT_BEFORE_KILL = 4 * 1024 * 1024
BOUNDARY = "killed-server-boundary"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def upload_dir(settings, tmp_path) -> Path:
    settings.STORAGE_TMP_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def media_dir(settings, tmp_path) -> Path:
    """The storage the server and this test share (resumable uploads keep their parts there)."""
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    return media


@pytest.fixture
def server(upload_dir, media_dir) -> Iterator[tuple[subprocess.Popen, str]]:
    """`konnaxion serve` on the test database, receiving uploads into `upload_dir`."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "konnaxion.cli", "serve", "--port", str(port)],
        env=process_env(
            STORAGE_TMP_DIR=str(upload_dir),
            MEDIA_ROOT=str(media_dir),
            UVICORN_LOG_LEVEL="warning",
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while fetch_health(f"{url}/healthz")[0] == 0:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("konnaxion serve did not start")
        time.sleep(0.1)
    yield process, url
    if process.poll() is None:
        process.kill()
    process.wait()


def _open_request(url: str, request_head: str) -> socket.socket:
    """A connection on which an HTTP request's head has been sent, its body yet to come."""
    host, port = url.removeprefix("http://").split(":")
    connection = socket.create_connection((host, int(port)))
    connection.sendall(request_head.encode())
    return connection


def _stl_bytes(size: int) -> bytes:
    triangles = (size - 84) // 50
    return b"killed".ljust(80) + triangles.to_bytes(4, "little") + bytes(50 * triangles)


def test_kill_9_mid_upload_leaves_no_document_and_the_sweep_removes_its_data(server, upload_dir):
    # given an owner with a tus upload under way (its first bytes accepted)
    process, url = server
    owner = UserFactory()
    project = project_create(creator=owner, title="Killed server")
    auth = {"Authorization": f"Token {token_for(owner)}", "Tus-Resumable": "1.0.0"}
    base = f"{url}/api/projects/{project.slug}"
    filename = base64.b64encode(b"plan.stl").decode()
    created = httpx.post(
        f"{base}/uploads/",
        headers={
            **auth,
            "Upload-Length": str(TUS_BYTES),
            "Upload-Metadata": f"filename {filename}",
        },
    )
    assert created.status_code == 201, created.text
    upload_url = created.headers["Location"]
    content = _stl_bytes(TUS_BYTES)
    first = httpx.patch(
        upload_url,
        content=content[:FIRST_PATCH_BYTES],
        headers={**auth, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
    )
    assert first.status_code == 204, first.text
    # and a multipart upload and the next PATCH, each with only part of its body sent
    multipart_head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.stl"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    multipart = _open_request(
        url,
        f"POST /api/projects/{project.slug}/resources/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: {auth['Authorization']}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(multipart_head) + MULTIPART_BYTES + 64}\r\n\r\n",
    )
    multipart.sendall(multipart_head + _stl_bytes(MULTIPART_BYTES)[:SENT_BEFORE_KILL])
    path = httpx.URL(upload_url).path
    patch = _open_request(
        url,
        f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: {auth['Authorization']}\r\nTus-Resumable: 1.0.0\r\n"
        f"Upload-Offset: {FIRST_PATCH_BYTES}\r\n"
        "Content-Type: application/offset+octet-stream\r\n"
        f"Content-Length: {TUS_BYTES - FIRST_PATCH_BYTES}\r\n\r\n",
    )
    patch.sendall(content[FIRST_PATCH_BYTES : FIRST_PATCH_BYTES + SENT_BEFORE_KILL])

    # when the server is killed mid-way
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    multipart.close()
    patch.close()

    # then no document or version is visible, and the upload kept only what it had confirmed
    assert not ProjectResource.objects.filter(project=project).exists()
    assert not DocumentVersion.objects.filter(resource__project=project).exists()
    session = UploadSession.objects.get()
    assert session.offset == FIRST_PATCH_BYTES
    # and a sweep keeps the live session's data
    upload_sessions_expire()
    (part,) = session.parts
    assert default_storage.exists(part["name"])
    # and once the session has expired and the leftovers are older than the sweep's delay,
    # the sweep removes them all
    UploadSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    two_hours_ago = time.time() - 2 * 3600
    for leftover in upload_dir.iterdir():
        os.utime(leftover, (two_hours_ago, two_hours_ago))
    assert upload_sessions_expire() == 1
    assert not UploadSession.objects.exists()
    assert list(upload_dir.iterdir()) == []
    assert not default_storage.exists(part["name"])
