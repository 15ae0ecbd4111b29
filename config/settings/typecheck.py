"""Settings for the type checker: the whole configuration, with no server started or reached.

The django-stubs plugin imports the settings to learn the installed apps and their models. The
embedded PostgreSQL and Redis are not started, the addresses below are never connected to, and
keys are fixed placeholders, so nothing is created under the data directory but its `static`
folder (made by `base.py`).
"""

import os
from pathlib import Path

# These hold whatever the environment says: the verdict must not depend on it.
os.environ.update(
    {
        "KONNAXION_EMBEDDED": "false",
        "KONNAXION_DATA_DIR": str(
            Path(__file__).resolve().parent.parent.parent / "var" / "typecheck"
        ),
        "DATABASE_URL": "postgres://typecheck@localhost/typecheck",
        "REDIS_URL": "redis://localhost:6379/0",
        "DJANGO_SECRET_KEY": "typecheck-only-never-serves-a-request",
        # Base64 of 32 zero bytes: a well-formed key that never encrypts anything.
        "KONNAXION_STORAGE_KEY": "A" * 43 + "=",
    }
)

from config.settings.base import *  # noqa: F403
