"""Test settings: fast hashing, in-memory cache, emails kept in memory."""

import os

from .base import *  # noqa: F403
from .base import CACHES, Q_CLUSTER

# Parallel test workers (pytest-xdist) share Redis in the PostgreSQL run: give each
# worker its own job queue and cache keys.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
Q_CLUSTER["name"] = f"lodestar-test-{_WORKER}"
CACHES["jobs"] = {**CACHES["jobs"], "KEY_PREFIX": f"lodestar-test-{_WORKER}"}

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["*"]
