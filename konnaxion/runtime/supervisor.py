"""Runs the ASGI server, a Celery worker and Celery beat as child processes of `konnaxion up`."""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

PR_SET_PDEATHSIG = 1
STOP_GRACE_SECONDS = 20


def _die_with_parent(parent_pid: int) -> None:
    """Ask the kernel to stop this child when `konnaxion up` dies, even by `kill -9`."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


@dataclass
class Supervisor:
    """Starts the children, watches them, and stops them all together."""

    commands: dict[str, list[str]]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    stopping: bool = False

    def start(self) -> None:
        parent = os.getpid()
        for name, command in self.commands.items():
            self.processes[name] = subprocess.Popen(
                command, preexec_fn=lambda: _die_with_parent(parent)
            )

    def dead_child(self) -> str | None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                return name
        return None

    def stop(self) -> None:
        self.stopping = True
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def port_is_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def fetch_health(url: str) -> tuple[int, dict]:
    """GET /healthz: (status, body); (0, {}) while the server does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback URL
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read())
        except ValueError:
            return error.code, {}
    except (OSError, ValueError):
        return 0, {}


def wait_until_healthy(url: str, timeout: float, supervisor: Supervisor) -> tuple[bool, dict]:
    deadline = time.monotonic() + timeout
    body: dict = {}
    while time.monotonic() < deadline:
        if supervisor.dead_child():
            return False, body
        status, body = fetch_health(url)
        if status == 200:
            return True, body
        time.sleep(0.5)
    return False, body


def proxy_header_options(environ: Mapping[str, str]) -> dict[str, object]:
    """uvicorn's handling of X-Forwarded-For/-Proto, agreeing with the settings' client address
    (`TRUSTED_PROXY_COUNT`, konnaxion/core/client_address.py).

    Without proxies of our own, uvicorn must not rewrite the client from those headers either:
    its default trusts them from 127.0.0.1, so any local caller (or a proxy nobody declared)
    could pick its address. Behind proxies, uvicorn trusts the headers only from
    `FORWARDED_ALLOW_IPS` (the proxies' addresses, comma-separated; 127.0.0.1 by default).
    """
    try:
        proxy_count = int(environ.get("TRUSTED_PROXY_COUNT", "0") or "0")
    except ValueError as error:
        raise SystemExit("TRUSTED_PROXY_COUNT must be a whole number") from error
    if proxy_count <= 0:
        return {"proxy_headers": False}
    return {
        "proxy_headers": True,
        "forwarded_allow_ips": environ.get("FORWARDED_ALLOW_IPS", "") or "127.0.0.1",
    }


def tls_options(environ: Mapping[str, str]) -> dict[str, object]:
    """uvicorn's own TLS, for a server reached without a TLS-terminating proxy:
    `KONNAXION_TLS_CERTFILE` (the certificate chain, PEM) and `KONNAXION_TLS_KEYFILE` (its
    private key), both or neither."""
    certfile = environ.get("KONNAXION_TLS_CERTFILE", "")
    keyfile = environ.get("KONNAXION_TLS_KEYFILE", "")
    if bool(certfile) != bool(keyfile):
        raise SystemExit("KONNAXION_TLS_CERTFILE and KONNAXION_TLS_KEYFILE go together")
    if not certfile:
        return {}
    return {"ssl_certfile": certfile, "ssl_keyfile": keyfile}


def python_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "konnaxion.cli", *args]
