from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from accounts.models import Membership, Organization, User
from tests.factories.accounts import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_normalises_email_and_defaults() -> None:
    user = User.objects.create_user(
        "Trainee@Example.COM", "pw-123456", display_name="张三"
    )
    assert user.email == "trainee@example.com"
    assert user.preferred_language == "zh-hans"
    assert user.time_zone == "Asia/Shanghai"
    assert user.check_password("pw-123456")
    assert not user.is_staff and not user.is_coach


def test_email_is_unique_case_insensitively_through_the_manager() -> None:
    User.objects.create_user("a@example.com", "x", display_name="A")
    with pytest.raises(IntegrityError):
        User.objects.create_user("A@example.com", "x", display_name="B")


def test_natural_key_lookup_ignores_case() -> None:
    user = UserFactory(email="case@example.com")
    assert User.objects.get_by_natural_key("CASE@example.com") == user


def test_superuser_is_staff() -> None:
    admin = User.objects.create_superuser("root@example.com", "pw", display_name="Root")
    assert admin.is_staff and admin.is_superuser


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("Asia/Shanghai", True),
        ("Europe/Berlin", True),
        ("Mars/Olympus", False),
        ("", False),
    ],
)
def test_time_zone_is_validated(value: str, valid: bool) -> None:
    user = UserFactory.build(time_zone=value, email="tz@example.com", display_name="T")
    if valid:
        user.full_clean(exclude=["password"])
    else:
        with pytest.raises(ValidationError) as excinfo:
            user.full_clean(exclude=["password"])
        assert "time_zone" in excinfo.value.message_dict


@pytest.mark.parametrize(
    ("platforms", "valid"),
    [
        (["amazon", "shopify"], True),
        ([], True),
        (["ebay-china"], False),
        ("amazon", False),
    ],
)
def test_organization_platforms_are_validated(platforms: object, valid: bool) -> None:
    organization = Organization(name="X", slug="x", platforms=platforms)
    if valid:
        organization.full_clean()
    else:
        with pytest.raises(ValidationError):
            organization.full_clean()


def test_platform_labels_follow_the_active_language() -> None:
    organization = OrganizationFactory(platforms=["amazon", "tiktok_shop"])
    with translation.override("en"):
        assert organization.platform_labels == ["Amazon", "TikTok Shop"]
    with translation.override("zh-hans"):
        assert organization.platform_labels == ["亚马逊", "TikTok Shop"]


def test_one_membership_per_user_and_organization() -> None:
    membership = MembershipFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=membership.user, organization=membership.organization
        )
