from __future__ import annotations

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    """Wagtail caches the site root; tests must not see each other's cache."""
    caches["default"].clear()


@pytest.fixture(autouse=True)
def _wagtail_tree(request: pytest.FixtureRequest) -> None:
    """Database tests find Wagtail's root page, site and locales (tests/wagtail_tree.py)."""
    marker = request.node.get_closest_marker("django_db")
    uses_db = marker is not None or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    from tests.wagtail_tree import ensure_wagtail_tree

    ensure_wagtail_tree()


@pytest.fixture
def other_organization_user(db):  # type: ignore[no-untyped-def]
    """A member of a different organisation: every object view must answer 404."""
    from tests.factories.accounts import MembershipFactory

    return MembershipFactory().user
