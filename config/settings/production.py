"""Production: DEBUG off, secrets required, HTTPS enforced; the scale-out profile.

`DJANGO_SETTINGS_MODULE=config.settings.production python manage.py check --deploy`
must report nothing. With `REDIS_URL` set, Redis is the job broker, the cache and the
session store; with `S3_BUCKET` set, uploaded media live on S3-compatible storage, so
web and worker processes on several machines share them. docs/deploy.md lists the
settings each role needs.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, STORAGES, _env_bool, env

DEBUG = False

SECRET_KEY = env.str("SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production"
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# HTTPS everywhere. `HTTPS=false` exists only for `make serve` on a laptop, where the
# production profile is tried over plain http on 127.0.0.1.
HTTPS = _env_bool("HTTPS", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS and _env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = (
    env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365) if HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS

# Sessions: in Redis when there is one (shared by every web process), else the database.
if REDIS_URL:
    CACHES["sessions"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "lodestar-sessions",
        "TIMEOUT": None,
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"

# Media on S3-compatible storage (AWS S3, Alibaba OSS, Tencent COS, MinIO) when set.
# Files stay private: downloads go through views that check permissions and hand out
# short-lived signed URLs.
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "location": env.str("S3_PREFIX", default="media"),
        },
    }
