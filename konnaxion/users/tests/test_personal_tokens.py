"""Personal API tokens: made, listed, revoked, expired, read-only, and used by the API."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from rest_framework.test import APIClient

from konnaxion.users.models import PersonalToken
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory, token_for
from konnaxion.users.tokens import personal_token_create

pytestmark = pytest.mark.django_db

AUTHTOKEN_LAST = "0004_alter_tokenproxy_options"


def client_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def assert_refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code


def test_a_token_made_through_the_api_works_and_its_key_is_shown_only_once(user_client, user):
    # when
    made = user_client.post(
        "/api/auth/tokens/", {"name": "backup script", "expires_in_days": 30}, format="json"
    )
    # then
    assert made.status_code == 201
    body = made.json()
    key = body["token"]
    assert key.startswith("knx_") and body["prefix"] == key[:12]
    assert (body["name"], body["read_only"], body["revoked_at"]) == ("backup script", False, None)
    assert client_with(key).get("/api/users/me/").json()["id"] == user.pk
    # and the key is stored only as its digest, and never listed again
    stored = PersonalToken.objects.get(pk=body["id"])
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(PersonalToken.objects.filter(pk=stored.pk).values().get())
    listed = user_client.get("/api/auth/tokens/")
    assert listed.status_code == 200
    assert key not in listed.content.decode()
    row = next(row for row in listed.json()["results"] if row["id"] == stored.pk)
    assert "token" not in row
    assert (row["name"], row["prefix"]) == ("backup script", key[:12])


def test_the_list_shows_only_the_callers_tokens():
    # given
    ada, grace = UserFactory(), UserFactory()
    personal_token_create(owner=grace, name="grace's")
    ada_key = token_for(ada)
    # when
    names = [row["name"] for row in client_with(ada_key).get("/api/auth/tokens/").json()["results"]]
    # then
    assert names == ["Test token"]


@pytest.mark.parametrize("rows", [2, 50])
def test_the_list_costs_the_same_queries_for_2_and_50_tokens(rows, django_assert_max_num_queries):
    # given
    user = UserFactory()
    key = token_for(user)
    for n in range(rows - 1):
        personal_token_create(owner=user, name=f"token {n}")
    client = client_with(key)
    # when / then: the token (its last use recorded in the same statement), count, page
    with django_assert_max_num_queries(3):
        response = client.get("/api/auth/tokens/?page_size=100")
    assert response.json()["count"] == rows


def test_a_revoked_token_is_refused_with_401_and_stays_listed():
    # given
    user = UserFactory()
    key, other_key = token_for(user), token_for(user)
    token = PersonalToken.objects.get(key_hash=hashlib.sha256(key.encode()).hexdigest())
    # when
    revoked = client_with(other_key).delete(f"/api/auth/tokens/{token.pk}/")
    # then
    assert revoked.status_code == 204
    refused = client_with(key).get("/api/users/me/")
    assert_refused(refused, 401, "token_revoked")
    assert refused["WWW-Authenticate"] == "Token"
    listed = client_with(other_key).get("/api/auth/tokens/").json()["results"]
    assert next(row for row in listed if row["id"] == token.pk)["revoked_at"] is not None


def test_someone_elses_token_cannot_be_revoked():
    # given
    grace_token = personal_token_create(owner=UserFactory(), name="grace's")
    # when
    response = client_with(token_for(UserFactory())).delete(
        f"/api/auth/tokens/{grace_token.token.pk}/"
    )
    # then
    assert_refused(response, 404, "not_found")
    grace_token.token.refresh_from_db()
    assert grace_token.token.revoked_at is None
    assert client_with(grace_token.key).get("/api/users/me/").status_code == 200


def test_an_expired_token_is_refused_with_401():
    # given a token whose 30 days are over
    made = personal_token_create(owner=UserFactory(), name="old", expires_in_days=30)
    PersonalToken.objects.filter(pk=made.token.pk).update(
        created_at=timezone.now() - timedelta(days=31),
        expires_at=timezone.now() - timedelta(days=1),
    )
    # when
    response = client_with(made.key).get("/api/users/me/")
    # then
    assert_refused(response, 401, "token_expired")
    assert response["WWW-Authenticate"] == "Token"


def test_a_read_only_token_reads_but_may_not_write():
    # given
    user = UserFactory()
    key = token_for(user, read_only=True)
    client = client_with(key)
    # when
    read = client.get("/api/users/me/")
    write = client.post("/api/auth/tokens/", {"name": "escalated"}, format="json")
    # then
    assert read.status_code == 200
    assert_refused(write, 403, "token_read_only")
    assert PersonalToken.objects.filter(owner=user).count() == 1


def test_last_use_is_recorded_at_most_once_a_minute():
    # given
    made = personal_token_create(owner=UserFactory(), name="script")
    client = client_with(made.key)
    assert made.token.last_used_at is None
    # when
    client.get("/api/users/me/")
    first = PersonalToken.objects.get(pk=made.token.pk).last_used_at
    client.get("/api/users/me/")
    second = PersonalToken.objects.get(pk=made.token.pk).last_used_at
    PersonalToken.objects.filter(pk=made.token.pk).update(
        last_used_at=timezone.now() - timedelta(minutes=2)
    )
    client.get("/api/users/me/")
    third = PersonalToken.objects.get(pk=made.token.pk).last_used_at
    # then
    assert first is not None and second == first
    assert third > first


def test_a_token_of_a_deactivated_account_is_refused():
    # given: an account closed directly in the database, its token not revoked
    user = UserFactory()
    key = token_for(user)
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    # when
    response = client_with(key).get("/api/users/me/")
    # then
    assert_refused(response, 401, "authentication_failed")


def test_the_password_exchange_takes_a_name_an_expiry_and_read_only(api_client):
    # given
    UserFactory(username="ada")
    # when
    response = api_client.post(
        "/api/auth/token/",
        {
            "username": "ada",
            "password": DEFAULT_PASSWORD,
            "name": "nightly export",
            "expires_in_days": 7,
            "read_only": True,
        },
        format="json",
    )
    # then
    assert response.status_code == 200
    token = PersonalToken.objects.get(pk=response.json()["id"])
    assert (token.name, token.read_only) == ("nightly export", True)
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)


def test_the_password_exchange_names_the_token_api_token_by_default(api_client):
    UserFactory(username="ada")
    response = api_client.post(
        "/api/auth/token/", {"username": "ada", "password": DEFAULT_PASSWORD}, format="json"
    )
    assert PersonalToken.objects.get(pk=response.json()["id"]).name == "API token"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "ok", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "ok", "expires_in_days": 366}, "expires_in_days"),
    ],
)
def test_bad_input_is_refused_and_makes_no_token(user_client, user, payload, field):
    # when
    response = user_client.post("/api/auth/tokens/", payload, format="json")
    # then
    assert_refused(response, 400, "invalid")
    assert field in response.json()["error"]["details"]["fields"]
    assert PersonalToken.objects.filter(owner=user).count() == 1


def test_past_the_limit_of_live_tokens_no_more_is_made(user_client, user, settings):
    # given
    settings.PERSONAL_TOKENS_MAX_LIVE = 3
    personal_token_create(owner=user, name="second")
    personal_token_create(owner=user, name="third")
    # when
    response = user_client.post("/api/auth/tokens/", {"name": "fourth"}, format="json")
    # then
    assert_refused(response, 409, "token_limit_reached")
    assert PersonalToken.objects.filter(owner=user).count() == 3


def test_a_session_may_make_a_token(client):
    # given
    user = UserFactory()
    client.force_login(user)
    # when
    response = client.post("/api/auth/tokens/", {"name": "from the browser"}, "application/json")
    # then
    assert response.status_code == 201
    assert client_with(response.json()["token"]).get("/api/users/me/").status_code == 200


def test_the_schema_documents_the_token_endpoints(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/auth/token/", "/api/auth/tokens/", "/api/auth/tokens/{token_id}/"):
        assert f"{path}:" in schema


@pytest.mark.django_db(transaction=True)
def test_keys_made_by_drf_authtoken_keep_working_after_the_migration():
    # given: the schema before personal tokens, with an authtoken key
    before = [("users", "0002_matching_unlisted_indexes"), ("authtoken", AUTHTOKEN_LAST)]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    old_user = old_apps.get_model("users", "User").objects.create(username="ada")
    old_token = old_apps.get_model("authtoken", "Token").objects.create(
        key="0123456789abcdef0123456789abcdef01234567", user_id=old_user.pk
    )
    # when
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    # then
    token = PersonalToken.objects.get(owner_id=old_user.pk)
    assert (token.name, token.prefix, token.read_only) == ("API token", "01234567", False)
    assert client_with(old_token.key).get("/api/users/me/").json()["username"] == "ada"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
