"""What the API fuzzing (`test_api_fuzz.py`) found, one plain test per finding, and what the
same inputs (NUL bytes) found on the web pages' query strings.

A new finding is added here marked xfail (strict) with an entry in `KNOWN_FINDINGS` of
`test_api_fuzz.py`; its fix removes both. Every finding below is fixed.
"""

from __future__ import annotations

import pytest
import schemathesis
from rest_framework.test import APIClient
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.users.tests.factories import UserFactory, token_for
from tests.security.test_api_fuzz import InProcessApplication

# A schema of its own: the fuzzing's hooks (which skip the known findings) do not apply here.
schema = schemathesis.openapi.from_wsgi("/api/schema/", InProcessApplication())


def _call(method: str, path: str, *, user, **path_parameters):
    """The operation's answer to `user`, with the case that validates it."""
    case = schema[path][method].Case(path_parameters=path_parameters)
    response = case.call(headers={"Authorization": f"Token {token_for(user)}"})
    return case, response


@pytest.mark.django_db
def test_document_not_in_the_trash_conforms_to_the_schema():
    # given a document that was never trashed
    owner = UserFactory()
    project = project_for(owner, title="Atlas")
    document = resource_create(project=project, upload=incoming_file(pdf_bytes()), actor=owner)
    # when its owner reads it
    case, response = _call(
        "GET",
        "/api/projects/{project_slug}/resources/{resource_id}/",
        user=owner,
        project_slug=project.slug,
        resource_id=document.pk,
    )
    # then its `trashed_by` (null) is what the schema documents
    assert response.status_code == 200
    assert response.json()["trashed_by"] is None
    case.validate_response(response, checks=[response_schema_conformance])


@pytest.mark.django_db
def test_document_download_content_type_is_documented():
    # given a PDF document
    owner = UserFactory()
    project = project_for(owner, title="Atlas")
    document = resource_create(project=project, upload=incoming_file(pdf_bytes()), actor=owner)
    # when its owner downloads it
    case, response = _call(
        "GET",
        "/api/projects/{project_slug}/resources/{resource_id}/download/",
        user=owner,
        project_slug=project.slug,
        resource_id=document.pk,
    )
    # then it is a PDF, as the schema documents
    assert response.status_code == 200
    assert response.headers["content-type"] == ["application/pdf"]
    case.validate_response(response, checks=[content_type_conformance])


@pytest.mark.django_db
def test_opportunity_attachment_content_type_is_documented():
    from konnaxion.kreative.services.opportunity_announcement import opportunity_create

    # given an opportunity with a PDF attachment
    poster = UserFactory()
    opportunity = opportunity_create(
        posted_by=poster,
        type="residency",
        title="Print residency",
        description="Three months in the studio.",
        apply_url="https://example.org/apply",
        attachments=[incoming_file(pdf_bytes("brief"), name="brief.pdf")],
    )
    attachment = opportunity.attachments.get()
    # when a member downloads it
    case, response = _call(
        "GET",
        "/api/connect/opportunities/{id}/attachments/{attachment_id}/",
        user=UserFactory(),
        id=opportunity.pk,
        attachment_id=attachment.pk,
    )
    # then it is a PDF, as the schema documents
    assert response.status_code == 200
    assert response.headers["content-type"] == ["application/pdf"]
    case.validate_response(response, checks=[content_type_conformance])


def _project_with_team(owner):
    project = project_for(owner, title="Atlas")
    return f"/api/keenkonnect/projects/{project.slug}/"


NUL = "team\x00member"
NAMING_A_USER = [
    pytest.param(
        lambda owner: (_project_with_team(owner) + "team/", {"username": NUL, "role": "mentor"}),
        id="team member",
    ),
    pytest.param(
        lambda owner: (_project_with_team(owner) + "tasks/", {"title": "Draw", "assignee": NUL}),
        id="task assignee",
    ),
    pytest.param(
        lambda owner: ("/api/konnected/recommendations/", {"user": NUL, "resource": 1}),
        id="recommendation",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body_format",
    [
        "json",  # refused by the API's JSON parser (parse_error)
        "multipart",
    ],
)
@pytest.mark.parametrize("request_of", NAMING_A_USER)
def test_a_nul_byte_naming_a_user_is_refused(request_of, body_format):
    # given a project owner
    owner = UserFactory()
    path, body = request_of(owner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(owner)}")
    client.raise_request_exception = False
    # when a request names a user with a NUL byte in the username
    response = client.post(path, body, format=body_format)
    # then it is refused as invalid, like a NUL byte anywhere else
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] in ("invalid", "parse_error")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["tab=people&skills=%00", "tab=people&styles=a%00b", "tab=opportunities&tags=%00"]
)
def test_a_nul_byte_in_a_connect_search_is_not_a_server_error(client, query):
    # given a signed-in member
    client.force_login(UserFactory())
    client.raise_request_exception = False
    # when a search of /connect names a tag with a NUL byte
    response = client.get(f"/connect/?{query}")
    # then the page answers, as the API does (400 for GET /api/profiles/?skills=%00)
    assert response.status_code == 200


def _opportunity_of(user) -> int:
    from konnaxion.kreative.services.opportunity_announcement import opportunity_create

    return opportunity_create(
        posted_by=user,
        type="call",
        title="Open call",
        description="Prints on paper.",
        apply_url="https://example.org/apply",
    ).pk


OPPORTUNITY_FORM = {
    "type": "call",
    "title": "Open call",
    "description": "Prints on paper.",
    "apply_url": "https://example.org/apply",
    "eligibility_scope": "international",
    "entry_fee": "0",
}
PROJECT_FORM = {"title": "Atlas", "visibility": "public", "status": "active"}
# The web forms with a tags field (TagsField), as their owner sends them: path and form.
TAGGED_FORMS = [
    pytest.param(lambda user: ("/projects/", PROJECT_FORM, "tags"), id="project create"),
    pytest.param(
        lambda user: (
            f"/projects/{project_for(user, title='Atlas').slug}/update/",
            PROJECT_FORM,
            "tags",
        ),
        id="project update",
    ),
    pytest.param(
        lambda user: ("/connect/opportunities/new/", OPPORTUNITY_FORM, "tags"),
        id="opportunity create",
    ),
    pytest.param(
        lambda user: (
            f"/connect/opportunities/{_opportunity_of(user)}/edit/",
            OPPORTUNITY_FORM,
            "tags",
        ),
        id="opportunity update",
    ),
    pytest.param(
        lambda user: (
            f"/profile/{user.username}/edit/",
            {"role": "creator", "visibility": "public"},
            "skills",
        ),
        id="profile skills",
    ),
    pytest.param(
        lambda user: (
            f"/profile/{user.username}/edit/",
            {"role": "creator", "visibility": "public"},
            "styles",
        ),
        id="profile styles",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("form_of", TAGGED_FORMS)
def test_a_nul_byte_in_a_tag_of_a_web_form_is_refused(client, form_of):
    # given a signed-in member and one of the forms they may send
    user = UserFactory()
    client.force_login(user)
    client.raise_request_exception = False
    path, form, field = form_of(user)
    # when a tag has a NUL byte
    response = client.post(path, {**form, field: "etching, a\x00b"})
    # then the form is refused (400 with its errors), as any other field with a NUL byte is
    assert response.status_code == 400
