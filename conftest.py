"""Fixtures shared by every app's tests: API clients, users, and a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_migrate
from rest_framework.test import APIClient

from konnaxion.users.tests.factories import UserFactory, token_for


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Throttle counters and cached values never leak from one test into another."""
    cache.clear()
    yield


def _reference_data_reload(sender, **kwargs) -> None:
    from konnaxion.core.reference_data import reference_data_load

    reference_data_load()


@pytest.fixture(autouse=True, scope="session")
def _reference_data_after_flush() -> Iterator[None]:
    """A transactional test empties every table when it ends (data migrations' rows included),
    then `flush` sends post_migrate: the reference rows are loaded again right there, so that
    whatever test this process runs next, transactional or not, finds them (with pytest-xdist a
    worker runs files of both kinds in any order)."""
    users = django_apps.get_app_config("users")  # post_migrate is sent once per app: one is enough
    post_migrate.connect(_reference_data_reload, sender=users, dispatch_uid=__name__)
    yield
    post_migrate.disconnect(sender=users, dispatch_uid=__name__)


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


def pytest_collection_finish(session: pytest.Session) -> None:
    """Every test has an id of its own: reports name it, and pytest-xdist, which schedules tests
    by id, would run only one of several tests sharing an id."""
    counts = Counter(item.nodeid for item in session.items)
    shared = [nodeid for nodeid, count in counts.items() if count > 1]
    if shared:
        raise pytest.UsageError(f"tests sharing an id: {', '.join(shared[:5])}")


# Tests that start processes (servers, workers, browsers, the whole topology); with the system
# tests of tests/, their files are the long ones, spread over the run under pytest-xdist (below).
_LONG_MARKERS = ("topology", "live", "browser", "worker")
# The share of the run over which the long files are spread: none is left for its very end.
_LONG_FILES_SPREAD = 0.8


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test`), whole files go to the workers in the collection's order
    (`--dist loadfile --no-loadscope-reorder`). Files with many tests come first, and the long
    files are spread among them: all at the start, they would start their processes together and
    slow each other down; all at the end (their place by size), one of them would still run
    while the other workers are idle. A serial run keeps pytest-django's order."""
    if not (hasattr(config, "workerinput") or config.getoption("numprocesses", None)):
        return
    tests: Counter[Path] = Counter(item.path for item in items)
    long = {
        item.path
        for item in items
        if item.nodeid.startswith("tests/")
        or any(item.get_closest_marker(name) for name in _LONG_MARKERS)
    }
    by_size = sorted(tests, key=lambda path: -tests[path])  # stable: collection order on ties
    short = [path for path in by_size if path not in long]
    spread = [path for path in reversed(by_size) if path in long]  # single journeys first
    # Long file k (fewest tests first: one long journey each) goes before short file
    # k x 0.8 x len(short) / len(spread).
    slots: dict[int, list[Path]] = {}
    for number, path in enumerate(spread):
        slot = int(number * _LONG_FILES_SPREAD * len(short) / len(spread))
        slots.setdefault(slot, []).append(path)
    order: list[Path] = []
    for index, path in enumerate(short):
        order.extend(slots.pop(index, ()))
        order.append(path)
    for rest in slots.values():
        order.extend(rest)
    place = {path: number for number, path in enumerate(order)}
    items.sort(key=lambda item: place[item.path])
