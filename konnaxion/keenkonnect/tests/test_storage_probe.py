"""The storage part of /readyz on both backends (the S3 one is SeaweedFS): read-only, and a
bucket that is not there is reported."""

import pytest
from django.core.files.storage import default_storage

pytestmark = pytest.mark.django_db


def _names() -> list[str]:
    try:
        directories, files = default_storage.listdir("")
    except FileNotFoundError:  # a local folder not made yet: made by the first file stored
        return []
    return sorted([*directories, *files])


def test_readyz_storage_is_ok_and_writes_nothing(client, storage_backend):
    # given
    before = _names()
    # when
    response = client.get("/readyz")
    health = client.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json()["checks"]["storage"] == "ok"
    assert health.json()["checks"]["storage"] == "ok"
    assert _names() == before


def test_readyz_reports_a_missing_bucket(client, settings, seaweedfs):
    # given an S3 storage pointed at a bucket that does not exist
    from konnaxion.keenkonnect.tests.seaweedfs import S3_CREDENTIALS

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "no-such-bucket",
                "endpoint_url": seaweedfs,
                "access_key": S3_CREDENTIALS["aws_access_key_id"],
                "secret_key": S3_CREDENTIALS["aws_secret_access_key"],
                "region_name": "us-east-1",
            },
        },
    }
    # when
    response = client.get("/readyz")
    # then
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("ClientError")
