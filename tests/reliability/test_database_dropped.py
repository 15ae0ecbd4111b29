"""PostgreSQL connection dropped in the middle of a request: a clean 503, nothing half written."""

from __future__ import annotations

import pytest
from django.db import connection, connections

from konnaxion.users.models import User
from tests.reliability import urls_faults

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.reliability.urls_faults"),
]


def _terminate_this_requests_backend() -> None:
    """Kill, from another connection, the server process serving the request's connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


@pytest.fixture
def drop_connection_between_writes(monkeypatch):
    monkeypatch.setattr(urls_faults, "between_writes", [_terminate_this_requests_backend])


def test_both_writes_happen_without_a_fault(api_client):
    # when
    response = api_client.post("/api/test-two-writes/", {"prefix": "calm"}, format="json")
    # then the control case writes both rows
    assert response.status_code == 201
    assert set(
        User.objects.filter(username__startswith="calm-").values_list("username", flat=True)
    ) == {
        "calm-first",
        "calm-second",
    }


def test_a_dropped_connection_is_a_clean_503_with_no_partial_state(
    api_client, drop_connection_between_writes
):
    # when the database connection dies after the first write
    response = api_client.post("/api/test-two-writes/", {"prefix": "cut"}, format="json")
    # then the caller is told to retry, as JSON
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "service_unavailable"
    # and neither row exists (read on a fresh connection)
    connection.close()
    assert not User.objects.filter(username__startswith="cut-").exists()


def test_the_next_request_after_a_dropped_connection_succeeds(
    api_client, drop_connection_between_writes, monkeypatch
):
    # given a request whose connection was dropped
    assert (
        api_client.post("/api/test-two-writes/", {"prefix": "cut"}, format="json").status_code
        == 503
    )
    # when the next request arrives (no fault this time)
    monkeypatch.setattr(urls_faults, "between_writes", [])
    response = api_client.post("/api/test-two-writes/", {"prefix": "again"}, format="json")
    # then it is served on a new connection
    assert response.status_code == 201
    assert User.objects.filter(username__startswith="again-").count() == 2
