"""Sign-in is rate limited per email address and client address; passwords have a policy."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    cache.clear()


def _attempt(  # type: ignore[no-untyped-def]
    client: Client,
    password: str,
    address: str = "203.0.113.7",
    email: str = "li@example.com",
):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def test_five_wrong_passwords_lock_the_username_from_that_address(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 5
    UserFactory(email="li@example.com")
    for n in range(4):  # the same address however it is typed
        email = "LI@example.com " if n % 2 else "li@example.com"
        assert _attempt(client, "wrong", email=email).status_code == 200
    locked = _attempt(client, "wrong")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Even the right password is refused while locked, and no session starts.
    assert _attempt(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # A colleague behind another address is not locked out.
    assert _attempt(Client(), PASSWORD, address="198.51.100.4").status_code == 302


def test_a_spoofed_forwarded_for_header_does_not_reset_the_count(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(email="li@example.com")
    for n in range(3):
        response = client.post(
            reverse("accounts:login"),
            {"username": "li@example.com", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert response.status_code == 429


def test_behind_a_proxy_the_address_it_saw_counts(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.PROXY_COUNT = 1
    UserFactory(email="li@example.com")
    for _ in range(2):
        client.post(
            reverse("accounts:login"),
            {"username": "li@example.com", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="198.51.100.9",
        )
    # Another client behind the same proxy is not locked out.
    other = Client().post(
        reverse("accounts:login"),
        {"username": "li@example.com", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert other.status_code == 302


def test_a_success_resets_the_count(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_FAILURE_LIMIT = 3
    UserFactory(email="li@example.com")
    _attempt(client, "wrong")
    _attempt(client, "wrong")
    assert _attempt(client, PASSWORD).status_code == 302
    client.logout()
    _attempt(client, "wrong")
    _attempt(client, "wrong")
    assert _attempt(client, PASSWORD).status_code == 302


def test_password_policy_refuses_short_common_and_numeric_passwords() -> None:
    user = UserFactory(email="kevin.zhang@seabright.demo", display_name="Kevin Zhang")
    for weak in ("short1!", "password123", "1234567890123", "kevinzhang"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)
    validate_password("年度目标-拆到月-2027", user)
