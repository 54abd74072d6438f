from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import Membership, Organization, User
from accounts.selectors import user_roles

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_cast_and_is_idempotent() -> None:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    counts = (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    call_command("seed_demo", stdout=StringIO())
    # The second run changes nothing: every app's demo updates what exists.
    assert counts == (
        Organization.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    )
    seabright = Organization.objects.get(slug="seabright")
    assert seabright.memberships.count() == 4
    printed = out.getvalue()
    assert DEMO_PASSWORD in printed
    for email in (
        "coach@lodestar.demo",
        "hr@seabright.demo",
        "chen.siyuan@seabright.demo",
    ):
        assert email in printed
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


def test_seed_demo_roles() -> None:
    call_command("seed_demo", stdout=StringIO())
    assert user_roles(User.objects.get(email="hr@seabright.demo")).is_org_admin
    assert user_roles(User.objects.get(email="coach@lodestar.demo")).is_coach
    assert user_roles(User.objects.get(email="staff@lodestar.demo")).is_staff
    champions = Membership.objects.filter(is_champion=True)
    assert [m.user.email for m in champions] == ["chen.siyuan@seabright.demo"]
    names = set(User.objects.values_list("display_name", flat=True))
    assert {"陈思远", "Kevin Zhang"} <= names
