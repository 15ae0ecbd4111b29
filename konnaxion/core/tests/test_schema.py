"""The OpenAPI schema builds and lists every module's API."""

import pytest

pytestmark = pytest.mark.django_db


def test_schema_lists_the_model_apis(user_client):
    # when
    response = user_client.get("/api/schema/?format=json")
    # then
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/kreative/artworks/",
        "/api/kreative/tags/",
        "/api/kreative/galleries/{id}/artworks/",
        "/api/kreative/traditions/{id}/approve/",
        "/api/kreative/collab-sessions/",
        "/api/keenkonnect/projects/",
        "/api/keenkonnect/projects/{slug}/",
        "/api/keenkonnect/projects/{project_slug}/team/",
        "/api/keenkonnect/projects/{project_slug}/tasks/",
        "/api/keenkonnect/projects/{project_slug}/messages/",
        "/api/projects/{project_slug}/resources/",
        "/api/keenkonnect/projects/{project_slug}/ratings/",
        "/api/ekoh/categories/",
        "/api/ekoh/scores/",
        "/api/ekoh/confidentiality/",
        "/api/ekoh/weight/",
        "/api/smart-vote/votes/",
        "/api/smart-vote/results/",
        "/api/smart-vote/modalities/",
        "/api/smart-vote/integrations/",
        "/api/smart-vote/emerging-experts/",
    ]:
        assert path in paths, path
