"""Every error under /api/ is the uniform JSON body, with the right status."""

import json

import pytest
from asgiref.testing import ApplicationCommunicator
from django.test import Client
from rest_framework.test import APIClient

from konnaxion.core.tests.asgi_requests import http_post_scope
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def test_400_lists_the_invalid_fields(api_client):
    # when
    response = api_client.post("/api/auth/token/", {"username": "x"}, format="json")
    # then
    error = assert_error(response, 400, "invalid")
    assert "password" in error["details"]["fields"]


def test_400_for_malformed_json(api_client):
    response = api_client.post(
        "/api/auth/token/", data="{not json", content_type="application/json"
    )
    assert_error(response, 400, "parse_error")


def test_401_for_anonymous_callers_with_a_challenge(api_client):
    response = api_client.get("/api/users/me/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_401_for_an_unknown_token(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token nope")
    response = api_client.get("/api/users/me/")
    assert_error(response, 401, "authentication_failed")


def test_403_for_a_session_write_without_csrf_token():
    # given a browser session
    user = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    # when it writes without the CSRF token
    response = client.post("/api/users/me/", {}, format="json")
    # then
    assert_error(response, 403, "permission_denied")


def test_404_for_an_unknown_api_path(api_client):
    response = api_client.get("/api/no/such/thing/")
    assert_error(response, 404, "not_found")


def test_404_outside_the_api_stays_html():
    response = Client().get("/no/such/page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_405_for_a_method_the_endpoint_does_not_have(user_client):
    response = user_client.delete("/api/users/me/")
    assert_error(response, 405, "method_not_allowed")


def test_415_for_a_body_type_the_endpoint_does_not_parse(api_client):
    response = api_client.post("/api/auth/token/", data="a,b", content_type="text/csv")
    assert_error(response, 415, "unsupported_media_type")


def test_429_when_throttled_with_retry_after(api_client):
    # given the sign-in rate of 10 a minute is used up
    for _ in range(10):
        api_client.post("/api/auth/token/", {"username": "x", "password": "y"}, format="json")
    # when
    response = api_client.post(
        "/api/auth/token/", {"username": "x", "password": "y"}, format="json"
    )
    # then
    error = assert_error(response, 429, "throttled")
    assert error["details"]["retry_after"] > 0
    assert int(response["Retry-After"]) > 0


@pytest.mark.urls("konnaxion.core.tests.urls_crash")
def test_500_is_json_and_says_nothing_internal():
    client = Client(raise_request_exception=False)
    response = client.get("/api/test-crash/")
    error = assert_error(response, 500, "server_error")
    assert "boom" not in json.dumps(error)


async def _asgi_post(headers: list[tuple[bytes, bytes]], chunks: list[bytes]):
    from config.asgi import application

    scope = http_post_scope("/api/auth/token/", headers)
    communicator = ApplicationCommunicator(application, scope)
    for index, chunk in enumerate(chunks):
        await communicator.send_input(
            {"type": "http.request", "body": chunk, "more_body": index < len(chunks) - 1}
        )
    start = await communicator.receive_output(timeout=5)
    body = await communicator.receive_output(timeout=5)
    await communicator.wait(timeout=5)
    return start, json.loads(body["body"])


@pytest.mark.asyncio
async def test_413_decided_from_content_length_before_reading(settings):
    # given
    settings.API_MAX_REQUEST_BYTES = 1000
    # when the client announces more than the limit and sends nothing yet
    start, body = await _asgi_post([(b"content-length", b"5000")], [b""])
    # then
    assert start["status"] == 413
    assert body["error"]["code"] == "request_too_large"
    assert body["error"]["details"] == {"max_bytes": 1000}


@pytest.mark.asyncio
async def test_413_enforced_while_streaming_without_content_length(settings):
    settings.API_MAX_REQUEST_BYTES = 1000
    start, body = await _asgi_post(
        [(b"transfer-encoding", b"chunked"), (b"content-type", b"application/json")],
        [b"x" * 600, b"x" * 600, b"x" * 600],
    )
    assert start["status"] == 413
    assert body["error"]["code"] == "request_too_large"
