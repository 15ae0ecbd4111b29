"""Storage fixtures: a local folder, or a real S3-compatible server (SeaweedFS from its wheel)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from konnaxion.keenkonnect.tests.seaweedfs import S3_BUCKET, S3_CREDENTIALS, SeaweedFS


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory) -> Iterator[str]:
    """A SeaweedFS server with its S3 gateway on free loopback ports; yields the endpoint URL."""
    try:
        server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs"))
    except RuntimeError as error:
        pytest.fail(str(error))
    yield server.endpoint
    server.stop()


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
