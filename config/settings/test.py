"""Settings for the test suite: real PostgreSQL and Redis (embedded unless URLs are given)."""

import os
from pathlib import Path

# Tests keep their own embedded servers, apart from the data of `konnaxion up`. Each pytest-xdist
# worker (gw0, gw1, ...) has its own directory, hence its own PostgreSQL and Redis: no server,
# socket, queue or cache is shared between workers.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_DATA_DIR = (
    Path(__file__).resolve().parent.parent.parent
    / "var"
    / (f"test-{_XDIST_WORKER}" if _XDIST_WORKER else "test")
)

# The variables these settings filled in, and for which directory: "NAME,NAME|directory". The
# processes a test starts inherit them and join the same servers; an xdist worker inherits those
# of the controller (which read these settings first, for var/test) and takes its own instead.
_FILLED = "KONNAXION_TEST_FILLED"
_filled_names, _, _filled_for = os.environ.get(_FILLED, "").partition("|")
if _filled_for and _filled_for != str(TEST_DATA_DIR):
    for _name in [*_filled_names.split(","), _FILLED]:
        os.environ.pop(_name, None)
_unset = [
    name for name in ("KONNAXION_DATA_DIR", "DATABASE_URL", "REDIS_URL") if not os.environ.get(name)
]

if "KONNAXION_DATA_DIR" not in os.environ:
    os.environ["KONNAXION_DATA_DIR"] = str(TEST_DATA_DIR)
    # Only test databases live there, made again by every run: a server left by an older
    # PostgreSQL is replaced rather than upgraded (docs/deploy.md, "The embedded PostgreSQL").
    from konnaxion.runtime.embedded import discard_other_major_version

    discard_other_major_version(TEST_DATA_DIR / "postgres")

# The test process keeps no connection pool, nor do the servers and workers it starts (they
# inherit its environment): pytest-django makes, renames and flushes the test database around
# connections it opens and closes itself, and the many processes the suite starts would each keep
# the pool's idle connections to one server. tests/test_database_pool.py starts a server and a
# worker with the pool on, and tests/test_deploy_topology.py runs the production settings (on).
os.environ.setdefault("DATABASE_POOL", "false")

# After the test data directory is prepared: importing the base settings starts its servers.
from config.settings.base import *  # noqa: E402, F403
from konnaxion.runtime.held_messages import broker_transport_options  # noqa: E402

os.environ.setdefault(_FILLED, f"{','.join(_unset)}|{TEST_DATA_DIR}")

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]
# Tests and the worker processes they start share one key prefix.
CACHES["default"]["KEY_PREFIX"] = "konnaxion-test"  # noqa: F405

# Task modules of the tests, loaded by the worker processes the tests start.
CELERY_IMPORTS = env.list("KONNAXION_TEST_TASK_MODULES", default=[])  # noqa: F405
# Fault tests start workers that must take back a killed worker's unacknowledged task within
# seconds: a visibility timeout below the deployments' minimum, swept every second.
if env("KONNAXION_TEST_VISIBILITY_TIMEOUT", default=""):  # noqa: F405
    CELERY_VISIBILITY_TIMEOUT = env.int("KONNAXION_TEST_VISIBILITY_TIMEOUT")  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(
        visibility_timeout=CELERY_VISIBILITY_TIMEOUT, restore_interval=1
    )
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}

# Tests change the population between cases: matching statistics are never cached.
SUGGESTION_STATISTICS_SECONDS = 0

# The browser tests' live server is plain http on 127.0.0.1 (docs/accounts.md, passkeys).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
