"""Resumable uploads (tus 1.0) proven with the official tuspy client against a live server."""

from __future__ import annotations

import hashlib
import io

import httpx
import pytest
from tusclient import client as tus

from konnaxion.keenkonnect.models import DocumentVersion, ProjectResource, UploadSession
from konnaxion.keenkonnect.tests.files import pdf_bytes, stl_binary_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.users.tests.factories import token_for

MB = 1024 * 1024


def tus_client(url: str, project, user) -> tus.TusClient:
    return tus.TusClient(
        f"{url}/api/projects/{project.slug}/uploads/",
        headers={"Authorization": f"Token {token_for(user)}"},
    )


def test_interrupted_upload_resumes_and_becomes_a_document(live_server_url):
    # given: a 4 MB binary STL
    project, users = team_project()
    content = stl_binary_bytes(4 * MB // 50)
    client = tus_client(live_server_url, project, users["collaborator"])
    first = client.uploader(
        file_stream=io.BytesIO(content),
        chunk_size=MB,
        metadata={"filename": "part.stl", "title": "Part"},
    )

    # when: the client stops after 2 MB, then another one resumes from the server's offset
    first.upload(stop_at=2 * MB)
    session = UploadSession.objects.get()
    assert session.offset == 2 * MB
    resumed = client.uploader(file_stream=io.BytesIO(content), chunk_size=MB, url=first.url)
    assert resumed.offset == 2 * MB
    resumed.upload()

    # then
    resource = ProjectResource.objects.get(project=project)
    assert resource.title == "Part"
    version = resource.current_version
    assert version.number == 1
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    assert version.uploaded_by == users["collaborator"]
    assert UploadSession.objects.count() == 0


def test_tus_new_version_and_termination(live_server_url):
    # given
    project, users = team_project()
    client = tus_client(live_server_url, project, users["owner"])
    client.uploader(
        file_stream=io.BytesIO(pdf_bytes("one")), chunk_size=MB, metadata={"filename": "a.pdf"}
    ).upload()
    resource = ProjectResource.objects.get(project=project)

    # when: a second version through tus, and a third upload cancelled
    client.uploader(
        file_stream=io.BytesIO(pdf_bytes("two")),
        chunk_size=MB,
        metadata={"filename": "a.pdf", "resource": str(resource.pk)},
    ).upload()
    cancelled = client.uploader(
        file_stream=io.BytesIO(pdf_bytes("three")), chunk_size=10, metadata={"filename": "c.pdf"}
    )
    cancelled.upload(stop_at=20)
    status = httpx.delete(
        cancelled.url,
        headers={"Tus-Resumable": "1.0.0", "Authorization": f"Token {token_for(users['owner'])}"},
    ).status_code

    # then
    assert status == 204
    assert sorted(
        DocumentVersion.objects.filter(resource=resource).values_list("number", flat=True)
    ) == [1, 2]
    assert UploadSession.objects.count() == 0
    assert ProjectResource.objects.filter(project=project).count() == 1


def test_tus_refuses_a_mentor_and_hostile_content(live_server_url):
    # given
    project, users = team_project()

    # when / then: a mentor may not upload
    with pytest.raises(Exception, match="403"):
        tus_client(live_server_url, project, users["mentor"]).uploader(
            file_stream=io.BytesIO(pdf_bytes()), chunk_size=MB, metadata={"filename": "a.pdf"}
        ).upload()

    # content that is not what its name says is refused when the last byte arrives
    with pytest.raises(Exception, match="415"):
        tus_client(live_server_url, project, users["owner"]).uploader(
            file_stream=io.BytesIO(b"MZ" + b"\0" * 5000),
            chunk_size=MB,
            metadata={"filename": "a.pdf"},
        ).upload()
    assert ProjectResource.objects.count() == 0
    assert UploadSession.objects.count() == 0
