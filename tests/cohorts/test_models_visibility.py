from __future__ import annotations

import pytest

from cohorts.models import Cohort
from cohorts.selectors import user_is_enrolled_in_course
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.cohorts import (
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    InHouseCohortFactory,
)

pytestmark = pytest.mark.django_db


def test_in_house_cohort_is_visible_only_to_its_people(other_organization_user):
    public = CohortFactory()
    coach = CoachFactory()
    in_house = InHouseCohortFactory(coaches=[coach])
    member = MembershipFactory(organization=in_house.organization).user
    enrolled = EnrolmentFactory(cohort=in_house).user
    staff = UserFactory(is_staff=True)

    def visible(user):
        return set(Cohort.objects.visible_to(user))

    assert visible(None) == {public}
    assert visible(other_organization_user) == {public}
    for insider in (member, enrolled, coach, staff):
        assert visible(insider) == {public, in_house}


def test_visible_to_does_not_repeat_rows():
    cohort = InHouseCohortFactory()
    member = MembershipFactory(organization=cohort.organization).user
    EnrolmentFactory(cohort=cohort, user=member)
    assert list(Cohort.objects.visible_to(member)) == [cohort]


def test_user_is_enrolled_in_course_counts_active_seats_only():
    enrolment = EnrolmentFactory()
    course = enrolment.cohort.course
    assert user_is_enrolled_in_course(user=enrolment.user, course=course)
    enrolment.status = "waitlisted"
    enrolment.save()
    assert not user_is_enrolled_in_course(user=enrolment.user, course=course)
    assert not user_is_enrolled_in_course(user=UserFactory(), course=course)
