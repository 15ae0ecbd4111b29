"""Real-browser fixtures: the real ASGI application served by uvicorn, driven by Chromium.

`live_server_url` serves `config.asgi:application` (HTTP and WebSockets) from a child process
joined to the test database and Redis, so tests using it are transactional: what a test
writes is committed, and the server sees it. `page` is a fresh browser context (no cookies)
on Debian's Chromium; `new_page()` opens another one, for journeys with two people.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import process_env

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    # WebGL (the 3D viewer) is drawn in software by SwiftShader, the machines have no GPU.
    # Chromium falls back to it by itself today but has announced the end of that automatic
    # fallback; this flag keeps asking for it explicitly.
    "--enable-unsafe-swiftshader",
]
SERVER_START_SECONDS = 60
# Playwright waits this long for an element or a navigation before a step fails.
STEP_TIMEOUT_MS = 15_000


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)  # noqa: S310 - our loopback URL
            return
        except urllib.error.HTTPError:
            return  # 503 while no worker runs: the server answers, which is what we wait for
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the ASGI server did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


@pytest.fixture(scope="session")
def _asgi_server(django_db_setup, django_db_blocker) -> Iterator[str]:
    """uvicorn serving the real ASGI application on a free loopback port, for the session."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with django_db_blocker.unblock():
        # Room heartbeats every 2 s (10 s deployed), so that a journey sees them in its time.
        env = process_env(UVICORN_LOG_LEVEL="warning", COLLAB_ROOM_HEARTBEAT_SECONDS="2")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with tempfile.NamedTemporaryFile("w+", prefix="asgi-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "konnaxion.cli",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
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


@pytest.fixture
def live_server_url(_asgi_server: str, transactional_db) -> str:
    """The base URL (no trailing slash) of the live server; the test's writes are committed."""
    return _asgi_server


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, launched once per test module.

    Not once per session: Playwright's sync API keeps an event loop running in this thread
    while it is open, which the asyncio tests of other modules cannot share."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: `make install` installs it")
    from playwright.sync_api import sync_playwright

    # While it is open, Django would refuse the tests' own synchronous ORM calls in this
    # thread (fixtures setting up and flushing data); they are not made from a coroutine, so
    # the guard does not apply. Only while the browser is open, and never for the server.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server_url: str) -> Iterator[Callable[..., object]]:
    """Open a page in a fresh browser context (its own cookies), as another person would."""
    contexts = []

    def open_page(*, locale: str = "en-US", viewport: dict | None = None) -> object:
        context = browser.new_context(
            base_url=live_server_url,
            locale=locale,
            viewport=viewport or {"width": 1280, "height": 800},
        )
        context.set_default_timeout(STEP_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> object:
    """A page in a fresh browser context; `page.goto("/")` opens the live server's home."""
    return new_page()


# Account journeys read their mails from a real SMTP server, sent by a real Celery worker.
from konnaxion.notifications.tests.conftest import mail_server, mail_worker  # noqa: E402, F401
