from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from tests.factories.accounts import UserFactory
from tests.factories.coaching import SubmissionFactory, assignment_with_rubric

pytestmark = pytest.mark.django_db


def test_a_trainee_has_one_submission_per_assignment_with_versions() -> None:
    submission = SubmissionFactory()
    assert submission.versions.get().number == 1
    with pytest.raises(IntegrityError):
        SubmissionFactory(assignment=submission.assignment, trainee=submission.trainee)


def test_a_claim_blocks_other_coaches_until_it_expires(settings) -> None:  # type: ignore[no-untyped-def]
    settings.COACHING_CLAIM_MINUTES = 30
    mine, other = UserFactory(is_coach=True), UserFactory(is_coach=True)
    now = timezone.now()
    submission = SubmissionFactory(claimed_by=mine, claimed_at=now)
    assert not submission.is_claimed_by_other(mine, now=now)
    assert submission.is_claimed_by_other(other, now=now + dt.timedelta(minutes=29))
    assert not submission.is_claimed_by_other(other, now=now + dt.timedelta(minutes=31))


def test_rubric_factory_weights() -> None:
    assignment = assignment_with_rubric()
    assert [c.weight for c in assignment.criteria.all()] == [2, 1]
    assert assignment.max_points_total == 8
