from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.http import HttpRequest
from django.test import Client

from accounts import home
from accounts.home import HomePanel, register_home_panel
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def isolated_providers() -> Iterator[None]:
    saved = list(home._PROVIDERS)
    home._PROVIDERS.clear()
    yield
    home._PROVIDERS[:] = saved


def test_registered_panels_render_in_order(
    client: Client, isolated_providers: None
) -> None:
    def late(request: HttpRequest) -> HomePanel:
        return HomePanel("includes/messages.html", order=200)

    def early(request: HttpRequest) -> HomePanel | None:
        return HomePanel("includes/form_field.html", {"label": "x"}, order=10)

    def nothing(request: HttpRequest) -> None:
        return None

    for provider in (late, early, nothing, early):
        register_home_panel(provider)
    client.force_login(UserFactory())
    response = client.get("/")
    panels = response.context["panels"]
    assert [p.order for p in panels] == [10, 200]
