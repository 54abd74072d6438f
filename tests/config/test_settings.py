"""The environment drives settings; a bad value gets one clear line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    leaks = {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in leaks}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("DATABASE_URL", "mysql-ish:nonsense", "DATABASE_URL must start with"),
        ("DATABASE_URL", "postgres://", "DATABASE_URL names no database"),
        ("REDIS_URL", "http://localhost:6379", "REDIS_URL must start with redis://"),
        ("DEBUG", "maybe", "DEBUG must be true or false"),
    ],
)
def test_bad_environment_gives_one_clear_line(
    name: str, value: str, expected: str
) -> None:
    result = manage(
        "check", DJANGO_SETTINGS_MODULE="config.settings.dev", **{name: value}
    )
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_production_requires_a_real_secret_key() -> None:
    result = manage(
        "check",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="lodestar.example.com",
        SECRET_KEY="short",
    )
    assert result.returncode == 2
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_the_deploy_check() -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        ALLOWED_HOSTS="lodestar.example.com",
        SECRET_KEY="x7#kq2v!lodestar-production-secret-for-the-test-only-0123456789",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_database_url_selects_postgresql() -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.db import connection; print(connection.vendor)",
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "postgresql"


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "ALLOWED_HOSTS": "lodestar.example.com",
    "SECRET_KEY": "x7#kq2v!lodestar-production-secret-for-the-test-only-0123456789",
}
SHOW = (
    "from django.conf import settings; from django.core.files.storage import storages; "
    "s = storages['default']; print(type(s).__name__, getattr(s, 'bucket_name', '-'), "
    "settings.SESSION_ENGINE.rsplit('.', 1)[-1], settings.SESSION_COOKIE_SECURE)"
)


def test_production_profile_shares_sessions_in_redis_and_media_on_s3() -> None:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW,
        REDIS_URL="redis://127.0.0.1:6379/14",
        S3_BUCKET="lodestar-media",
        S3_ENDPOINT_URL="https://oss-cn-shenzhen.aliyuncs.com",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "lodestar-media", "cache", "True"]


def test_production_profile_without_redis_or_s3_keeps_sessions_and_media_local() -> (
    None
):
    result = manage("shell", "--no-imports", "-c", SHOW, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["FileSystemStorage", "-", "db", "True"]


def test_plain_http_is_only_for_trying_the_profile_locally() -> None:
    result = manage("shell", "--no-imports", "-c", SHOW, HTTPS="false", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"
