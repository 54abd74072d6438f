"""Panels on the signed-in home page, contributed by the apps that own the data.

accounts/ sits below every other app, so it cannot import them; instead each app
registers a provider in its `AppConfig.ready()`:

    from accounts.home import HomePanel, register_home_panel

    @register_home_panel
    def my_cohorts(request) -> HomePanel | None:
        ...  # one or two queries; return None when there is nothing to show

Providers run in registration order and are sorted by `order` (lower first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True, slots=True)
class HomePanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100
    wide: bool = False


HomePanelProvider = Callable[[HttpRequest], HomePanel | None]
_PROVIDERS: list[HomePanelProvider] = []


def register_home_panel(provider: HomePanelProvider) -> HomePanelProvider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def home_panels(request: HttpRequest) -> list[HomePanel]:
    panels = [panel for provider in _PROVIDERS if (panel := provider(request))]
    return sorted(panels, key=lambda panel: panel.order)
