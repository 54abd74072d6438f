"""The demo cast: one enterprise client with its people, and Lodestar's own staff.

Later apps extend the demo from their own `seed_demo` steps; this module only holds
people and organisations. Every step is idempotent: running it twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import MembershipRole, Organization, Platform, User
from accounts.services import membership_upsert

DEMO_PASSWORD = "lodestar-demo"  # noqa: S105 - printed for the demo on purpose


@dataclass(frozen=True, slots=True)
class DemoPerson:
    email: str
    display_name: str
    role_label: str
    language: str = "zh-hans"
    is_staff: bool = False
    is_coach: bool = False
    org_role: str | None = None
    is_champion: bool = False
    title: str = ""


DEMO_ORGANIZATION = {
    "slug": "seabright",
    "name": "海明家居 Seabright Home",
    "platforms": [
        Platform.AMAZON,
        Platform.SHOPIFY,
        Platform.TIKTOK_SHOP,
        Platform.SHOPEE,
    ],
}

DEMO_PEOPLE = [
    DemoPerson(
        "staff@lodestar.demo",
        "王晓岚",
        "staff / editor",
        is_staff=True,
    ),
    DemoPerson(
        "coach@lodestar.demo",
        "Sarah Mitchell",
        "coach",
        language="en",
        is_coach=True,
    ),
    DemoPerson(
        "hr@seabright.demo",
        "林佳",
        "org admin",
        org_role=MembershipRole.ADMIN,
        title="HR 培训经理",
    ),
    DemoPerson(
        "chen.siyuan@seabright.demo",
        "陈思远",
        "trainee, champion",
        org_role=MembershipRole.MEMBER,
        is_champion=True,
        title="运营总监",
    ),
    DemoPerson(
        "li.na@seabright.demo",
        "李娜",
        "trainee",
        org_role=MembershipRole.MEMBER,
        title="亚马逊运营",
    ),
    DemoPerson(
        "kevin.zhang@seabright.demo",
        "Kevin Zhang",
        "trainee",
        language="en",
        org_role=MembershipRole.MEMBER,
        title="Advertising lead",
    ),
]


@transaction.atomic
def seed_people() -> tuple[Organization, list[tuple[DemoPerson, User]]]:
    organization, _ = Organization.objects.update_or_create(
        slug=DEMO_ORGANIZATION["slug"],
        defaults={
            "name": DEMO_ORGANIZATION["name"],
            "platforms": [str(p) for p in DEMO_ORGANIZATION["platforms"]],
        },
    )
    seeded = []
    for person in DEMO_PEOPLE:
        user, created = User.objects.update_or_create(
            email=person.email,
            defaults={
                "display_name": person.display_name,
                "preferred_language": person.language,
                "is_staff": person.is_staff,
                "is_superuser": person.is_staff,
                "is_coach": person.is_coach,
                "is_active": True,
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if person.org_role:
            membership_upsert(
                user=user,
                organization=organization,
                role=person.org_role,
                is_champion=person.is_champion,
                title=person.title,
            )
        seeded.append((person, user))
    return organization, seeded
