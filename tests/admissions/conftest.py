from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Service messages are matched in English unless a test asks for Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def run_tasks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """django-q2 jobs run at once, in the test's thread; the calls are recorded."""
    calls: list[tuple[Any, ...]] = []

    def run(name: str, *args: Any, **kwargs: Any) -> None:
        calls.append((name, *args))
        module, function = name.rsplit(".", 1)
        target: Callable[..., Any] = getattr(importlib.import_module(module), function)
        target(*args)

    monkeypatch.setattr("django_q.tasks.async_task", run)
    return calls
