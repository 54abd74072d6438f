"""Writes to users, organisations and memberships."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Membership, MembershipRole, Organization, User


def user_update_preferences(
    *, user: User, display_name: str, preferred_language: str, time_zone: str
) -> User:
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.time_zone = time_zone
    user.full_clean()
    user.save(update_fields=["display_name", "preferred_language", "time_zone"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


@transaction.atomic
def membership_upsert(
    *,
    user: User,
    organization: Organization,
    role: str = MembershipRole.MEMBER,
    is_champion: bool = False,
    title: str = "",
) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user,
        organization=organization,
        defaults={"role": role, "is_champion": is_champion, "title": title},
    )
    return membership
