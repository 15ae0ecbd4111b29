import pytest

from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_token_then_me(api_client):
    # given
    user = UserFactory(username="ada", name="Ada Lovelace")
    # when
    response = api_client.post(
        "/api/auth/token/", {"username": "ada", "password": DEFAULT_PASSWORD}, format="json"
    )
    # then
    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = api_client.get("/api/users/me/").json()
    assert me["id"] == user.id
    assert (me["username"], me["name"], me["is_staff"]) == ("ada", "Ada Lovelace", False)


def test_each_exchange_makes_a_new_token_and_both_work(api_client):
    # given
    UserFactory(username="ada")
    payload = {"username": "ada", "password": DEFAULT_PASSWORD}
    # when
    first = api_client.post("/api/auth/token/", payload, format="json").json()["token"]
    second = api_client.post("/api/auth/token/", payload, format="json").json()["token"]
    # then
    assert first != second
    for key in (first, second):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api_client.get("/api/users/me/").status_code == 200


def test_wrong_password_is_refused_without_saying_which_part(api_client):
    UserFactory(username="ada")
    response = api_client.post(
        "/api/auth/token/", {"username": "ada", "password": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "fields": {"non_field_errors": ["Unable to sign in with these credentials."]}
    }


def test_inactive_users_get_no_token(api_client):
    UserFactory(username="ada", is_active=False)
    response = api_client.post(
        "/api/auth/token/", {"username": "ada", "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_schema_and_docs_are_served(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/auth/token/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content
    assert b"cdn" not in docs.content.lower()
