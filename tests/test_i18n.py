"""Every string is marked for translation and the zh_Hans catalogue is complete."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", ".git", "staticfiles", "media", "test-artifacts", "node_modules"}


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Re-extract the messages in a copy of the project, leaving the tree untouched."""
    copy = tmp_path_factory.mktemp("project")
    for item in ROOT.iterdir():
        if item.name in SKIP or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(
                item, copy / item.name, ignore=shutil.ignore_patterns("*.mo")
            )
        else:
            shutil.copy2(item, copy / item.name)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "-i",
            "kpi/*",
            "-v",
            "0",
        ],
        cwd=copy,
        check=True,
        timeout=300,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
    )
    return copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_messages(fresh_catalogue: Path) -> None:
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(fresh_catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats, stats
    assert "fuzzy" not in stats, stats
    assert "translated message" in stats


def test_committed_catalogue_is_current(fresh_catalogue: Path) -> None:
    """The committed .po translates every msgid the code uses (gettext's msgcmp)."""
    committed = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    compared = subprocess.run(
        ["msgcmp", str(committed), str(fresh_catalogue)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert compared.returncode == 0, (
        "run `make translations`:\n" + compared.stderr[-2000:]
    )
