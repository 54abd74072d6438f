from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

SAMPLES = Path(__file__).resolve().parents[2] / "kpi" / "samples"


@pytest.fixture
def sample_upload() -> Callable[..., SimpleUploadedFile]:
    def make(name: str, *, as_name: str | None = None) -> SimpleUploadedFile:
        path = SAMPLES / name
        return SimpleUploadedFile(as_name or path.name, path.read_bytes())

    return make
