"""Duban settings, read from the environment.

Every setting that differs between machines comes from an environment variable
(see README.md, "Configuration"). A missing or malformed variable stops start-up
with a message that names it. Secrets have no production default: only with
DEBUG=true does a development key exist.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


def _read(name, reader, **kwargs):
    """Read one variable; name it in the error when its value is malformed."""
    try:
        return reader(name, **kwargs)
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # environ raises ValueError, KeyError, etc.
        raise ImproperlyConfigured(
            f"Environment variable {name} is malformed ({exc}); see README.md, Configuration."
        ) from exc


def _strict_bool(name, default):
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected true or false, got {raw!r}")


DEBUG = _read("DEBUG", _strict_bool, default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="duban-development-only-not-a-secret")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY is missing or shorter than 32 characters; "
            "set it (or DEBUG=true for development)."
        )

ALLOWED_HOSTS = _read(
    "ALLOWED_HOSTS", env.list, default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Environment variable ALLOWED_HOSTS is missing; list the host names served.")
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, default=[])
SITE_URL = _read("SITE_URL", env.url, default="http://127.0.0.1:8000").geturl().rstrip("/")

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
    "django_celery_beat",
    "axes",
    "csp",
    "simple_history",
    "org",
    "plans",
    "tasks",
    "notifications",
    "supervision",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the signed-in user on every history row written during the request (tasks.history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default so that a bare machine can run the service;
# production sets DATABASE_URL to PostgreSQL.
DATABASES = {"default": _read("DATABASE_URL", env.db_url, default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
_KNOWN_ENGINES = {f"django.db.backends.{e}" for e in ("postgresql", "sqlite3", "mysql")}
if DATABASES["default"].get("ENGINE") not in _KNOWN_ENGINES:
    raise ImproperlyConfigured(
        "Environment variable DATABASE_URL names an unsupported database; use postgres://… or sqlite:///…"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the status aggregations for seconds to save milliseconds (docs/performance.md);
    # off for every connection, so no query path pays it. An `options` given in DATABASE_URL replaces this.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file. WAL lets readers go on while one writes; a writer waits up to
    # 20 s for another instead of failing at once; and a transaction takes the write lock when it begins,
    # since one that read first and then wants to write cannot wait: it fails with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
        }
    )
DATABASES["default"].setdefault("CONN_MAX_AGE", _read("CONN_MAX_AGE", env.int, default=0))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in lock-out (org/signin_guard.py): 5 wrong passwords for one account from one address lock
# that account there, and 20 from one address over any accounts lock the address; both for 30 minutes
# after the last attempt.
AXES_FAILURE_LIMIT = _read("AXES_FAILURE_LIMIT", env.int, default=5)
SIGNIN_ADDRESS_FAILURE_LIMIT = _read("SIGNIN_ADDRESS_FAILURE_LIMIT", env.int, default=20)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True  # an attempt while locked starts the 30 minutes again
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "org.signin_guard.AccountAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many reverse proxies of ours stand in front (core/client.py); lock-outs and rate limits count
# the address they forwarded, never one a caller wrote into X-Forwarded-For themselves.
TRUSTED_PROXY_COUNT = _read("TRUSTED_PROXY_COUNT", env.int, default=0)
AXES_CLIENT_IP_CALLABLE = "core.client.client_address"
# Password reset (org/password_reset.py): requests per address, and mails per e-mail address asked for.
PASSWORD_RESET_RATE_ADDRESS = _read("PASSWORD_RESET_RATE_ADDRESS", env.str, default="10/h")
PASSWORD_RESET_RATE_EMAIL = _read("PASSWORD_RESET_RATE_EMAIL", env.str, default="3/h")
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = _read("STATIC_ROOT", env.path, default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded plans and evidence are private: MEDIA_ROOT is never served as a public path.
MEDIA_ROOT = _read("MEDIA_ROOT", env.path, default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names once collectstatic has written its manifest (the production image does).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _read("STATIC_MANIFEST", _strict_bool, default=(Path(STATIC_ROOT) / "staticfiles.json").exists())
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Broker: Redis when REDIS_URL (or CELERY_BROKER_URL) is set; otherwise a local
# filesystem broker so that the worker and beat run on a bare machine too.
REDIS_URL = _read("REDIS_URL", env.str, default="")
CELERY_BROKER_URL = _read("CELERY_BROKER_URL", env.str, default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = BASE_DIR / "var" / "broker"
    for _sub in ("out", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "data_folder_processed": str(_broker_dir / "processed"),
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = _read("CELERY_RESULT_BACKEND", env.str, default=REDIS_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = _read("CELERY_TASK_ALWAYS_EAGER", _strict_bool, default=False)

EMAIL_CONFIG = _read("EMAIL_URL", env.email_url, default="consolemail://" if DEBUG else "smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = _read("DEFAULT_FROM_EMAIL", env.str, default="督办系统 <duban@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "core.throttling.ThrottledTokenAuthentication",
        "core.throttling.AnonymousCallsThrottled",  # last: counts callers who came without credentials
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.CappedPageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.UserThrottle"],  # anonymous callers: core/throttling.py
    "DEFAULT_THROTTLE_RATES": {
        "anon": _read("API_THROTTLE_ANON", env.str, default="60/min"),
        "user": _read("API_THROTTLE_USER", env.str, default="1200/min"),
    },
}

# Shared cache (throttling, lock-outs): Redis when there is one, else this process's memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Duban API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The ways in; the last authenticator only counts anonymous callers (core/throttling.py).
    "AUTHENTICATION_WHITELIST": [
        "rest_framework.authentication.SessionAuthentication",
        "core.throttling.ThrottledTokenAuthentication",
    ],
    # Several models have a "role", "state" or "status" with different choices; name each set.
    "ENUM_NAME_OVERRIDES": {
        "AssignmentRoleEnum": "tasks.models.Assignment.Role",
        "SnapshotRoleEnum": "tasks.models.DepartmentSnapshot.Role",
        "WorkStateEnum": "tasks.models.WorkState",
        "WorkStatusEnum": "tasks.api.serializers.STATUS_CHOICES",
        "PlanStatusEnum": "plans.models.Plan.Status",
    },
}

# Plan import
PLAN_IMPORT_MAX_BYTES = _read("PLAN_IMPORT_MAX_BYTES", env.int, default=20 * 1024 * 1024)
# Import jobs run in a worker; true runs them in the request instead (scripts and tests without a worker).
PLAN_IMPORT_JOBS_INLINE = _read("PLAN_IMPORT_JOBS_INLINE", _strict_bool, default=False)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# The largest file any form or endpoint accepts (plans and evidence); each feature may set a lower limit.
UPLOAD_MAX_BYTES = _read("UPLOAD_MAX_BYTES", env.int, default=max(PLAN_IMPORT_MAX_BYTES, 50 * 1024 * 1024))
FILE_UPLOAD_HANDLERS = [
    "config.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and _read("SECURE_COOKIES", _strict_bool, default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not DEBUG and _read("SECURE_SSL_REDIRECT", _strict_bool, default=True)
SECURE_HSTS_SECONDS = 0 if DEBUG else _read("SECURE_HSTS_SECONDS", env.int, default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = False
# Joining the browsers' HSTS preload list binds every subdomain of a bureau's domain: the bureau decides, not us.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Everything the pages load is vendored and served from here: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _read("LOG_LEVEL", env.str, default="INFO")},
}

# Reminders
# The policy defaults (7/3/1/0 working days before, overdue every working day,
# head after 3, supervisors after 7) are the ReminderPolicy field defaults; a plan
# may have its own row. Delivery: attempts and backoff of failed sends, and how
# long a pending row may wait before it is handed to a worker again.
EMAIL_TIMEOUT = _read("EMAIL_TIMEOUT", env.int, default=30)
# A worker keeps its SMTP connection between mails (notifications/channels.py), up to this many on one.
EMAIL_MESSAGES_PER_CONNECTION = _read("EMAIL_MESSAGES_PER_CONNECTION", env.int, default=100)
REMINDERS_MAX_ATTEMPTS = _read("REMINDERS_MAX_ATTEMPTS", env.int, default=5)
REMINDERS_RETRY_DELAYS = [60, 300, 1800, 7200]  # seconds after attempt 1, 2, 3, 4…
REMINDERS_REDELIVER_AFTER = _read("REMINDERS_REDELIVER_AFTER", env.int, default=300)
REMINDERS_REQUEUE_BATCH = 500
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True


# Security and reliability
# Sessions end after SESSION_COOKIE_AGE seconds without a request (8 hours by default: a working day),
# and when the browser closes. No script reads the CSRF cookie (forms carry the token), so scripts may not.
SESSION_COOKIE_AGE = _read("SESSION_COOKIE_AGE", env.int, default=8 * 3600)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# History rows (django-simple-history) keep who changed what; the user comes from HistoryRequestMiddleware.
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True
# The API's description is for signed-in users, like the API itself.
SPECTACULAR_SETTINGS["SERVE_PERMISSIONS"] = ["rest_framework.permissions.IsAuthenticated"]
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_spectacular.hooks.postprocess_schema_enums",
    "config.schema.add_error_responses",
]
# Database refusals a view did not foresee (a protected delete, a unique race) answer 409, not 500.
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "config.api.exception_handler"
