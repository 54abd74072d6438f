from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories.accounts import (
    PASSWORD,
    MembershipFactory,
    OrgAdminFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_landing_page_for_visitors_is_chinese_by_default(client: Client) -> None:
    response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert "accounts/landing.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert '<html class="no-js" lang="zh-Hans">' in content
    assert "登录" in content
    assert response["Content-Language"] == "zh-hans"


def test_login_with_email_lands_on_home(client: Client) -> None:
    membership = MembershipFactory(
        user__email="li@example.com", user__display_name="李娜"
    )
    response = client.post(
        reverse("accounts:login"),
        {"username": "LI@example.com", "password": PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["user"] == membership.user
    content = response.content.decode()
    assert "欢迎回来，李娜" in content
    assert membership.organization.name in content


def test_wrong_password_shows_a_clear_message_and_no_session(client: Client) -> None:
    UserFactory(email="li@example.com")
    response = client.post(
        reverse("accounts:login"), {"username": "li@example.com", "password": "nope"}
    )
    assert response.status_code == 200
    assert "邮箱或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_redirect_ignores_foreign_next(client: Client) -> None:
    UserFactory(email="li@example.com")
    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {
            "username": "li@example.com",
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_requires_post(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_profile_requires_login(client: Client) -> None:
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_profile_saves_name_language_and_time_zone(client: Client) -> None:
    user = UserFactory(display_name="旧名字")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "New Name",
            "preferred_language": "en",
            "time_zone": "Europe/Berlin",
        },
        follow=True,
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.display_name, user.preferred_language, user.time_zone) == (
        "New Name",
        "en",
        "Europe/Berlin",
    )
    content = response.content.decode()
    assert "Your profile has been saved." in content
    assert '<html class="no-js" lang="en">' in content
    assert client.cookies["lodestar_language"].value == "en"


def test_profile_rejects_an_unknown_time_zone(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {
            "display_name": "X",
            "preferred_language": "zh-hans",
            "time_zone": "Mars/Base",
        },
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    user.refresh_from_db()
    assert user.time_zone == "Asia/Shanghai"


def test_profile_shows_own_memberships_only(client: Client) -> None:
    mine = MembershipFactory(is_champion=True)
    other = OrgAdminFactory()
    client.force_login(mine.user)
    content = client.get(reverse("accounts:profile")).content.decode()
    assert mine.organization.name in content
    assert "内部推动人" in content
    assert other.organization.name not in content


def test_language_switch_for_a_visitor_sets_the_cookie(client: Client) -> None:
    response = client.post(
        reverse("language_switch"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in to Lodestar" in page


def test_language_switch_saves_the_signed_in_users_preference(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("language_switch"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"
    assert "Welcome back" in client.get("/").content.decode()


def test_unknown_language_code_gets_a_clear_message(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("language_switch"), {"language": "xx-klingon", "next": "/"}, follow=True
    )
    assert response.status_code == 200
    assert "“xx-klingon”不是 Lodestar 提供的语言" in response.content.decode()
    user.refresh_from_db()
    assert user.preferred_language == "zh-hans"


def test_language_switch_rejects_get(client: Client) -> None:
    assert client.get(reverse("language_switch")).status_code == 405


def test_password_reset_round_trip(client: Client) -> None:
    user = UserFactory(email="reset@example.com", display_name="王五")
    response = client.post(
        reverse("accounts:password_reset"), {"email": "reset@example.com"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "王五" in body
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", body)
    assert link, body
    confirm = client.get(link.group(1), follow=True)
    assert confirm.status_code == 200
    assert confirm.context["validlink"]
    response = client.post(
        confirm.redirect_chain[-1][0],
        {
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase")


def test_password_reset_for_unknown_email_reveals_nothing(client: Client) -> None:
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.com"}
    )
    assert response.status_code == 302
    assert mail.outbox == []


def test_navigation_depends_on_roles(client: Client) -> None:
    trainee = UserFactory()
    client.force_login(trainee)
    assert reverse("jobs_status") not in client.get("/").content.decode()
    staff = User.objects.create_user(
        "staff@example.com", "x", display_name="Staff", is_staff=True
    )
    client.force_login(staff)
    content = client.get("/").content.decode()
    assert reverse("jobs_status") in content
    assert "/cms/" in content


def test_times_follow_the_users_time_zone(client: Client) -> None:
    user = UserFactory(time_zone="America/Los_Angeles", preferred_language="en")
    client.force_login(user)
    content = client.get("/").content.decode()
    assert "America/Los_Angeles" in content


def test_404_page_is_translated_and_styled(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()
