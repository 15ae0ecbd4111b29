"""Fixtures shared by every app's tests: API clients, users, and a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from konnaxion.users.tests.factories import UserFactory, token_for


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Throttle counters and cached values never leak from one test into another."""
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _reference_data(request) -> None:
    """A transactional test empties every table when it ends (data migrations' rows included):
    the next one starts with the reference rows loaded again."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if transactional:
        request.getfixturevalue("_django_db_helper")
        from konnaxion.core.reference_data import reference_data_load

        reference_data_load()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def user_client(user) -> APIClient:
    """An API client signed in with `user`'s token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def database_url_of(settings_dict: dict) -> str:
    """The URL of the (test) database the tests use, for processes they start."""
    host = settings_dict["HOST"] or ""
    user = quote(settings_dict["USER"] or "")
    password = quote(settings_dict["PASSWORD"] or "")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    name = settings_dict["NAME"]
    if host.startswith("/"):
        return f"postgres://{credentials}/{quote(host, safe='')}/{name}"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{credentials}{host}:{port}/{name}"


def process_env(**extra: str) -> dict[str, str]:
    """The environment for a process that joins this test run's database and Redis."""
    from django.db import connection

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url_of(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        **extra,
    }


@contextmanager
def celery_worker_running(**extra_env: str) -> Iterator[subprocess.Popen]:
    """A real Celery worker process on the Redis broker, using the test database, with
    `extra_env` added to its environment (a mail server's `EMAIL_URL`, say)."""
    from config.celery_app import app

    app.control.purge()
    process = subprocess.Popen(
        [sys.executable, "-m", "konnaxion.cli", "worker", "--concurrency", "1"],
        env=process_env(**extra_env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the Celery worker did not start")
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[subprocess.Popen]:
    """A real Celery worker process on the Redis broker, using the test database."""
    with celery_worker_running() as process:
        yield process
