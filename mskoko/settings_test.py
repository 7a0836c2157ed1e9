"""Fast, deterministic settings for the test suite (pretix style)."""
from .env import env_bool
from .settings import *  # noqa: F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Jobs run in-process unless a test run is explicitly wired to a real worker.
CELERY_TASK_ALWAYS_EAGER = not env_bool("TEST_REAL_WORKER", False)
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REPORTS_TEST_HOOKS = True
# In-process jobs run inside each test's transaction, where a second connection's heartbeat would wait on
# the job's row lock; tests/test_reports_heartbeat.py shortens it where it is the subject.
REPORTS_HEARTBEAT_SECONDS = 60
ENGINE_CACHE_SECONDS = 0  # tests change data behind signals' back; tests/test_engine_cache.py turns it on
