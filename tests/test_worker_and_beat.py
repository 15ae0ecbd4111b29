"""Several workers on one host have names of their own; one beat runs at a time (the lock);
`serve` speaks TLS when given a certificate."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
import redis
from django.conf import settings

from conftest import process_env
from konnaxion.cli import build_parser, worker_argv
from konnaxion.runtime.beat_lock import BEAT_LOCK_KEY, beat_lock_held
from konnaxion.runtime.services import redis_client_url, redis_url_for

# A database of the test run's Redis that none of its purposes uses: the beats' lock and the
# tasks they send stay there, away from the tests' broker.
BEAT_TEST_DB = 9
LINE_TIMEOUT = 90


def _hostname_of(argv: list[str]) -> str:
    return argv[argv.index("--hostname") + 1]


def test_two_workers_on_one_host_get_different_names():
    args = build_parser().parse_args(["worker"])
    first, second = worker_argv(args, pid=101), worker_argv(args, pid=102)
    assert _hostname_of(first) == "konnaxion-101@%h"
    assert _hostname_of(first) != _hostname_of(second)


def test_a_worker_name_can_be_given(monkeypatch):
    named = build_parser().parse_args(["worker", "--name", "media@%h", "--concurrency", "3"])
    assert _hostname_of(worker_argv(named, pid=7)) == "media@%h"
    assert worker_argv(named, pid=7)[-2:] == ["--concurrency", "3"]
    monkeypatch.setenv("KONNAXION_WORKER_NAME", "from-env@%h")
    assert _hostname_of(worker_argv(build_parser().parse_args(["worker"]), pid=7)) == (
        "from-env@%h"
    )


@pytest.fixture
def beat_redis() -> Iterator[str]:
    url = redis_url_for(settings.REDIS_URL, db=BEAT_TEST_DB, celery=True)
    client = redis.Redis.from_url(redis_client_url(url))
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


class Beat:
    """A `konnaxion beat` process whose output lines are read as they come."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "konnaxion.cli", "beat", "--loglevel", "WARNING"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str) -> str:
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=LINE_TIMEOUT)
            except queue.Empty:
                pytest.fail(f"no line with {text!r} from beat; it said: {''.join(seen)}")
            seen.append(line)
            if text in line:
                return line

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.mark.django_db
def test_a_second_beat_waits_for_the_first_then_takes_over(beat_redis, tmp_path):
    env = process_env(
        CELERY_BROKER_URL=beat_redis,
        BEAT_LOCK_SECONDS="3",
        KONNAXION_DATA_DIR=str(tmp_path),
    )
    first = Beat(env)
    second = None
    try:
        # given a running beat
        first.wait_for(f":{first.process.pid}; starting")
        # when another starts, it waits for the one holding the lock
        second = Beat(env)
        second.wait_for(f"waiting; the beat lock is held by {_host()}:{first.process.pid}")
        assert second.process.poll() is None
        # and when the first stops, the second takes over
        first.stop()
        second.wait_for(f"the beat lock is held by {_host()}:{second.process.pid}; starting")
    finally:
        first.stop()
        if second is not None:
            second.stop()
    assert redis.Redis.from_url(redis_client_url(beat_redis)).get(BEAT_LOCK_KEY) is None


def _host() -> str:
    import socket

    return socket.gethostname()


def test_a_beat_that_loses_its_lock_stops(beat_redis):
    lost = threading.Event()
    client = redis.Redis.from_url(redis_client_url(beat_redis))
    with beat_lock_held(url=redis_client_url(beat_redis), seconds=0.6, on_lost=lost.set):
        # when another holder took the key (it expired while this one could not renew)
        client.set(BEAT_LOCK_KEY, "elsewhere:1")
        # then this one is told to stop, and leaves the other's lock alone
        assert lost.wait(timeout=LINE_TIMEOUT)
    assert client.get(BEAT_LOCK_KEY) == b"elsewhere:1"


def test_serve_speaks_tls_when_given_a_certificate_and_its_key():
    from konnaxion.runtime.supervisor import tls_options

    assert tls_options({}) == {}
    assert tls_options(
        {"KONNAXION_TLS_CERTFILE": "/etc/kx/cert.pem", "KONNAXION_TLS_KEYFILE": "/etc/kx/key.pem"}
    ) == {"ssl_certfile": "/etc/kx/cert.pem", "ssl_keyfile": "/etc/kx/key.pem"}
    with pytest.raises(SystemExit, match="go together"):
        tls_options({"KONNAXION_TLS_CERTFILE": "/etc/kx/cert.pem"})
