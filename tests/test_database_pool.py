"""The PostgreSQL connection pool in real processes (docs/deploy.md, "Database connections"):
a server borrows its connections from a pool of at most DATABASE_POOL_MAX_SIZE, gives each back
when a request or a socket's database call ends, and keeps reusing them; a prefork worker's
children each use connections of their own, never one of another process.

The test settings keep no pool (config/settings/test.py): the processes started here turn it
on, and tell their connections apart by an application_name of their own."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from django.db import connection
from websockets.sync.client import connect

from conftest import database_url_of, process_env
from konnaxion.keenkonnect.services.projects import project_create
from konnaxion.users.tests.factories import UserFactory, token_for
from konnaxion.web.tests.conftest import _wait_until_serving, free_port

MAX_SIZE = 3
SERVER_APPLICATION = "konnaxion-pool-server"
WORKER_APPLICATION = "konnaxion-pool-worker"


def pooled_env(application_name: str, **extra: str) -> dict[str, str]:
    """The test run's environment, with the pool on and the connections named."""
    url = database_url_of(connection.settings_dict)
    return process_env(
        DATABASE_URL=f"{url}?application_name={application_name}",
        DATABASE_POOL="true",
        DATABASE_POOL_MAX_SIZE=str(MAX_SIZE),
        DATABASE_POOL_TIMEOUT="20",
        **extra,
    )


def backends_of(application_name: str) -> set[tuple[int, str]]:
    """The PostgreSQL backends open for `application_name`: (pid, start), unique together."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start::text FROM pg_stat_activity WHERE application_name = %s",
            [application_name],
        )
        return set(cursor.fetchall())


@contextmanager
def prefork_worker(env: dict[str, str], *, concurrency: int) -> Iterator[None]:
    """A real prefork worker with `env` and this test's task, until the block ends."""
    from config.celery_app import app

    app.control.purge()
    name = f"pool-{os.getpid()}@localhost"
    command = [sys.executable, "-m", "konnaxion.cli", "worker", "--name", name]
    process = subprocess.Popen(
        [*command, "--concurrency", str(concurrency)],
        env={**env, "KONNAXION_TEST_TASK_MODULES": "tests.pool_tasks"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start")
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def pooled_server(transactional_db) -> Iterator[str]:
    """`konnaxion serve` (one process) with the pool on, on a free loopback port."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = pooled_env(SERVER_APPLICATION, DATABASE_POOL_MIN_SIZE="1", UVICORN_LOG_LEVEL="warning")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with tempfile.NamedTemporaryFile("w+", prefix="pool-", suffix=".log", delete=False) as log:
        command = [sys.executable, "-m", "konnaxion.cli", "serve", "--port", str(port)]
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    log_path = Path(log.name)
    _wait_until_serving(url, process, log_path)
    yield url
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log_path.unlink(missing_ok=True)


def test_a_server_reuses_at_most_max_size_connections_for_requests_and_sockets(pooled_server):
    # given a project member with a token, and a server whose pool holds at most 3 connections
    member = UserFactory()
    project = project_create(creator=member, title="Pooled")
    token = token_for(member)
    headers = {"Authorization": f"Token {token}"}

    # when 40 API requests arrive 10 at a time (more at once than the pool holds)
    def read(_: int) -> int:
        response = httpx.get(
            f"{pooled_server}/api/keenkonnect/projects/{project.slug}/", headers=headers
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=10) as requests:
        statuses = list(requests.map(read, range(40)))
    # then each waited for a free connection and was answered, on at most 3 backends
    assert statuses == [200] * 40
    after_requests = backends_of(SERVER_APPLICATION)
    assert 1 <= len(after_requests) <= MAX_SIZE

    # when 20 sockets connect one after another (token, project, role and replay: each a
    # database call) and are answered
    socket_url = pooled_server.replace("http://", "ws://") + f"/ws/projects/{project.slug}/"
    for _ in range(20):
        with connect(socket_url, origin=pooled_server, additional_headers=headers) as socket:
            socket.send('{"type": "hello"}')
            assert '"read_only"' in socket.recv(timeout=20)
    # then no connection was opened for them: the pool's connections served every call
    after_sockets = backends_of(SERVER_APPLICATION)
    assert after_sockets
    assert after_sockets <= after_requests


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_prefork_children_never_share_a_pooled_connection():
    # given a prefork worker of 2 children with the pool on, its minimum left to the worker
    env = pooled_env(WORKER_APPLICATION)
    with prefork_worker(env, concurrency=2):
        from tests.pool_tasks import connection_in_use

        # when 24 tasks run on both children
        results = [connection_in_use.delay() for _ in range(24)]
        used = [result.get(timeout=60) for result in results]
        worker_backends = backends_of(WORKER_APPLICATION)
    # then every task used a pooled connection, each backend served one process only
    assert all(row["pooled"] for row in used)
    # (a child opens only the connection its task uses: Celery closes its pool after the task)
    assert {row["min_size"] for row in used} == {0}
    processes_of: dict[str, set[int]] = {}
    for row in used:
        processes_of.setdefault(row["backend"], set()).add(row["process"])
    assert all(len(processes) == 1 for processes in processes_of.values())
    assert len({row["process"] for row in used}) == 2
    # and the worker holds no more connections than its children's pools allow
    assert len(worker_backends) <= 2 * MAX_SIZE
