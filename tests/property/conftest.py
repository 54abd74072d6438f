"""The engine's tests run without Django: ``pytest -p no:django tests/kpi``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = str(Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    """Overrides the project-wide Django cache reset: kpi/ has no Django."""
