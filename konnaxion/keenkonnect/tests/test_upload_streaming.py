"""Multipart uploads reach the view through the real ASGI application as the body arrives:
received while it streams in, refused with 413 when the file runs past the limit, and leaving
nothing behind when the body is cut short."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from pathlib import Path

import pytest
from asgiref.testing import ApplicationCommunicator
from channels.db import database_sync_to_async

from konnaxion.core.streamed_body import BLOCK_BYTES
from konnaxion.core.tests.asgi_requests import http_post_scope
from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import DocumentVersion, ProjectResource
from konnaxion.keenkonnect.tests.files import stl_binary_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.users.tests.factories import token_for

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

BOUNDARY = "streamed-upload-boundary"
PIECE = 64 * 1024
# More than one block of a streamed body: what the view is handed before the rest is sent.
FIRST_PART = BLOCK_BYTES + PIECE


def _multipart(name: str, content: bytes) -> bytes:
    return (
        (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


@database_sync_to_async
def _project_and_token():
    project, users = team_project()
    return project.slug, token_for(users["owner"])


@database_sync_to_async
def _stored() -> tuple[int, int, int]:
    return (
        ProjectResource.objects.count(),
        DocumentVersion.objects.count(),
        Blob.objects.count(),
    )


async def _upload(*, body: bytes) -> ApplicationCommunicator:
    """A POST of `body` (its length declared) to the resources of a new project; the body is
    sent by the test."""
    from config.asgi import application

    slug, token = await _project_and_token()
    path = f"/api/projects/{slug}/resources/"
    headers = [
        (b"authorization", f"Token {token}".encode()),
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    return ApplicationCommunicator(application, http_post_scope(path, headers))


async def _send_body(communicator: ApplicationCommunicator, body: bytes, *, last: bool) -> None:
    for start in range(0, len(body), PIECE):
        more = not last or start + PIECE < len(body)
        piece = body[start : start + PIECE]
        await communicator.send_input({"type": "http.request", "body": piece, "more_body": more})


async def _answer(communicator: ApplicationCommunicator) -> tuple[int, dict]:
    start = await communicator.receive_output(timeout=60)
    body = await communicator.receive_output(timeout=60)
    await communicator.wait(timeout=60)
    return start["status"], json.loads(body["body"])


def _leftovers(folder: Path) -> list[Path]:
    return list(folder.iterdir()) if folder.exists() else []


async def _until_exists(folder: Path, pattern: str) -> list[Path]:
    """Wait (for at most a minute) until the view has made a file matching `pattern`."""
    deadline = time.monotonic() + 60
    while not (found := list(folder.glob(pattern))) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return found


async def test_upload_is_received_by_the_view_while_the_body_streams_in(upload_tmp_dir):
    # given: a binary STL of two streamed blocks, of which only the first block has been sent
    content = stl_binary_bytes(2 * BLOCK_BYTES // 50)
    body = _multipart("part.stl", content)
    communicator = await _upload(body=body)
    await _send_body(communicator, body[:FIRST_PART], last=False)

    # when the view has begun to encrypt it, before the rest is sent
    receiving = await _until_exists(upload_tmp_dir, "upload-*.part")
    await _send_body(communicator, body[FIRST_PART:], last=True)
    status, answer = await _answer(communicator)

    # then the upload became a document of exactly that content, and its temporary file is gone
    assert len(receiving) == 1
    assert status == 201, answer
    assert answer["current_version"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert answer["current_version"]["size"] == len(content)
    assert await _stored() == (1, 1, 1)
    assert _leftovers(upload_tmp_dir) == []


async def test_file_past_the_limit_while_streaming_is_413_and_leaves_nothing(
    settings, upload_tmp_dir
):
    # given: a body within the multipart allowance, holding a file past the 1 MB limit
    settings.MAX_BLUEPRINT_UPLOAD_MB = 1
    body = _multipart("part.stl", stl_binary_bytes(30_000))
    communicator = await _upload(body=body)

    # when
    await _send_body(communicator, body, last=True)
    status, answer = await _answer(communicator)

    # then: the 413, no row, no blob, no temporary file
    assert status == 413
    assert answer["error"]["code"] == "file_too_large"
    assert await _stored() == (0, 0, 0)
    assert _leftovers(upload_tmp_dir) == []


async def test_client_gone_mid_body_leaves_nothing(upload_tmp_dir):
    # given: an upload whose view is already receiving the file
    body = _multipart("part.stl", stl_binary_bytes(2 * BLOCK_BYTES // 50))
    communicator = await _upload(body=body)
    await _send_body(communicator, body[:FIRST_PART], last=False)
    assert len(await _until_exists(upload_tmp_dir, "upload-*.part")) == 1

    # when the client goes away
    await communicator.send_input({"type": "http.disconnect"})
    await communicator.wait(timeout=60)

    # then no row, no blob, no temporary file
    assert await _stored() == (0, 0, 0)
    assert _leftovers(upload_tmp_dir) == []
