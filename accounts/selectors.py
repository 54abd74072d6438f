"""Reads about users and their roles; every permission check looks at the object."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, CharField, QuerySet, Value
from django.http import Http404

from accounts.models import Membership, MembershipRole, Organization, User


@dataclass(frozen=True, slots=True)
class Roles:
    """The roles one user holds, loaded once per request for navigation."""

    is_authenticated: bool
    is_trainee: bool
    is_coach: bool
    is_staff: bool
    admin_of: frozenset[int]
    champion_of: frozenset[int]

    @property
    def is_org_admin(self) -> bool:
        return bool(self.admin_of)

    @property
    def is_champion(self) -> bool:
        return bool(self.champion_of)


ANONYMOUS_ROLES = Roles(False, False, False, False, frozenset(), frozenset())


def user_roles(user: User | None) -> Roles:
    if user is None or not user.is_authenticated:
        return ANONYMOUS_ROLES
    # One query: memberships, plus the organisations the user is named champion for
    # in a cohort (`coaching.CohortChampion`, reached through its reverse relation so
    # accounts imports nothing above it).
    memberships = (
        Membership.objects.filter(user=user)
        .order_by()
        .values_list("organization_id", "role", "is_champion")
    )
    championships = (
        user.championships.order_by()
        .annotate(
            member_role=Value("", output_field=CharField()),
            champion=Value(True, output_field=BooleanField()),
        )
        .values_list("organization_id", "member_role", "champion")
    )
    rows = list(memberships.union(championships, all=True))
    return Roles(
        is_authenticated=True,
        is_trainee=user.is_active,
        is_coach=user.is_coach,
        is_staff=user.is_staff,
        admin_of=frozenset(
            org for org, role, _ in rows if role == MembershipRole.ADMIN
        ),
        champion_of=frozenset(org for org, _, champion in rows if champion),
    )


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization")


def organizations_administered_by(user: User) -> QuerySet[Organization]:
    return Organization.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.ADMIN
    )


def is_member(*, user: User, organization: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=organization).exists()


def is_org_admin(*, user: User, organization: Organization) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(
        user=user, organization=organization, role=MembershipRole.ADMIN
    ).exists()


def organization_for_admin_or_404(*, user: User, slug: str) -> Organization:
    """The organisation if `user` administers it; anyone else gets 404, not 403."""
    organization = organizations_administered_by(user).filter(slug=slug).first()
    if organization is None:
        raise Http404
    return organization
