import pytest

from konnaxion.core.health import HEARTBEAT_KEY


def test_healthz_is_healthy_with_a_live_worker(client, celery_worker):
    # given a worker that has answered the heartbeat task
    from django.core.cache import cache

    from konnaxion.core.tasks import worker_heartbeat

    worker_heartbeat.delay()
    _wait_for(lambda: cache.get(HEARTBEAT_KEY) is not None)
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "storage": "ok", "celery-worker": "ok"},
    }


@pytest.mark.django_db
def test_healthz_is_503_and_names_the_silent_worker(client):
    # given no worker has beaten (the cache is empty)
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == checks["redis"] == checks["storage"] == "ok"
    assert "no worker heartbeat" in checks["celery-worker"]


@pytest.mark.django_db
def test_healthz_reports_a_database_failure(client, monkeypatch):
    from konnaxion.core import health

    def broken() -> None:
        raise ConnectionError("database is down")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ConnectionError: database is down"


def _wait_for(condition, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.1)
