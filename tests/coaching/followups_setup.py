"""Shared set-up for the follow-up and champion tests (not a conftest: the coaching
test package is shared with other parts)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Organization, User
from cohorts.models import Cohort
from tests.factories.accounts import MembershipFactory, OrgAdminFactory, UserFactory
from tests.factories.cohorts import CoachFactory, EnrolmentFactory, InHouseCohortFactory


@dataclass
class InHouse:
    cohort: Cohort
    organization: Organization
    coach: User
    trainee: User
    colleague: User
    admin: User


def in_house_cohort() -> InHouse:
    """An in-house cohort with its coach, two enrolled members and the org admin."""
    coach = CoachFactory()
    cohort = InHouseCohortFactory(coaches=[coach])
    organization = cohort.organization
    trainee = UserFactory(display_name="李娜")
    colleague = UserFactory(display_name="Kevin")
    for person in (trainee, colleague):
        MembershipFactory(user=person, organization=organization)
        EnrolmentFactory(cohort=cohort, user=person)
    admin = OrgAdminFactory(organization=organization).user
    return InHouse(cohort, organization, coach, trainee, colleague, admin)
