"""Settings for deployments: external PostgreSQL, Redis and S3-compatible storage, HTTPS.

Every value that must be equal on all processes is required and checked here, before anything
starts (konnaxion/runtime/deployment.py); docs/deploy.md lists them.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from konnaxion.runtime.deployment import deployment_problems

# A deployment names its services; it never starts embedded ones, and never makes up a key.
os.environ.setdefault("KONNAXION_EMBEDDED", "false")
os.environ["KONNAXION_LOCAL_SECRETS"] = "false"

_problems = deployment_problems(os.environ)
if _problems:
    raise ImproperlyConfigured(
        "Konnaxion cannot start with these production settings:\n"
        + "\n".join(f"- {problem}" for problem in _problems)
    )

from config.settings.base import *  # noqa: E402, F403
from config.settings.base import env  # noqa: E402

SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DEBUG = False

MEDIA_ROOT = env("MEDIA_ROOT", default="")
if not S3_BUCKET:  # noqa: F405
    STORAGES["default"]["OPTIONS"]["location"] = MEDIA_ROOT  # noqa: F405
WHITENOISE_USE_FINDERS = False
if not DATABASE_POOL:  # noqa: F405
    # Without the pool, each thread keeps its connection for a minute between requests.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load balancers and monitors probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^livez$", r"^readyz$", r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# HSTS for this host only by default. Covering every subdomain, and asking browsers to preload
# the domain (hard to undo: removal from their lists takes months), are the operator's choice.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# `check --deploy` warns when these are off; off is a deliberate default here.
SILENCED_SYSTEM_CHECKS = [
    *(["security.W005"] if not SECURE_HSTS_INCLUDE_SUBDOMAINS else []),
    *(["security.W021"] if not SECURE_HSTS_PRELOAD else []),
]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
