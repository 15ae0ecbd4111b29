"""Bad input to the data-model APIs gets a JSON 4xx error, never a 500."""

import pytest

from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.kreative.tests.factories import GalleryFactory
from konnaxion.smart_vote.tests.factories import IntegrationMappingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "url", "payload", "status"),
    [
        ("post", "/api/kreative/artworks/", {"title": "no file"}, 400),
        ("post", "/api/kreative/tags/", {"names": "ink"}, 400),
        ("post", "/api/kreative/tags/", {"names": [""]}, 400),
        ("get", "/api/kreative/artworks/?year=abc", None, 400),
        ("post", "/api/kreative/collab-sessions/", {"name": "x", "session_type": "dance"}, 400),
        ("post", "/api/kreative/galleries/{gallery}/reorder/", {"artwork_ids": "1,2"}, 400),
        ("post", "/api/kreative/galleries/{gallery}/artworks/", {"artwork": 999999}, 400),
        ("delete", "/api/kreative/galleries/{gallery}/artworks/999999/", None, 404),
        ("post", "/api/keenkonnect/projects/", {"title": ""}, 400),
        ("post", "/api/keenkonnect/projects/", {"title": "x", "category": 999999}, 400),
        ("post", "/api/keenkonnect/projects/", {"title": "x", "visibility": "secret"}, 400),
        ("get", "/api/keenkonnect/projects/?category=abc", None, 400),
        ("get", "/api/keenkonnect/projects/nope/", None, 404),
        ("get", "/api/keenkonnect/projects/nope/tasks/", None, 404),
        ("post", "/api/keenkonnect/projects/{project}/ratings/", {"value": "five"}, 400),
        ("delete", "/api/keenkonnect/projects/{project}/team/nobody/", None, 404),
        ("get", "/api/ekoh/scores/?category=abc", None, 400),
        ("put", "/api/ekoh/confidentiality/", {}, 400),
        ("post", "/api/smart-vote/votes/", {"target_type": "ethikos.t", "target_id": "1"}, 400),
        (
            "post",
            "/api/smart-vote/votes/",
            {"target_type": "ethikos.t", "target_id": "x" * 65, "raw_value": 1},
            400,
        ),
        (
            "post",
            "/api/smart-vote/votes/",
            {"target_type": "ethikos.t", "target_id": "1", "raw_value": {"a": 1}},
            400,
        ),
        ("get", "/api/smart-vote/emerging-experts/?since=yesterday", None, 400),
    ],
)
def test_bad_input_is_a_clear_json_error(user, user_client, method, url, payload, status):
    # given
    IntegrationMappingFactory(module_name="ethikos", context_type="t")
    gallery = GalleryFactory(created_by=user)
    project = project_for(creator=user, title="Mine")
    url = url.format(gallery=gallery.pk, project=project.slug)
    # when
    response = getattr(user_client, method)(url, payload, format="json")
    # then
    assert response.status_code == status, response.content
    assert "code" in response.json()["error"]
