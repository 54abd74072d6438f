from __future__ import annotations

from typing import Any

import pytest

from cohorts.models import Cohort
from tests.factories.accounts import OrgAdminFactory, UserFactory
from tests.factories.certificates import CompletionRuleFactory
from tests.factories.cohorts import CoachFactory, EnrolmentFactory, InHouseCohortFactory


@pytest.fixture(autouse=True)
def _site_url(settings: Any) -> None:
    settings.SITE_URL = "https://lodestar.example"


@pytest.fixture
def cohort(db: None) -> Cohort:
    coach = CoachFactory()
    cohort = InHouseCohortFactory(coaches=[coach], name="海明 2026 秋季内训")
    CompletionRuleFactory(cohort=cohort)
    return cohort


@pytest.fixture
def coach(cohort: Cohort) -> Any:
    return cohort.coaches.get()


@pytest.fixture
def org_admin(cohort: Cohort) -> Any:
    return OrgAdminFactory(organization=cohort.organization).user


@pytest.fixture
def trainee(cohort: Cohort) -> Any:
    user = UserFactory(display_name="李娜", email="li.na@example.com")
    EnrolmentFactory(cohort=cohort, user=user)
    return user


@pytest.fixture
def staff(db: None) -> Any:
    return UserFactory(is_staff=True, display_name="Staff")


@pytest.fixture(autouse=True)
def _english(client: Any) -> Any:
    """Messages are matched in English: services by override, pages by the cookie."""
    from django.conf import settings
    from django.utils import translation

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
