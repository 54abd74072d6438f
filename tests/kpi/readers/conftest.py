"""Reader tests are plain Python: no Django settings, no database."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    """Overrides the project-wide cache reset, which needs Django settings."""
