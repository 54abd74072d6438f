"""The bell, the notifications page, opening one, mark all read, and preferences."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, NotificationKind, NotificationPreference
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

LIST = "/accounts/notifications/"
_KEYS = itertools.count()


def _make(user, n: int = 1, *, read: bool = False, url: str = "/cohorts/") -> list:  # type: ignore[no-untyped-def]
    now = timezone.now()
    return [
        Notification.objects.create(
            user=user,
            kind=NotificationKind.HOMEWORK_DUE_SOON,
            title=f"提醒 {i}",
            body=f"正文 {i}",
            url=url,
            dedupe_key=f"test:{next(_KEYS)}",
            created_at=now - dt.timedelta(minutes=i),
            read_at=now if read else None,
        )
        for i in range(n)
    ]


def _checkbox(content: str, name: str) -> str:
    start = content.index(f'name="{name}"')
    tag = content[start : content.index(">", start)]
    return "checked" if " checked" in tag else "unchecked"


def _bell(content: str) -> str:
    start = content.rindex("<a ", 0, content.index('id="notification-bell"'))
    return content[start : content.index("</a>", start)]


def test_anonymous_is_sent_to_login(client: Client) -> None:
    for url in (LIST, "/accounts/notifications/preferences/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    response = client.post("/accounts/notifications/1/open/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post("/accounts/notifications/read-all/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bell_shows_the_unread_count(client: Client) -> None:
    user = UserFactory()
    _make(user, 3)
    _make(user, 2, read=True)
    _make(UserFactory(), 4)  # someone else's
    client.force_login(user)
    bell = _bell(client.get("/accounts/profile/").content.decode())
    assert 'data-count="3"' in bell and ">3</span>" in bell
    assert "has-unread" in bell


def test_bell_caps_at_99_plus(client: Client) -> None:
    user = UserFactory()
    _make(user, 120)
    client.force_login(user)
    assert ">99+</span>" in _bell(client.get(LIST).content.decode())


def test_bell_without_unread_has_no_badge(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    bell = _bell(client.get("/accounts/profile/").content.decode())
    assert "bell-count" not in bell and "has-unread" not in bell


def test_anonymous_pages_have_no_bell(client: Client) -> None:
    assert (
        'id="notification-bell"'
        not in client.get("/accounts/profile/").content.decode()
    )


def test_the_bell_costs_one_query(client: Client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """The profile page renders the bell; with and without it differs by one COUNT."""
    user = UserFactory()
    _make(user, 5)
    client.force_login(user)
    client.get(reverse("accounts:profile"))  # warm caches (site root, etc.)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("accounts:profile"))
    counts = [q["sql"] for q in queries if '"accounts_notification"' in q["sql"]]
    assert len(counts) == 1 and "COUNT(" in counts[0].upper()
    _make(user, 50)
    with django_assert_num_queries(len(queries)):
        client.get(reverse("accounts:profile"))


def test_list_is_newest_first_paginated_and_highlights_unread(client: Client) -> None:
    user = UserFactory()
    _make(user, 25)
    client.force_login(user)
    response = client.get(LIST)
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count('class="notification is-unread"') == 20
    assert content.index("提醒 0") < content.index("提醒 1")
    assert "提醒 20" not in content
    second = client.get(LIST + "?page=2").content.decode()
    assert "提醒 24" in second and "提醒 0<" not in second


def test_list_query_count_does_not_grow(
    client: Client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    _make(user, 3)
    client.force_login(user)
    client.get(LIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    _make(user, 40, read=True)
    with django_assert_max_num_queries(len(few)):
        client.get(LIST)


def test_unread_filter_and_htmx_fragment(client: Client) -> None:
    user = UserFactory()
    _make(user, 1)
    (read,) = _make(user, 1, read=True)
    read.title = "已读的提醒"
    read.save()
    client.force_login(user)
    content = client.get(LIST + "?show=unread").content.decode()
    assert "提醒 0" in content and "已读的提醒" not in content
    fragment = client.get(LIST, headers={"hx-request": "true"})
    text = fragment.content.decode().lstrip()
    assert text.startswith(
        '<section class="panel notifications" id="notification-results"'
    )
    assert "已读的提醒" in text and "<html" not in text


def test_empty_list_says_so(client: Client) -> None:
    client.force_login(UserFactory(preferred_language="en"))
    assert "No notifications yet." in client.get(LIST).content.decode()


def test_opening_marks_read_and_goes_to_the_link(client: Client) -> None:
    user = UserFactory()
    (notification,) = _make(user, 1, url="/cohorts/seabright/")
    client.force_login(user)
    response = client.post(
        reverse("accounts:notification_open", args=[notification.pk])
    )
    assert response.status_code == 302 and response["Location"] == "/cohorts/seabright/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'data-count="' not in _bell(
        client.get("/accounts/profile/").content.decode()
    )


def test_opening_one_without_a_safe_link_stays_on_the_list(client: Client) -> None:
    user = UserFactory()
    (external,) = _make(user, 1, url="https://evil.example.com/")
    (slashes,) = _make(user, 1, url="//evil.example.com/x", read=True)
    client.force_login(user)
    for notification in (external, slashes):
        response = client.post(
            reverse("accounts:notification_open", args=[notification.pk])
        )
        assert response["Location"] == LIST


def test_opening_is_post_only(client: Client) -> None:
    user = UserFactory()
    (notification,) = _make(user, 1)
    client.force_login(user)
    response = client.get(reverse("accounts:notification_open", args=[notification.pk]))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_cannot_open_another_users_notification(client: Client) -> None:
    (theirs,) = _make(UserFactory(), 1)
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:notification_open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_mine(client: Client) -> None:
    me, other = UserFactory(), UserFactory()
    _make(me, 3)
    _make(other, 2)
    client.force_login(me)
    response = client.post(reverse("accounts:notifications_mark_all_read"))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 2


def test_mark_all_read_with_htmx_swaps_the_list_and_the_bell(client: Client) -> None:
    user = UserFactory()
    _make(user, 2)
    client.force_login(user)
    response = client.post(
        reverse("accounts:notifications_mark_all_read"), headers={"hx-request": "true"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and "<html" not in content
    assert 'id="notification-results"' in content
    assert "is-unread" not in content
    bell = _bell(content)
    assert 'hx-swap-oob="true"' in bell and "bell-count" not in bell


def test_preferences_page_lists_every_kind_checked_by_default(client: Client) -> None:
    user = UserFactory(preferred_language="en")
    client.force_login(user)
    content = client.get(reverse("accounts:notification_preferences")).content.decode()
    for kind in NotificationKind.values:
        assert f'name="{kind}-in_app" checked' in content
        assert f'name="{kind}-email" checked' in content
    assert "A session tomorrow" in content


def test_profile_links_to_preferences(client: Client) -> None:
    client.force_login(UserFactory())
    content = client.get(reverse("accounts:profile")).content.decode()
    assert 'href="/accounts/notifications/preferences/"' in content


def test_saving_preferences_stores_only_the_exceptions(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    post = {f"{kind}-in_app": "on" for kind in NotificationKind.values}
    post |= {f"{kind}-email": "on" for kind in NotificationKind.values}
    del post["session_tomorrow-email"]
    del post["homework_overdue-in_app"]
    del post["homework_overdue-email"]
    response = client.post(reverse("accounts:notification_preferences"), post)
    assert response.status_code == 302
    rows = {
        p.kind: (p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user=user)
    }
    assert rows == {
        "session_tomorrow": (True, False),
        "homework_overdue": (False, False),
    }
    page = client.get(reverse("accounts:notification_preferences")).content.decode()
    assert _checkbox(page, "session_tomorrow-email") == "unchecked"
    assert _checkbox(page, "session_tomorrow-in_app") == "checked"
    assert _checkbox(page, "homework_overdue-in_app") == "unchecked"
    # turning it back on removes the row
    post["session_tomorrow-email"] = "on"
    client.post(reverse("accounts:notification_preferences"), post)
    assert not NotificationPreference.objects.filter(
        user=user, kind="session_tomorrow"
    ).exists()


def test_preferences_are_per_user(client: Client) -> None:
    other = UserFactory()
    NotificationPreference.objects.create(
        user=other, kind="review_new", in_app=False, email=False
    )
    me = UserFactory()
    client.force_login(me)
    client.post(reverse("accounts:notification_preferences"), {})
    assert NotificationPreference.objects.filter(user=me).count() == len(
        NotificationKind.values
    )
    assert NotificationPreference.objects.filter(user=other).count() == 1
