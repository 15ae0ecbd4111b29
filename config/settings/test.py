"""Settings for the test suite: real PostgreSQL and Redis (embedded unless URLs are given)."""

import os
from pathlib import Path

# Tests keep their own embedded servers, apart from the data of `konnaxion up`.
os.environ.setdefault(
    "KONNAXION_DATA_DIR", str(Path(__file__).resolve().parent.parent.parent / "var" / "test")
)

from config.settings.base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]
# Tests and the worker processes they start share one key prefix.
CACHES["default"]["KEY_PREFIX"] = "konnaxion-test"  # noqa: F405
