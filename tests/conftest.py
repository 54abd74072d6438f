from __future__ import annotations

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _clear_caches() -> None:
    """Wagtail caches the site root; tests must not see each other's cache."""
    caches["default"].clear()


@pytest.fixture
def other_organization_user(db):  # type: ignore[no-untyped-def]
    """A member of a different organisation: every object view must answer 404."""
    from tests.factories.accounts import MembershipFactory

    return MembershipFactory().user
