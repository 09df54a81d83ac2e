"""Settings from the environment (12-factor). Embedded mode needs nothing; production needs secrets."""

import os
import secrets
from pathlib import Path

import dj_database_url

from sinergi import DOMAIN_APPS

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Under pytest (which sets PYTEST_VERSION before anything is imported; pytest-django loads these
# settings before tests/conftest.py runs) the data folder is a fresh temporary one and jobs run
# immediately, so a test run never touches ./var and never waits for a worker.
TESTING = bool(os.environ.get("PYTEST_VERSION"))
if TESTING:
    import tempfile

    os.environ.setdefault("SINERGI_HOME", tempfile.mkdtemp(prefix="sinergi-test-"))
    os.environ.setdefault("SINERGI_TASKS_IMMEDIATE", "1")

SINERGI_HOME = Path(os.environ.get("SINERGI_HOME", Path.cwd() / "var")).resolve()
SINERGI_HOME.mkdir(parents=True, exist_ok=True)

# "production" demands explicit secrets and hardened settings; "embedded" is the laptop/demo default.
SINERGI_MODE = os.environ.get("SINERGI_MODE", "embedded")
PRODUCTION = SINERGI_MODE == "production"
DEBUG = env_bool("SINERGI_DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SINERGI_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SINERGI_SECRET_KEY must be set when SINERGI_MODE=production")
    key_file = SINERGI_HOME / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list(
    "SINERGI_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
)
CSRF_TRUSTED_ORIGINS = env_list("SINERGI_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "sinergi.core.staticfiles.StaticFilesConfig",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    *DOMAIN_APPS,
]

MIDDLEWARE = [
    "sinergi.core.middleware.TrustedProxyMiddleware",
    "sinergi.ops.observability.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sinergi.ops.observability.UserContextMiddleware",
    "sinergi.ops.replica.ReplicaMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sinergi.core.middleware.ErrorPageMiddleware",
    "sinergi.core.middleware.ApiErrorMiddleware",
]

ROOT_URLCONF = "sinergi.config.urls"
WSGI_APPLICATION = "sinergi.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "sinergi.core.context_processors.shell",
            ],
            "builtins": ["sinergi.core.templatetags.sinergi"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{SINERGI_HOME / 'sinergi.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=int(os.environ.get("SINERGI_CONN_MAX_AGE", "60"))
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("SINERGI_TEST_DB") or None
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES and os.environ.get("SINERGI_PG_JIT", "") != "1":
    # JIT compiles every query whose estimated cost is high (a scope subquery over a million people is),
    # 0.5-3 s of compiling for a 10 ms page (issue #16, measured); OLTP pages never gain from it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A PostgreSQL streaming replica for read-only pages (sinergi.ops.replica; docs/operations.md).
if os.environ.get("SINERGI_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(os.environ["SINERGI_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["sinergi.ops.replica.ReplicaRouter"]
# Prepared statements on PostgreSQL: psycopg prepares a statement the 5th time a connection runs it
# (SINERGI_PG_PREPARE, a count), and PostgreSQL then keeps its plan instead of planning it again on every
# request: planning was half of a name search's database time and most of the API token lookup's (issue
# #16, measured under load). Django leaves them off for connection poolers in transaction mode: set
# SINERGI_PG_PREPARE=off behind such a pooler (PgBouncer before 1.21 or without max_prepared_statements).
PG_PREPARE = os.environ.get("SINERGI_PG_PREPARE", "5").strip().lower()
if PG_PREPARE != "off" and not PG_PREPARE.isdigit():
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("SINERGI_PG_PREPARE must be a number of executions or 'off'")
for _alias, _db in DATABASES.items():
    if _db["ENGINE"].endswith("postgresql") and PG_PREPARE != "off":
        _db.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=int(PG_PREPARE))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout after repeated failures (accounts.services.login_attempt_*).
SINERGI_LOGIN_MAX_FAILURES = int(os.environ.get("SINERGI_LOGIN_MAX_FAILURES", "5"))
SINERGI_LOGIN_LOCKOUT_MINUTES = int(os.environ.get("SINERGI_LOGIN_LOCKOUT_MINUTES", "15"))
# Second factor (TOTP, django-otp): roles that may set one up, and roles that must have one to log in.
SINERGI_2FA_ROLES = env_list("SINERGI_2FA_ROLES", "admin,agency_head")
SINERGI_2FA_REQUIRED_ROLES = env_list("SINERGI_2FA_REQUIRED_ROLES", "")
OTP_TOTP_ISSUER = "Sinergi"
# A password reset link made by an administrator works once, for this long (Django's token machinery).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("SINERGI_PASSWORD_RESET_HOURS", "24")) * 3600
# Data-subject duties (UU 27/2022): how long rejected import rows and uploaded documents are kept.
SINERGI_RETENTION_IMPORT_DAYS = int(os.environ.get("SINERGI_RETENTION_IMPORT_DAYS", "90"))
SINERGI_RETENTION_DOCUMENT_DAYS = int(os.environ.get("SINERGI_RETENTION_DOCUMENT_DAYS", "1825"))
SINERGI_RETENTION_MINUTES_DAYS = int(os.environ.get("SINERGI_RETENTION_MINUTES_DAYS", "1825"))

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("SINERGI_TIME_ZONE", "Asia/Jakarta")
# The one clock (sinergi.core.clock): pin "today" for tests and the simulation, e.g. 2027-01-31.
SINERGI_TODAY = os.environ.get("SINERGI_TODAY", "")
# Page and home-card figures (counts over a scope) are cached until the next audited write or this many
# seconds (sinergi.core.home.cached_figures); 0 computes them on every request.
SINERGI_FIGURES_SECONDS = int(os.environ.get("SINERGI_FIGURES_SECONDS", "300"))
# E-order: no vendor may take more than this percentage of an agency's quarter (fair rotation cap).
SINERGI_EORDER_MAX_SHARE = os.environ.get("SINERGI_EORDER_MAX_SHARE", "20")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "sinergi_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the choice persists across browser sessions

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("SINERGI_STATIC_ROOT", SINERGI_HOME / "static"))
MEDIA_ROOT = Path(os.environ.get("SINERGI_MEDIA_ROOT", SINERGI_HOME / "media"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every start when it is missing
MEDIA_URL = "/media-not-public/"  # uploads are served only through permission-checked views


def _plotly_js_dir() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data"


STATICFILES_DIRS = [("plotly", _plotly_js_dir())]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_KEEP_ONLY_HASHED_FILES = PRODUCTION  # compress one copy of each file, not two
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: a hard ceiling; each import or document type checks its own smaller limit.
SINERGI_MAX_UPLOAD_MB = int(os.environ.get("SINERGI_MAX_UPLOAD_MB", "100"))
# Member-list imports (registry): bounds checked while streaming, before a sheet is parsed in full.
SINERGI_IMPORT_MAX_ROWS = int(os.environ.get("SINERGI_IMPORT_MAX_ROWS", "1000000"))
SINERGI_IMPORT_MAX_COLUMNS = int(os.environ.get("SINERGI_IMPORT_MAX_COLUMNS", "60"))
SINERGI_IMPORT_MAX_UNZIPPED_MB = int(os.environ.get("SINERGI_IMPORT_MAX_UNZIPPED_MB", "400"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background jobs: one path. The database backend in embedded and production modes; the
# immediate backend in tests (SINERGI_TASKS_IMMEDIATE=1) so a job runs inside the test.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("SINERGI_TASKS_IMMEDIATE")
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("SINERGI_SESSION_SECONDS", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SINERGI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SINERGI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or CIDR ranges).
# From any other peer those headers are dropped, so nobody can claim HTTPS or another client address.
SINERGI_TRUSTED_PROXIES = env_list("SINERGI_TRUSTED_PROXIES", "127.0.0.1,::1")

# Content-Security-Policy (django-csp): scripts only from our own static files (htmx, Plotly,
# core/sinergi.js; no inline script, no eval). Styles allow inline because Plotly styles its SVG
# with <style> elements and style attributes; nothing else is loaded from anywhere but this server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION and env_bool("SINERGI_SSL_REDIRECT", True):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
# Permissions-Policy: no page of Sinergi needs a camera, microphone, location, payment or USB.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
}

# The shared cache (rate limits): the database cache by default, so every process and every server
# sees the same counters; Redis when SINERGI_REDIS_URL is set. Both increment atomically.
SINERGI_REDIS_URL = os.environ.get("SINERGI_REDIS_URL", "")
if SINERGI_REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": SINERGI_REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "sinergi.core.cache.DatabaseCache", "LOCATION": "sinergi_cache"}}
RATELIMIT_USE_CACHE = "default"
RATELIMIT_ENABLE = env_bool("SINERGI_RATELIMIT", True)
# Public lookups per client address (card verification, aspiration tracking) and login attempts.
SINERGI_RATE_PUBLIC = os.environ.get("SINERGI_RATE_PUBLIC", "20/10m")
SINERGI_RATE_LOGIN = os.environ.get("SINERGI_RATE_LOGIN", "30/10m")
# django-ratelimit knows only memcached and django-redis by name; ours increment atomically
# (Redis INCR; sinergi.core.cache.DatabaseCache under a row lock), see tests/core/test_rate_limits.py.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

EMAIL_BACKEND = os.environ.get(
    "SINERGI_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("SINERGI_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SINERGI_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("SINERGI_FROM_EMAIL", "sinergi@localhost")

# Card QR tokens and public tracking codes are signed with this salt on top of SECRET_KEY.
SINERGI_SIGNING_SALT = "sinergi"

# SINERGI_LOG_FORMAT=json: one JSON object per line with request_id and user_id (sinergi.ops.observability).
SINERGI_LOG_FORMAT = os.environ.get("SINERGI_LOG_FORMAT", "plain")
# /ops/metrics answers only with `Authorization: Bearer <SINERGI_METRICS_TOKEN>`; unset = off.
SINERGI_METRICS_TOKEN = os.environ.get("SINERGI_METRICS_TOKEN", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "sinergi.ops.observability.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "sinergi.ops.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if SINERGI_LOG_FORMAT == "json" else "plain",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("SINERGI_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # one access line per request only in JSON mode (for log shippers); plain mode stays quiet
        "sinergi.request": {"level": "INFO" if SINERGI_LOG_FORMAT == "json" else "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
