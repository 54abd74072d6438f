"""A CohortChampion holder counts as a champion in `user_roles` (navigation, every page)."""

from __future__ import annotations

import pytest

from accounts.selectors import user_roles
from tests.factories.accounts import MembershipFactory
from tests.factories.coaching import CohortChampionFactory
from tests.factories.cohorts import InHouseCohortFactory

pytestmark = pytest.mark.django_db


def test_cohort_champion_counts_as_champion_in_one_query(django_assert_num_queries):
    cohort = InHouseCohortFactory()
    membership = MembershipFactory(organization=cohort.organization, role="admin")
    CohortChampionFactory(
        cohort=cohort, organization=cohort.organization, user=membership.user
    )
    with django_assert_num_queries(1):
        roles = user_roles(membership.user)
    assert roles.champion_of == frozenset({cohort.organization_id})
    assert roles.admin_of == frozenset({cohort.organization_id})
    assert roles.is_champion


def test_membership_champion_flag_still_counts_and_plain_members_do_not():
    champion = MembershipFactory(is_champion=True)
    member = MembershipFactory()
    assert user_roles(champion.user).champion_of == {champion.organization_id}
    roles = user_roles(member.user)
    assert not roles.is_champion
    assert not roles.is_org_admin
