"""Settings, read from the environment once.

``DATABASE_URL`` picks the database (default: an SQLite file under ``var/``);
``DEBUG``, ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``SITE_URL`` and the HTTPS
switches make the same settings serve ``make run`` on plain http and a
deployment behind TLS that passes ``manage.py check --deploy``.
"""

from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env_file(path: Path) -> None:
    """``KEY=VALUE`` lines of a local environment file, for what the environment does not set itself.

    ``make run`` writes ``.env`` (git-ignored) with ``DEBUG=1`` and a generated ``SECRET_KEY``, so that
    every ``manage.py`` command of a development checkout works without exporting anything. A deployment
    sets its environment and has no such file; ``ENV_FILE=`` (empty) reads none."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise ImproperlyConfigured(f"{path}, line {number}: expected KEY=VALUE, found {line!r}.")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(key.strip(), value)


ENV_FILE = os.environ.get("ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE:
    read_env_file(Path(ENV_FILE))

VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for development."
        )
    # Development only: never used when DEBUG is off.
    SECRET_KEY = "django-insecure-development-only-key-do-not-deploy"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
# Empty: the scheme and host of each request (config/site.py).
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "api",
    "corpus",
    "annotations",
    "webhooks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (the admin's, the annotate screen's, Swagger UI) served by the app itself, compressed
    # and cached, so a deployment needs no separate static server.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.site.SiteURLMiddleware",  # after CommonMiddleware, which checks the host
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.routing.ReplicaRoutingMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers wait for the lock instead of failing with "database is
    # locked": WAL lets readers proceed during a write, IMMEDIATE takes the write
    # lock at BEGIN (no lock upgrade deadlocks), and the timeout is the wait.
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    if _db["NAME"] not in ("", ":memory:"):
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
if os.environ.get("DATABASE_REPLICA_URL"):
    # Anonymous reads and exports may be served by a read replica; see config/routing.py.
    _replica = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=_db["CONN_MAX_AGE"])
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["config.routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth, i18n, static ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- HTTPS (behind TLS in production; plain http for make run) ----------------

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if env_bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of the app servers, each appending to X-Forwarded-For
# (config/proxies.py). 0: the connection's address is the client's.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Caches ---------------------------------------------------------------------------

# REDIS_URL (redis://host:6379/0) makes Redis the cache, shared by every worker and app server, and the
# API throttles count there (api.throttling): no database write per request. Without it the cache
# is per process, holds nothing shared, and the throttles count in a table of the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsdesk",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The cache the throttles count in; empty: the database table.
THROTTLE_CACHE = "default" if REDIS_URL else ""

# --- REST framework ---------------------------------------------------------------

REST_FRAMEWORK = {
    # Token first: an anonymous write is answered 401 with a WWW-Authenticate challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageOrCursorPagination",
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # Anonymous clients are throttled by address: the same reading of X-Forwarded-For as the lockouts
    # (api.throttling reads it through config.proxies; 0, not None, so DRF never trusts the header).
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonThrottle", "api.throttling.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "api.http.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# The apps' own errors as API answers (a stale version is a 412, a reader's error a 400), so the api app
# need not import them.
API_ERROR_HANDLERS = ["corpus.http.api_error"]

# Full-text search configuration (PostgreSQL). The articles' stored search column (corpus migration
# 0006) is generated with the value this has when that migration runs, and the annotation-note index
# (annotations 0004) with 'english': changing it later needs a migration that rebuilds both.
SEARCH_CONFIG = "english"


def _package_version() -> str:
    """The installed package's version (pyproject.toml), which the API schema states."""
    try:
        return metadata.version("newsdesk")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"


SPECTACULAR_SETTINGS = {
    "TITLE": "Newsdesk API",
    "DESCRIPTION": (
        "The annotated news corpus: articles with paragraphs and roles, quotes with speakers, "
        "annotations, claims and fact-checks. Offsets are Unicode code points into the article's text; "
        "ends are exclusive.\n\n"
        "Writes need a token (`Authorization: Token <key>`, from `manage.py api_token USERNAME`) or a "
        "browser session with CSRF. Every writable object carries a `version` and its responses an "
        "`ETag`; changes and deletions must send it back in `If-Match` (428 without it, 412 when "
        "someone else changed the object first).\n\n"
        "Lists are paged by number (`page`, `page_size` up to 100, with a `count`). For long walks "
        "send `cursor` (empty to start): the list is then ordered by id and stays stable while rows "
        "are added; follow `next`."
    ),
    "VERSION": _package_version(),
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: the docs page works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AnnotationStatusEnum": "annotations.models.AnnotationStatus",
        "FactCheckStatusEnum": "annotations.models.FactCheckStatus",
        "QuoteKindEnum": "corpus.models.QuoteKind",
        "SpeakerKindEnum": "corpus.models.SpeakerKind",
    },
}

# --- Ingestion ---------------------------------------------------------------------

# A file larger than this is refused before it is read (bytes).
INGEST_MAX_BYTES = int(os.environ.get("INGEST_MAX_BYTES", str(20 * 1024 * 1024)))
# A request body may be as large as a file to ingest (an article posted to the API is one), and no larger:
# the API answers 413 naming the limit (api.parsers).
DATA_UPLOAD_MAX_MEMORY_SIZE = INGEST_MAX_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": os.environ.get("LOG_FORMAT", "plain")}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # axes says "AXES: BEGIN ..." at every start, every command included: its warnings are enough.
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes.apps": {"level": "WARNING"}},
}

# Work that apps building on the corpus add to each article's ingestion, in its transaction.
INGEST_HOOKS = ["corpus.clusters.quotes_cluster", "annotations.services.spam_annotations_create"]
# Apps that keep spans on articles move them to a new revision here, in its transaction.
REVISION_HOOKS = ["annotations.services.annotations_reanchor"]
# What apps built on the corpus add to its admin pages, by the corpus admin class's name (corpus/admin.py,
# ``extended``): mixins with their own methods, ``extra_list_display`` and ``extra_actions``.
CORPUS_ADMIN_MIXINS = {
    "ArticleAdmin": ["annotations.admin.ArticleAnnotating"],
    "ParagraphAdmin": ["annotations.admin.BulkTagging"],
    "QuoteAdmin": ["annotations.admin.BulkTagging"],
}
# Apps told of committed changes (corpus/events.py): webhooks queues a delivery to each subscriber.
EVENT_HOOKS = ["webhooks.services.event_deliveries_queue"]

# --- Webhooks (docs/webhooks.md) --------------------------------------------------------

# Deliveries go over https; plain http only to this machine (localhost, 127.0.0.0/8, ::1), by default
# in DEBUG only (`make run`; the test suite turns it on for its receiver on 127.0.0.1).
WEBHOOKS_ALLOW_HTTP_LOOPBACK = env_bool("WEBHOOKS_ALLOW_HTTP_LOOPBACK", default=DEBUG)
# Attempts per delivery, and the wait after the n-th failure: BASE x 4^(n-1) (1, 4, 16, 64, 256 min).
WEBHOOKS_MAX_ATTEMPTS = int(os.environ.get("WEBHOOKS_MAX_ATTEMPTS", "6"))
WEBHOOKS_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOKS_RETRY_BASE_SECONDS", "60"))
WEBHOOKS_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "10"))
# How long `send_webhooks` keeps delivered and failed deliveries in the log (0: for ever).
WEBHOOKS_LOG_RETENTION_DAYS = float(os.environ.get("WEBHOOKS_LOG_RETENTION_DAYS", "30"))
# How much of a receiver's answer the delivery log keeps (characters).
WEBHOOKS_RESPONSE_KEEP = 1000

# --- Exports ---------------------------------------------------------------------------

# Large exports run as background tasks (django-tasks; the API that became django.tasks), stored in
# the database and run by `manage.py db_worker`. Without TASKS_BACKEND, DEBUG (`make run`, which starts
# no worker) runs each task in the process that queues it, as it is queued: a job is done when the
# request that made it answers, rather than queued for a worker that is not there.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND")
        or (
            "django_tasks.backends.immediate.ImmediateBackend" if DEBUG else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": ["default"],
    }
}
EXPORTS_DIR = VAR_DIR / "exports"
# The organization named as author of the ClaimReview markup of published fact-checks.
CLAIMREVIEW_PUBLISHER_NAME = os.environ.get("CLAIMREVIEW_PUBLISHER_NAME", "Newsdesk")
# Empty: the site's own address (config/site.py).
CLAIMREVIEW_PUBLISHER_URL = os.environ.get("CLAIMREVIEW_PUBLISHER_URL", "")

# --- Login rate limiting (django-axes) ------------------------------------------------------

# Repeated failed logins (admin, or anything that calls authenticate()) lock out that username from
# that client IP for a cool-off period. Attempts are counted in the database, so every gunicorn worker
# and app server sees the same counts. The IP is the client's as config/proxies.py reads it: behind
# reverse proxies, set TRUSTED_PROXIES to their number, or every client shares the proxy's address.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]  # last, as axes requires
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.proxies.client_ip"
