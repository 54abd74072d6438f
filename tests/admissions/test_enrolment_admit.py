"""cohorts.services.enrolment_admit: a seat or CohortFull, never a waitlist place."""

from __future__ import annotations

import pytest

from cohorts.models import Enrolment, EnrolmentStatus
from cohorts.services import CohortFull, enrolment_admit
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_admit_seats_and_is_idempotent():
    cohort = CohortFactory(capacity=1)
    user = UserFactory()
    first = enrolment_admit(cohort=cohort, user=user, source="staff")
    assert first.created and first.enrolment.status == EnrolmentStatus.ACTIVE
    again = enrolment_admit(cohort=cohort, user=user, source="staff")
    assert not again.created
    assert Enrolment.objects.filter(cohort=cohort).count() == 1


def test_admit_refuses_a_full_cohort_and_writes_nothing():
    cohort = CohortFactory(capacity=1)
    EnrolmentFactory(cohort=cohort)
    with pytest.raises(CohortFull) as full:
        enrolment_admit(cohort=cohort, user=UserFactory(), source="staff")
    assert (full.value.taken, full.value.capacity) == (1, 1)
    assert Enrolment.objects.filter(cohort=cohort).count() == 1


def test_admit_seats_someone_waitlisted_or_withdrawn():
    cohort = CohortFactory(capacity=3)
    waiting = EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.WAITLISTED)
    gone = EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.WITHDRAWN)
    for enrolment in (waiting, gone):
        outcome = enrolment_admit(cohort=cohort, user=enrolment.user, source="staff")
        assert outcome.created
        enrolment.refresh_from_db()
        assert enrolment.status == EnrolmentStatus.ACTIVE


def test_admit_without_capacity_has_no_limit():
    cohort = CohortFactory(capacity=None)
    for _ in range(3):
        enrolment_admit(cohort=cohort, user=UserFactory(), source="staff")
    assert Enrolment.objects.filter(cohort=cohort, status="active").count() == 3
