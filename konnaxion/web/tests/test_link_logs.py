"""The ASGI server's own logs (uvicorn's access and error logs) never hold a link's token:
served for real by `konnaxion serve`, as deployed."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import process_env
from konnaxion.cli import uvicorn_log_config
from konnaxion.keenkonnect.services import sharing
from konnaxion.keenkonnect.tests.sharing import shared_world
from konnaxion.web.tests.conftest import _wait_until_serving, free_port

READ_LOG_SECONDS = 20


def test_every_uvicorn_handler_redacts():
    config = uvicorn_log_config()
    assert config["handlers"]
    assert all("link_tokens" in handler["filters"] for handler in config["handlers"].values())


@pytest.mark.django_db(transaction=True)
def test_the_access_log_of_the_server_never_holds_a_link_token():
    # given
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = process_env(UVICORN_LOG_LEVEL="info")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with tempfile.NamedTemporaryFile("w+", prefix="asgi-", suffix=".log", delete=False) as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "konnaxion.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    log_path = Path(log.name)
    try:
        _wait_until_serving(url, process, log_path)
        # when
        with urllib.request.urlopen(f"{url}/s/{made.token}/") as answer:  # noqa: S310
            assert answer.status == 200
        try:
            urllib.request.urlopen(f"{url}/u/{made.token}/")  # noqa: S310
        except urllib.error.HTTPError as refused:
            assert refused.code == 404
        # then: the two requests appear in the access log, without the token
        deadline = time.monotonic() + READ_LOG_SECONDS
        while "/u/[redacted]/" not in log_path.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        written = log_path.read_text()
        assert '"GET /s/[redacted]/ HTTP/1.1" 200' in written
        assert '"GET /u/[redacted]/ HTTP/1.1" 404' in written
        assert made.token not in written
    finally:
        process.terminate()
        process.wait(timeout=20)
        log_path.unlink(missing_ok=True)
