"""/livez, /readyz and /healthz (README, "Health probes"): what each needs; none writes."""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from conftest import process_env
from konnaxion.core import health


def _broken(message: str):
    def check() -> None:
        raise ConnectionError(message)

    return check


def _stored_files() -> set[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def _queued_messages() -> int:
    from config.celery_app import app

    with app.connection_for_write() as conn:
        return conn.default_channel.queue_declare("celery", passive=False).message_count


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out")
        time.sleep(0.1)


def test_livez_answers_without_touching_any_service(client, monkeypatch):
    # given every dependency broken (and no database access allowed: no django_db mark)
    for name in health.READINESS_CHECKS:
        monkeypatch.setitem(health.READINESS_CHECKS, name, _broken(f"{name} is down"))
    # when
    response = client.get("/livez")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies  # no session, no CSRF cookie
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_200_while_no_worker_runs(client):
    # given no worker and no beat (none runs in this test)
    assert health.heartbeats_read() == ([], None)
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "storage": "ok"},
    }
    assert not response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("part", ["database", "redis", "storage"])
def test_readyz_is_503_and_names_the_part_that_failed(client, monkeypatch, part):
    monkeypatch.setitem(health.READINESS_CHECKS, part, _broken(f"{part} is down"))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"][part] == f"ConnectionError: {part} is down"
    assert [name for name, value in body["checks"].items() if value != "ok"] == [part]


@pytest.mark.django_db
def test_readyz_reports_a_probe_that_hangs_instead_of_hanging(client, monkeypatch, settings):
    settings.HEALTH_CHECK_TIMEOUT = 0.2
    release = __import__("threading").Event()
    monkeypatch.setitem(health.READINESS_CHECKS, "storage", lambda: release.wait(30))
    try:
        response = client.get("/readyz")
    finally:
        release.set()
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("TimeoutError")


@pytest.mark.django_db
def test_readyz_storage_probe_fails_when_the_folder_cannot_be(client, settings, tmp_path):
    # given a media folder that cannot exist (a file stands where its parent should be)
    (tmp_path / "file").write_bytes(b"")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": tmp_path / "file/m"}},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("PermissionError")


@pytest.mark.django_db
def test_healthz_reports_workers_down_without_writing_or_queueing(client, monkeypatch):
    # given no worker and no beat, and what the storage and the queue hold now
    from django.core.files.storage import FileSystemStorage

    files_before, queued_before = _stored_files(), _queued_messages()
    writes = []
    for method in ("_save", "delete"):
        real = getattr(FileSystemStorage, method)

        def recorded(self, *args, _real=real, _method=method, **kwargs):
            writes.append(_method)  # seen, then done for real
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(FileSystemStorage, method, recorded)
    # when
    response = client.get("/healthz")
    # then the monitor hears the workers are down...
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["checks"]["database"] == body["checks"]["redis"] == body["checks"]["storage"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["celery-worker"] == "no worker heartbeat in the last 30 s"
    assert body["checks"]["celery-beat"] == "no beat heartbeat in the last 30 s"
    assert body["workers"] == [] and body["beat"] is None
    # ...and the probe stored (or deleted) no object and queued no task
    assert writes == []
    assert _stored_files() == files_before
    assert _queued_messages() == queued_before


@pytest.mark.django_db
def test_healthz_reports_a_database_failure(client, monkeypatch):
    monkeypatch.setitem(health.READINESS_CHECKS, "database", _broken("database is down"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ConnectionError: database is down"


def test_healthz_sees_the_heartbeats_of_a_real_worker_and_beat(client, celery_worker, tmp_path):
    # given a running worker, which beats by itself (no task is sent to it)
    _wait_for(lambda: health.heartbeats_read()[0])
    workers, _ = health.heartbeats_read()
    assert len(workers) == 1 and re.fullmatch(r"konnaxion-\d+@.+", workers[0]["name"])
    # and beat, also beating by itself
    beat = subprocess.Popen(
        [sys.executable, "-m", "konnaxion.cli", "beat", "--loglevel", "WARNING"],
        env=process_env(KONNAXION_DATA_DIR=str(tmp_path)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(lambda: health.heartbeats_read()[1] is not None, timeout=60)
        # when
        response = client.get("/healthz")
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {
        "database": "ok",
        "redis": "ok",
        "storage": "ok",
        "celery-worker": "ok",
        "celery-beat": "ok",
    }
    assert [worker["name"] for worker in body["workers"]] == [workers[0]["name"]]
    assert 0 <= body["workers"][0]["age"] <= settings.WORKER_HEARTBEAT_MAX_AGE
    assert body["beat"]["name"].startswith("beat@")


def test_a_worker_stopping_cleanly_removes_its_heartbeat(client, celery_worker):
    # given a worker that beat
    _wait_for(lambda: health.heartbeats_read()[0])
    import redis

    client_redis = redis.Redis.from_url(settings.HEARTBEAT_REDIS_URL)
    keys = list(client_redis.scan_iter(match=f"{health.WORKER_BEAT_PREFIX}*"))
    # its key expires by itself should the worker die
    max_age = settings.WORKER_HEARTBEAT_MAX_AGE
    assert keys and all(0 < client_redis.ttl(key) <= max_age for key in keys)
    # when it stops
    celery_worker.terminate()
    celery_worker.wait(timeout=20)
    # then /healthz says no worker is alive
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["workers"] == []


@pytest.mark.django_db
def test_concurrent_probes_do_not_wait_for_one_another(monkeypatch):
    # given a storage that takes a second to answer, and a dozen load balancer probes at once
    import threading

    from django.test import Client

    def slow() -> None:
        time.sleep(1)

    monkeypatch.setitem(health.READINESS_CHECKS, "storage", slow)
    storage: list[str] = []

    def probe() -> None:
        storage.append(Client().get("/readyz").json()["checks"]["storage"])

    threads = [threading.Thread(target=probe) for _ in range(12)]
    # when
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then each storage check answered within its probe's deadline: none queued behind the
    # others (twelve seconds in a row). The database and Redis checks are real connections, whose
    # time follows the machine's load, so the probes' statuses are not what this test is about.
    assert storage == [health.OK] * 12
