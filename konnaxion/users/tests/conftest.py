"""Storage of the accounts' tests: each test keeps its blobs in its own folder, shared with the
worker processes it starts. Account mails are tested against the notifications' real SMTP
server and Celery worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from konnaxion.notifications.tests.conftest import mail_server, mail_worker  # noqa: F401


@pytest.fixture(autouse=True)
def _local_media(settings, tmp_path, monkeypatch) -> Path:
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    settings.STORAGE_TMP_DIR = str(tmp_path / "upload-tmp")
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    monkeypatch.setenv("STORAGE_TMP_DIR", settings.STORAGE_TMP_DIR)
    return media
