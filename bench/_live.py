"""A running platform for the benchmarks: `konnaxion up` on loopback over a fresh data directory
(embedded PostgreSQL and Redis), with a signed-in owner of one project."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from konnaxion.runtime.supervisor import fetch_health  # noqa: E402

KONNAXION = [sys.executable, "-m", "konnaxion.cli"]
START_TIMEOUT_SECONDS = 180

SEED = """
import json
from allauth.account.models import EmailAddress
from konnaxion.keenkonnect.services.projects import project_create
from konnaxion.users.models import User
from konnaxion.users.tokens import personal_token_create
users = []
for number in range({users}):
    email = f"bench{{number}}@example.org"
    user = User.objects.create_user(f"bench{{number}}", email=email, password="bench-password-1")
    # Adding members takes an owner whose address is verified, as after the sign-up mail.
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    users.append(user)
project = project_create(creator=users[0], title="Bench project")
from konnaxion.keenkonnect.services.team import project_member_add
for user in users[1:]:
    project_member_add(project=project, user=user, actor=users[0])
print(json.dumps({{
    "project": project.slug,
    "tokens": [personal_token_create(owner=user, name="bench").key for user in users],
    "usernames": [user.username for user in users],
}}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class LivePlatform:
    """`konnaxion up` in its own data directory; `stop()` leaves no process or file behind."""

    users: int = 1
    port: int = field(default_factory=free_port)
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kx-bench-")))
    process: subprocess.Popen | None = None
    project: str = ""
    tokens: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env["KONNAXION_DATA_DIR"] = str(self.data_dir)
        env["UVICORN_LOG_LEVEL"] = "warning"
        return env

    def start(self) -> LivePlatform:
        self.process = subprocess.Popen(
            [*KONNAXION, "up", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while fetch_health(f"{self.url}/healthz")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("konnaxion up did not become healthy")
            time.sleep(0.5)
        try:
            seeded = self.manage("shell", "-c", SEED.format(users=self.users))
        except Exception:
            self.stop()  # `with` never reaches __exit__ when start() fails
            raise
        values = json.loads(seeded.strip().splitlines()[-1])
        self.project, self.tokens = values["project"], values["tokens"]
        return self

    def manage(self, *args: str, environment: dict[str, str] | None = None) -> str:
        """A management command against the platform's servers; `environment` adds variables
        (DATABASE_POOL=false, say)."""
        result = subprocess.run(
            [*KONNAXION, "manage", *args],
            cwd=ROOT,
            env={**self.env(), **(environment or {})},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        return result.stdout

    def server_pid(self) -> int:
        """The ASGI server process (`konnaxion serve`, started by `up`)."""
        for child in psutil.Process(self.process.pid).children(recursive=True):
            command = child.cmdline()
            if "serve" in command and "konnaxion.cli" in command:
                return child.pid
        raise RuntimeError("no server process under konnaxion up")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stop_embedded_servers()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def _stop_embedded_servers(self) -> None:
        for registry in self.data_dir.glob("redis/*.settings"):
            try:
                pid = int(Path(json.loads(registry.read_text())["pidfile"]).read_text())
                os.kill(pid, signal.SIGKILL)
            except (OSError, ValueError, KeyError):
                pass
        for process in psutil.process_iter(["name", "cmdline"]):
            if process.info["name"] == "postgres" and str(self.data_dir) in " ".join(
                process.info["cmdline"] or []
            ):
                process.kill()

    def __enter__(self) -> LivePlatform:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def rss_bytes(pid: int) -> int:
    """The resident set size of a process, from /proc (VmRSS)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")
