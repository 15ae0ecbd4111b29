"""New versions sent at once over real HTTP connections to the live ASGI server."""

from __future__ import annotations

import hashlib
import threading

import httpx

from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import DocumentVersion
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.users.tests.factories import token_for

PARALLEL_UPLOADS = 20


def test_twenty_simultaneous_new_versions_over_http_get_contiguous_numbers(live_server_url):
    # given: a document at version 1, and 20 different PDFs, each on its own connection
    project, users = team_project()
    owner = users["owner"]
    resource = resource_create(project=project, upload=incoming_file(pdf_bytes("v1")), actor=owner)
    url = f"{live_server_url}/api/projects/{project.slug}/resources/{resource.pk}/versions/"
    headers = {"Authorization": f"Token {token_for(owner)}"}
    contents = [pdf_bytes(f"parallel version {index}") for index in range(PARALLEL_UPLOADS)]
    barrier = threading.Barrier(PARALLEL_UPLOADS)
    responses: list[httpx.Response | BaseException | None] = [None] * PARALLEL_UPLOADS

    def send(index: int) -> None:
        try:
            with httpx.Client(timeout=120) as client:
                barrier.wait()
                responses[index] = client.post(
                    url,
                    headers=headers,
                    files={"file": (f"plan-{index}.pdf", contents[index], "application/pdf")},
                    data={"comment": f"parallel {index}"},
                )
        except BaseException as error:  # reported below, in the test's thread
            responses[index] = error

    # when
    threads = [threading.Thread(target=send, args=(index,)) for index in range(PARALLEL_UPLOADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then every request made a version, and the numbers are 1..21 with no gap or duplicate
    assert [getattr(response, "status_code", response) for response in responses] == [201] * 20
    answered = sorted(response.json()["number"] for response in responses)
    assert answered == list(range(2, PARALLEL_UPLOADS + 2))
    versions = DocumentVersion.objects.filter(resource=resource)
    assert sorted(versions.values_list("number", flat=True)) == list(range(1, 22))
    # and each upload kept its own content, in a blob of its own
    by_comment = {version.comment: version for version in versions.select_related("blob")}
    for index, response in enumerate(responses):
        version = by_comment[f"parallel {index}"]
        assert version.number == response.json()["number"]
        assert version.sha256 == hashlib.sha256(contents[index]).hexdigest()
    new_blobs = {version.blob_id for version in versions.exclude(number=1)}
    assert len(new_blobs) == PARALLEL_UPLOADS
    assert Blob.objects.filter(pk__in=new_blobs).count() == PARALLEL_UPLOADS
    resource.refresh_from_db()
    assert resource.current_version.number == 21
