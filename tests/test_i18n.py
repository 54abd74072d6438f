"""Every string is marked for translation and the zh_Hans catalogue is complete."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = {".venv", ".git", "staticfiles", "media", "test-artifacts", "node_modules"}


CATALOGUES = [
    "locale",
    "accounts/locale",
    "courses/locale",
    "cohorts/locale",
    "cohorts/coaching/locale",
    "cohorts/certificates/locale",
    "cohorts/admissions/locale",
    "cohorts/feedback/locale",
    "cohorts/reporting/locale",
    "workbook/locale",
]
PO = "zh_Hans/LC_MESSAGES/django.po"


@pytest.fixture(scope="module")
def fresh_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
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
        [str(ROOT / "scripts" / "translations.sh"), str(copy)],
        check=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin"},
    )
    return copy


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_catalogue_has_no_untranslated_or_fuzzy_messages(
    fresh_copy: Path, catalogue: str
) -> None:
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(fresh_copy / catalogue / PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats, f"{catalogue}: {stats}"
    assert "fuzzy" not in stats, f"{catalogue}: {stats}"


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_committed_catalogue_is_current(fresh_copy: Path, catalogue: str) -> None:
    """The committed .po translates every msgid the code uses (gettext's msgcmp)."""
    compared = subprocess.run(
        ["msgcmp", str(ROOT / catalogue / PO), str(fresh_copy / catalogue / PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert compared.returncode == 0, (
        f"{catalogue}: run `make translations` and translate:\n"
        + compared.stderr[-2000:]
    )
