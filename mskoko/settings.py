"""Settings for МСОКО · профразвитие.

Everything that differs between machines comes from the environment (see
`mskoko.env`); with nothing set, the app runs embedded: SQLite in the project
folder and background jobs executed in-process.
Production overrides live in `mskoko.settings_production`.
"""
from datetime import timedelta
from pathlib import Path

from .env import env_bool, env_database, env_float, env_int, env_list, env_redis_url, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MSKOKO_VAR_DIR", str(BASE_DIR / "var")))
# The embedded database, uploads and generated documents live here; a fresh clone has no such folder yet.
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0b1f5c"
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "teachers",
    "indicators",
    "monitoring",
    "reports",
]

MIDDLEWARE = [
    # /healthz/ is answered first: before host validation and the HTTPS redirect (mskoko.middleware).
    "mskoko.middleware.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "mskoko.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mskoko.accounts.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes must come last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mskoko.urls"
WSGI_APPLICATION = "mskoko.wsgi.application"

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
                "teachers.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", VAR_DIR / "db.sqlite3")}
# The embedded default (no DATABASE_URL): `make run` fills an empty database with the demo district. Anywhere
# else demo data (whose passwords everybody knows) only ever come on request (bootstrap --demo, seed_demo).
EMBEDDED_DEFAULT = not env_str("DATABASE_URL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "teachers.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): five failures for one user name from one
# address lock that pair out for a quarter of an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address: the client's is the one the outermost of
# TRUSTED_PROXY_COUNT proxies appended to X-Forwarded-For (mskoko.accounts.client_ip). 0: no proxy, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "mskoko.accounts.client_ip"

# Sessions end after SESSION_IDLE_MINUTES without a request and after SESSION_MAX_HOURS in any case
# (mskoko.accounts.IdleTimeoutMiddleware); a password reset link is valid PASSWORD_RESET_HOURS.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=1, maximum=24 * 60)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 10, minimum=1, maximum=24 * 30)
PASSWORD_RESET_TIMEOUT = 3600 * env_int("PASSWORD_RESET_HOURS", 24, minimum=1, maximum=24 * 7)

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"]
FORMAT_MODULE_PATH = ["mskoko.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploads: the staff import reads files up to this size; anything larger is refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMPORT_MAX_FILE_BYTES = env_int("IMPORT_MAX_FILE_BYTES", 10 * 1024 * 1024, minimum=1024)
# Limits checked before and while the staff import reads a workbook (teachers.importing.reader):
# rows and columns of the data sheet (physical rows, empty ones included), the total declared
# uncompressed size of the archive and the compression ratio of any large member (zip bombs).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 20_000, minimum=10)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 60, minimum=25)
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_BYTES", 60 * 1024 * 1024, minimum=1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env_int("IMPORT_MAX_COMPRESSION_RATIO", 100, minimum=10)
# Uploaded files wait under MEDIA_ROOT/imports between preview and apply; older ones are removed.
IMPORT_STAGED_FILE_HOURS = env_int("IMPORT_STAGED_FILE_HOURS", 24, minimum=1)

# Indicator values are cached under a data version that every change bumps (indicators.freshness);
# 0 turns the cache off. Results over more schools than the limit are not cached (they are big).
ENGINE_CACHE_SECONDS = env_int("ENGINE_CACHE_SECONDS", 3600, minimum=0)
ENGINE_CACHE_MAX_SCHOOLS = env_int("ENGINE_CACHE_MAX_SCHOOLS", 2000, minimum=1)

# Documents (reports/): files are kept this many days; a job whose worker shows no sign of life for
# REPORTS_STALE_SECONDS is started again (once) or marked failed so the user can order it again.
REPORTS_KEEP_DAYS = env_int("REPORTS_KEEP_DAYS", 7, minimum=1)
# A running job's heartbeat is written every REPORTS_HEARTBEAT_SECONDS by a thread beside the render, so a long
# render is never taken for a dead one; stale = no heartbeat for REPORTS_STALE_SECONDS (several beats missed).
REPORTS_HEARTBEAT_SECONDS = env_int("REPORTS_HEARTBEAT_SECONDS", 5, minimum=1)
REPORTS_STALE_SECONDS = env_int("REPORTS_STALE_SECONDS", 30, minimum=10)
REPORTS_MAX_ATTEMPTS = env_int("REPORTS_MAX_ATTEMPTS", 2, minimum=1, maximum=5)
REPORTS_QUEUE = env_str("REPORTS_QUEUE", "celery")  # the Celery queue document jobs go to
REPORTS_TEST_HOOKS = env_bool("REPORTS_TEST_HOOKS", False)  # lets tests make a job slow; never in production

REDIS_URL = env_redis_url("REDIS_URL")
# Redis that does not answer must not hang pages: connections and replies time out in seconds.
REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", 2.0, minimum=0.1, maximum=60)
if REDIS_URL:
    # A down Redis is a cache miss, logged (mskoko.cache), never a 500.
    CACHES = {"default": {"BACKEND": "mskoko.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                                      "socket_timeout": REDIS_TIMEOUT_SECONDS}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: jobs always go to a worker, and beat runs the periodic tasks. With REDIS_URL the broker is Redis;
# without it (the embedded default) the broker is a folder under VAR_DIR (kombu's filesystem transport), which
# needs no server: `make run` starts a worker with an embedded beat beside the web server.
CELERY_WORKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A down Redis must not hang the request that orders a document: connect and publish fail in seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
                                       "socket_timeout": REDIS_TIMEOUT_SECONDS, "max_retries": 1}
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = REDIS_TIMEOUT_SECONDS
    CELERY_REDIS_SOCKET_TIMEOUT = REDIS_TIMEOUT_SECONDS
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1}}
else:
    CELERY_BROKER_URL = "filesystem://"
    _queue_dir = CELERY_WORKER_DIR / "queue"
    for _folder in (_queue_dir, CELERY_WORKER_DIR / "control"):
        _folder.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(_queue_dir), "data_folder_out": str(_queue_dir),
                                       "control_folder": str(CELERY_WORKER_DIR / "control")}
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUT_SECONDS
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}
# Task results (small: counts, ids) kept an hour in Redis so callers and tests can wait on them.
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_ALWAYS_EAGER = False  # the test settings run tasks in-process
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_MAX_TASKS_PER_CHILD", 20, minimum=1)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_MAX_MEMORY_PER_CHILD_KB", 400_000, minimum=50_000)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "advance-monitoring-calendar": {"task": "monitoring.advance_calendar", "schedule": 60 * 60},
    "school-report-reminders": {"task": "monitoring.send_report_reminders", "schedule": 60 * 60 * 6},
    # Often, so that a job whose worker died is started again or failed within a minute (REPORTS_STALE_SECONDS).
    "reap-document-jobs": {"task": "reports.reap_jobs", "schedule": env_int("REPORTS_REAP_SECONDS", 15, minimum=5)},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "mskoko@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * SESSION_MAX_HOURS
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content Security Policy: everything is served from this host; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
                   "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                                     "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"},
                 "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"}},
    # The loggers that write request paths leave out the token of a questionnaire link (mskoko/logfilters.py).
    "filters": {"survey_tokens": {"()": "mskoko.logfilters.RedactSurveyTokens"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"},
                "django.request": {"filters": ["survey_tokens"]},
                "django.security.csrf": {"filters": ["survey_tokens"]},
                # runserver's access log (make run) writes every path.
                "django.server": {"handlers": ["django.server"], "filters": ["survey_tokens"], "level": "INFO",
                                  "propagate": False}},
}
