"""The menu: top-level links for everyone's daily pages, drop-downs per role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.navigation import navigation_for
from accounts.selectors import Roles
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

TRAINEE = Roles(True, True, False, False, frozenset(), frozenset())
COACH_AND_STAFF = Roles(True, True, True, True, frozenset(), frozenset())


def _labels(entries: list[dict[str, object]]) -> list[str]:
    return [str(entry["label"]) for entry in entries]


def test_a_coach_who_is_staff_gets_groups_not_a_long_row() -> None:
    with translation.override("en"):
        entries = navigation_for(COACH_AND_STAFF, "/coaching/reviews/")
        groups = {str(e["label"]): e for e in entries if "links" in e}
    assert {"Coaching", "Administration"} <= set(groups)
    coaching = groups["Coaching"]
    assert coaching["active"] is True
    urls = [link["url"] for link in coaching["links"]]  # type: ignore[attr-defined]
    assert reverse("coaching:review_queue") in urls
    assert len([e for e in entries if "links" not in e]) <= 6


def test_a_group_with_one_visible_item_is_a_plain_link() -> None:
    entries = navigation_for(TRAINEE, "/")
    assert all("links" not in entry or len(entry["links"]) > 1 for entry in entries)  # type: ignore[arg-type]
    assert "Background jobs" not in _labels(entries)


def test_the_page_renders_drop_downs(client: Client) -> None:
    client.force_login(UserFactory(is_coach=True, preferred_language="en"))
    content = client.get("/").content.decode()
    assert '<li class="nav-group">' in content
    assert "<summary>Coaching</summary>" in content
