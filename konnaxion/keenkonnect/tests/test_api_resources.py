"""The Stockage API: uploads of real and hostile files, downloads, versions, restore, trash."""

from __future__ import annotations

import hashlib
import os
from urllib.parse import quote

import pytest

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import AuditEvent, DocumentVersion, ProjectResource
from konnaxion.keenkonnect.tests.files import (
    glb_bytes,
    gltf_bytes,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    stl_ascii_bytes,
    stl_binary_bytes,
)
from konnaxion.keenkonnect.tests.stockage import client_for, new_version, team_project, upload
from konnaxion.keenkonnect.tests.test_file_policy import (
    corrupt_png_crc,
    glb_with_external_uri,
    gltf_with,
    png_with_size,
    truncated_glb,
)

pytestmark = pytest.mark.django_db


def nothing_left(upload_tmp_dir) -> bool:
    return (
        ProjectResource.objects.count() == 0
        and DocumentVersion.objects.count() == 0
        and Blob.objects.count() == 0
        and (not upload_tmp_dir.exists() or os.listdir(upload_tmp_dir) == [])
    )


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Plan.PDF", pdf_bytes(), "application/pdf"),
        ("photo.png", png_bytes(), "image/png"),
        ("photo.jpg", jpeg_bytes(), "image/jpeg"),
        ("part.glb", glb_bytes(), "model/gltf-binary"),
        ("scene.gltf", gltf_bytes(), "model/gltf+json"),
        ("part.stl", stl_binary_bytes(3), "model/stl"),
        ("ascii.stl", stl_ascii_bytes(), "model/stl"),
    ],
)
def test_upload_of_every_allowed_type(upload_tmp_dir, name, content, content_type):
    # given
    project, users = team_project()

    # when
    response = upload(client_for(users["collaborator"]), project, name, content, title="Plan A")

    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Plan A"
    assert body["my_level"] == "write"
    assert body["added_by"] == users["collaborator"].username
    assert body["current_version"]["number"] == 1
    assert body["current_version"]["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["current_version"]["content_type"] == content_type
    assert body["current_version"]["original_name"] == name
    assert os.listdir(upload_tmp_dir) == []
    assert AuditEvent.objects.filter(action="upload", resource_id=body["id"]).count() == 1


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("plan.php.pdf", pdf_bytes(), "file_type_not_allowed"),
        ("plan.PDF.exe", pdf_bytes(), "file_type_not_allowed"),
        ("plan.exe", b"MZ\x90\x00", "file_type_not_allowed"),
        (".pdf", pdf_bytes(), "file_type_not_allowed"),
        ("plan.pdf", b"MZ\x90\x00 not a pdf", "file_content_mismatch"),
        ("plan.pdf", pdf_bytes()[:-20], "file_content_mismatch"),
        ("image.png", jpeg_bytes(), "file_content_mismatch"),
        ("image.png", corrupt_png_crc(), "file_content_mismatch"),
        ("flood.png", png_with_size(60_000, 60_000), "file_content_mismatch"),
        ("part.glb", truncated_glb(), "file_content_mismatch"),
        ("part.glb", glb_with_external_uri(), "file_content_mismatch"),
        ("scene.gltf", gltf_with("https://evil.example/a.bin"), "file_content_mismatch"),
        ("scene.gltf", gltf_with("file:///etc/passwd"), "file_content_mismatch"),
        ("scene.gltf", gltf_with("../../secret.bin"), "file_content_mismatch"),
        ("part.stl", stl_binary_bytes(3)[:-7], "file_content_mismatch"),
        # A polyglot: a PDF whose bytes start as a PNG.
        ("poly.pdf", png_bytes() + pdf_bytes(), "file_content_mismatch"),
    ],
)
def test_hostile_uploads_are_refused_and_leave_nothing(upload_tmp_dir, name, content, code):
    # given
    project, users = team_project()

    # when
    response = upload(client_for(users["owner"]), project, name, content)

    # then
    assert response.status_code == 415, response.content
    assert response.json()["error"]["code"] == code
    assert nothing_left(upload_tmp_dir)


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "..\\..\\boot\\passwd.pdf"])
def test_path_traversal_names_keep_only_their_last_part(name):
    # given
    project, users = team_project()

    # when
    response = upload(client_for(users["owner"]), project, name, pdf_bytes())

    # then: the name is only a label; storage names derive from the content address
    assert response.status_code == 201
    assert response.json()["current_version"]["original_name"] == "passwd.pdf"
    blob = Blob.objects.get()
    assert blob.storage_name == f"blobs/{blob.sha256[:2]}/{blob.sha256[2:4]}/{blob.sha256}"


def test_too_large_upload_is_413_and_leaves_nothing(settings, upload_tmp_dir):
    # given
    settings.MAX_BLUEPRINT_UPLOAD_MB = 1
    project, users = team_project()

    # when
    response = upload(
        client_for(users["owner"]), project, "big.pdf", pdf_bytes() + b"%" * (3 * 1024 * 1024)
    )

    # then
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    assert nothing_left(upload_tmp_dir)


def test_upload_without_a_file_is_400(upload_tmp_dir):
    project, users = team_project()
    response = client_for(users["owner"]).post(
        f"/api/projects/{project.slug}/resources/", data={"title": "x"}, format="multipart"
    )
    assert response.status_code == 400
    assert nothing_left(upload_tmp_dir)


def test_identical_content_is_stored_once():
    # given
    project, users = team_project()
    client = client_for(users["owner"])

    # when
    upload(client, project, "a.pdf", pdf_bytes("same"))
    upload(client, project, "b.pdf", pdf_bytes("same"))

    # then
    assert ProjectResource.objects.count() == 2
    assert Blob.objects.count() == 1


def test_download_streams_the_decrypted_content_with_safe_headers():
    # given
    project, users = team_project()
    content = stl_binary_bytes(2000)
    resource_id = upload(client_for(users["owner"]), project, "Pièce 1.stl", content).json()["id"]
    url = f"/api/projects/{project.slug}/resources/{resource_id}/download/"

    # when
    response = client_for(users["mentor"]).get(url)

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "model/stl"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{hashlib.sha256(content).hexdigest()}"'
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"Piece 1.stl\"; filename*=UTF-8''{quote('Pièce 1.stl')}"
    )
    assert AuditEvent.objects.filter(action="download", actor=users["mentor"]).count() == 1


@pytest.mark.parametrize(
    ("header", "status", "start", "stop"),
    [
        ("bytes=0-99", 206, 0, 100),
        ("bytes=70000-", 206, 70000, None),
        ("bytes=-10", 206, -10, None),
        ("bytes=0-99999999", 206, 0, None),
        ("bytes=5-1", 200, 0, None),
        ("bytes=0-1,5-6", 200, 0, None),
    ],
)
def test_download_ranges(header, status, start, stop):
    # given
    project, users = team_project()
    content = stl_binary_bytes(3000)
    resource_id = upload(client_for(users["owner"]), project, "p.stl", content).json()["id"]

    # when
    response = client_for(users["owner"]).get(
        f"/api/projects/{project.slug}/resources/{resource_id}/download/", HTTP_RANGE=header
    )

    # then
    assert response.status_code == status
    expected = content[start:stop]
    assert b"".join(response.streaming_content) == expected
    if status == 206:
        first = start % len(content)
        assert response["Content-Range"] == (
            f"bytes {first}-{first + len(expected) - 1}/{len(content)}"
        )


def test_unsatisfiable_range_is_416():
    project, users = team_project()
    resource_id = upload(client_for(users["owner"]), project, "p.pdf", pdf_bytes()).json()["id"]
    response = client_for(users["owner"]).get(
        f"/api/projects/{project.slug}/resources/{resource_id}/download/",
        HTTP_RANGE="bytes=999999-",
    )
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(pdf_bytes())}"


def test_versions_if_match_download_and_restore():
    # given
    project, users = team_project()
    owner = client_for(users["owner"])
    resource_id = upload(owner, project, "p.pdf", pdf_bytes("one")).json()["id"]
    base = f"/api/projects/{project.slug}/resources/{resource_id}/"

    # when: a second version, then a stale one
    second = new_version(owner, project, resource_id, "p2.pdf", pdf_bytes("two"), HTTP_IF_MATCH="1")
    stale = new_version(
        owner, project, resource_id, "p3.pdf", pdf_bytes("three"), HTTP_IF_MATCH="1"
    )
    restored = owner.post(f"{base}restore/", {"version": 1}, format="json")

    # then
    assert second.status_code == 201 and second.json()["number"] == 2
    assert stale.status_code == 412
    assert stale.json()["error"]["code"] == "version_conflict"
    assert restored.status_code == 201 and restored.json()["number"] == 3
    versions = DocumentVersion.objects.filter(resource_id=resource_id).order_by("number")
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[2].blob_id == versions[0].blob_id
    assert Blob.objects.count() == 2
    listing = owner.get(f"{base}versions/").json()
    assert [v["number"] for v in listing["results"]] == [3, 2, 1]
    old = owner.get(f"{base}download/?version=2")
    assert b"".join(old.streaming_content) == pdf_bytes("two")
    current = owner.get(f"{base}download/")
    assert b"".join(current.streaming_content) == pdf_bytes("one")
    assert owner.get(f"{base}download/?version=9").status_code == 404
    assert owner.get(f"{base}download/?version=x").status_code == 400
    assert owner.post(f"{base}restore/", {"version": 9}, format="json").status_code == 404
    assert owner.get(base).json()["current_version"]["number"] == 3


def test_trash_restore_and_purge():
    # given
    project, users = team_project()
    owner = client_for(users["owner"])
    resource_id = upload(owner, project, "p.pdf", pdf_bytes("trash me")).json()["id"]
    base = f"/api/projects/{project.slug}/resources/{resource_id}/"

    # when / then: trashed, it leaves the list and the detail, and appears in the trash
    assert client_for(users["collaborator"]).delete(base).status_code == 204
    assert owner.get(base).status_code == 404
    assert owner.get(f"/api/projects/{project.slug}/resources/").json()["count"] == 0
    trash = owner.get(f"/api/projects/{project.slug}/resources/trash/").json()
    assert [r["id"] for r in trash["results"]] == [resource_id]
    assert (
        client_for(users["mentor"])
        .get(f"/api/projects/{project.slug}/resources/trash/")
        .json()["count"]
        == 0
    )

    # restored from the trash
    assert owner.post(f"{base}untrash/").status_code == 200
    assert owner.get(base).status_code == 200

    # purged: rows gone; the blob, referred to by nothing, is left to the garbage collector
    assert owner.delete(f"{base}purge/").status_code == 204
    assert ProjectResource.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert not Blob.objects.filter(document_versions__isnull=False).exists()
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["upload", "trash", "untrash", "purge"]


def test_trash_expires_after_the_retention_days():
    from datetime import timedelta

    from django.utils import timezone

    from konnaxion.keenkonnect.services.secure_document_storage import (
        resources_purge_expired_trash,
    )

    # given: a document trashed 31 days ago and one trashed today
    project, users = team_project()
    owner = client_for(users["owner"])
    old_id = upload(owner, project, "a.pdf", pdf_bytes("a")).json()["id"]
    new_id = upload(owner, project, "b.pdf", pdf_bytes("b")).json()["id"]
    for resource_id in (old_id, new_id):
        owner.delete(f"/api/projects/{project.slug}/resources/{resource_id}/")
    ProjectResource.objects.filter(pk=old_id).update(trashed_at=timezone.now() - timedelta(days=31))

    # when
    late = owner.post(f"/api/projects/{project.slug}/resources/{old_id}/untrash/")
    purged = resources_purge_expired_trash()

    # then
    assert late.status_code == 404
    assert purged == 1
    assert list(ProjectResource.objects.values_list("pk", flat=True)) == [new_id]


def test_permissions_entries_and_audit_log():
    # given
    project, users = team_project()
    owner = client_for(users["owner"])
    resource_id = upload(owner, project, "p.pdf", pdf_bytes()).json()["id"]
    url = f"/api/projects/{project.slug}/resources/{resource_id}/permissions/"
    entries = [
        {"user": users["collaborator"].username, "level": "none"},
        {"user": users["mentor"].username, "level": "admin"},
    ]

    # when
    put = owner.put(url, {"entries": entries}, format="json")

    # then
    assert put.status_code == 200
    assert put.json() == {"entries": sorted(entries, key=lambda e: e["user"])}
    detail = f"/api/projects/{project.slug}/resources/{resource_id}/"
    assert client_for(users["collaborator"]).get(detail).status_code == 404
    assert client_for(users["mentor"]).get(detail).json()["my_level"] == "admin"
    assert client_for(users["mentor"]).get(url).status_code == 200
    audit = owner.get(f"/api/projects/{project.slug}/audit/").json()
    assert [e["action"] for e in audit["results"]] == ["permissions", "upload"]
    assert audit["results"][0]["details"]["after"] == put.json()["entries"]


@pytest.mark.parametrize(
    "body",
    [
        {"entries": [{"user": "nobody-at-all", "level": "read"}]},
        {"entries": [{"user": "x", "level": "god"}]},
        {"entries": "nope"},
        {},
    ],
)
def test_bad_permission_entries_are_400_and_change_nothing(body):
    project, users = team_project()
    owner = client_for(users["owner"])
    resource_id = upload(owner, project, "p.pdf", pdf_bytes()).json()["id"]
    url = f"/api/projects/{project.slug}/resources/{resource_id}/permissions/"
    response = owner.put(url, body, format="json")
    assert response.status_code == 400
    assert owner.get(url).json() == {"entries": []}


def test_public_project_non_members_read_but_do_not_write():
    project, users = team_project(visibility="public")
    resource_id = upload(client_for(users["owner"]), project, "p.pdf", pdf_bytes()).json()["id"]
    from konnaxion.users.tests.factories import UserFactory

    stranger = client_for(UserFactory())
    detail = f"/api/projects/{project.slug}/resources/{resource_id}/"
    assert stranger.get(detail).json()["my_level"] == "read"
    assert stranger.delete(detail).status_code == 403
    assert upload(stranger, project, "q.pdf", pdf_bytes("q")).status_code == 403


@pytest.mark.parametrize("path", ["resources/", "resources/trash/", "audit/", "versions"])
def test_list_query_counts_are_flat(django_assert_max_num_queries, path):
    from konnaxion.keenkonnect.selectors import resource_get_visible
    from konnaxion.keenkonnect.services.document_versioning import version_restore
    from konnaxion.keenkonnect.services.secure_document_storage import (
        resource_create,
        resource_trash,
    )
    from konnaxion.keenkonnect.tests.files import incoming_file

    project, users = team_project()
    owner = users["owner"]
    first = resource_create(project=project, upload=incoming_file(pdf_bytes("0")), actor=owner)

    def make(count: int) -> None:
        for index in range(count):
            if path == "versions":
                resource = resource_get_visible(user=owner, project=project, resource_id=first.pk)
                version_restore(resource=resource, number=1, actor=owner)
                continue
            created = resource_create(
                project=project, upload=incoming_file(pdf_bytes(f"{index}")), actor=owner
            )
            if path == "resources/trash/":
                resource = resource_get_visible(user=owner, project=project, resource_id=created.pk)
                resource_trash(resource=resource, actor=owner)

    url = (
        f"/api/projects/{project.slug}/resources/{first.pk}/versions/?page_size=100"
        if path == "versions"
        else f"/api/projects/{project.slug}/{path}?page_size=100"
    )
    client = client_for(owner)
    counts = []
    for count in (2, 48):
        make(count)
        with django_assert_max_num_queries(50) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_browser_session_uploads_with_its_csrf_token(upload_tmp_dir):
    # given a signed-in browser: session cookie and CSRF token, as the web front sends them
    from rest_framework.test import APIClient

    from konnaxion.keenkonnect.tests.stockage import NamedBytes
    from konnaxion.users.tests.factories import DEFAULT_PASSWORD

    project, users = team_project()
    browser = APIClient(enforce_csrf_checks=True)
    assert browser.login(username=users["collaborator"].username, password=DEFAULT_PASSWORD)
    token = "k" * 32
    browser.cookies["csrftoken"] = token
    # when (the CSRF check reads the form before the view: the file must still stream)
    response = browser.post(
        f"/api/projects/{project.slug}/resources/",
        data={"file": NamedBytes("plan.pdf", pdf_bytes()), "title": "From the browser"},
        format="multipart",
        HTTP_X_CSRFTOKEN=token,
    )
    # then
    assert response.status_code == 201, response.content
    assert response.json()["current_version"]["content_type"] == "application/pdf"
    assert not upload_tmp_dir.exists() or os.listdir(upload_tmp_dir) == []


def test_a_browser_session_without_csrf_token_is_refused_and_nothing_remains(upload_tmp_dir):
    from rest_framework.test import APIClient

    from konnaxion.keenkonnect.tests.stockage import NamedBytes
    from konnaxion.users.tests.factories import DEFAULT_PASSWORD

    project, users = team_project()
    browser = APIClient(enforce_csrf_checks=True)
    browser.login(username=users["collaborator"].username, password=DEFAULT_PASSWORD)
    response = browser.post(
        f"/api/projects/{project.slug}/resources/",
        data={"file": NamedBytes("plan.pdf", pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 403
    assert nothing_left(upload_tmp_dir)


def test_a_multipart_body_without_its_closing_boundary_is_refused_and_nothing_remains(
    upload_tmp_dir,
):
    # given a complete request whose multipart body stops inside the file part
    project, users = team_project()
    content = pdf_bytes()
    body = (
        b"--cut\r\n"
        b'Content-Disposition: form-data; name="file"; filename="plan.pdf"\r\n\r\n' + content
    )
    # when
    response = client_for(users["collaborator"]).generic(
        "POST",
        f"/api/projects/{project.slug}/resources/",
        body,
        content_type="multipart/form-data; boundary=cut",
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert nothing_left(upload_tmp_dir)
