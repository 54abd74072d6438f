from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from accounts import selectors
from tests.factories.accounts import MembershipFactory, OrgAdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_roles_of_a_plain_trainee() -> None:
    membership = MembershipFactory()
    roles = selectors.user_roles(membership.user)
    assert roles.is_trainee
    assert not (roles.is_coach or roles.is_staff or roles.is_org_admin)
    assert not roles.is_champion


def test_roles_of_an_org_admin_and_champion() -> None:
    admin = OrgAdminFactory()
    champion = MembershipFactory(organization=admin.organization, is_champion=True)
    assert selectors.user_roles(admin.user).admin_of == {admin.organization_id}
    assert selectors.user_roles(champion.user).champion_of == {admin.organization_id}
    assert selectors.user_roles(champion.user).is_org_admin is False


def test_anonymous_has_no_roles() -> None:
    roles = selectors.user_roles(AnonymousUser())
    assert not roles.is_authenticated and not roles.is_trainee


def test_roles_cost_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    for _ in range(3):
        MembershipFactory(user=user)
    with django_assert_num_queries(1):
        selectors.user_roles(user)


def test_org_admin_lookup_answers_404_for_another_organization() -> None:
    admin = OrgAdminFactory()
    other = OrgAdminFactory()
    assert (
        selectors.organization_for_admin_or_404(
            user=admin.user, slug=admin.organization.slug
        )
        == admin.organization
    )
    with pytest.raises(Http404):
        selectors.organization_for_admin_or_404(
            user=admin.user, slug=other.organization.slug
        )
    member = MembershipFactory(organization=admin.organization)
    with pytest.raises(Http404):
        selectors.organization_for_admin_or_404(
            user=member.user, slug=admin.organization.slug
        )
    assert selectors.is_org_admin(user=admin.user, organization=admin.organization)
    assert not selectors.is_org_admin(user=admin.user, organization=other.organization)
