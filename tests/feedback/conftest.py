from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone, translation

from accounts.models import User
from cohorts.feedback.models import DiagnosisQuestion
from cohorts.models import Cohort, Session
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import (
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
)
from tests.factories.feedback import make_questionnaire


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English; the trainees below read English."""
    with translation.override("en"):
        yield


@dataclass
class Setup:
    cohort: Cohort
    coach: User
    trainee: User
    other_trainee: User
    first: Session
    questions: dict[str, DiagnosisQuestion]


@pytest.fixture
def setup(db: Any) -> Setup:
    coach = CoachFactory(preferred_language="en")
    cohort = CohortFactory(coaches=[coach])
    trainee = UserFactory(preferred_language="en", display_name="Amy")
    other = UserFactory(preferred_language="en", display_name="Bo")
    for user in (trainee, other):
        EnrolmentFactory(cohort=cohort, user=user)
    first = SessionFactory(
        cohort=cohort, starts_at=timezone.now() + dt.timedelta(days=2)
    )
    return Setup(
        cohort=cohort,
        coach=coach,
        trainee=trainee,
        other_trainee=other,
        first=first,
        questions=make_questionnaire(cohort.course),
    )


def valid_post(questions: dict[str, DiagnosisQuestion], **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "platforms": ["amazon", "shopify"],
        "currency": "USD",
        "roles": ["ops"],
        "maturity": "3",
        "trust": "7",
        "team_size": "12",
        "pains": "Targets are guesses.",
        "goal": "",
    }
    data.update(over)
    return {f"q{questions[k].pk}": v for k, v in data.items() if v is not None}
