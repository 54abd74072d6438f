"""notify(), batches of reminders, preferences, and the email that goes out."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, NotificationKind, NotificationPreference
from accounts.notifications import Message, Reminder, notify, send_reminders
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

KIND = NotificationKind.HOMEWORK_DUE_SOON


def _notify(user, key: str = "homework_due_soon:assignment:1", **kwargs):  # type: ignore[no-untyped-def]
    return notify(
        user=user,
        kind=kwargs.pop("kind", KIND),
        title=kwargs.pop("title", "作业快到期了"),
        dedupe_key=key,
        body=kwargs.pop("body", "请在周五前提交。"),
        url=kwargs.pop("url", "/cohorts/"),
        **kwargs,
    )


def test_notify_records_in_app_and_emails_once(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(email="li@example.com", display_name="李娜")
    first = _notify(user)
    assert first is not None and first.read_at is None and first.emailed_at
    assert _notify(user) is None  # the same event again: nothing
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["li@example.com"]
    assert email.subject == "作业快到期了"
    assert "李娜" in email.body and "请在周五前提交。" in email.body
    assert "http://127.0.0.1:8000/cohorts/" in email.body
    assert "/accounts/notifications/preferences/" in email.body
    html, mime = email.alternatives[0]
    assert mime == "text/html" and 'href="http://127.0.0.1:8000/cohorts/"' in html


def test_email_is_in_the_recipients_language(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    _notify(UserFactory(preferred_language="en", display_name="Kevin"))
    _notify(UserFactory(preferred_language="zh-hans", display_name="陈思远"))
    assert "Hello Kevin," in mailoutbox[0].body
    assert "Open it in Lodestar:" in mailoutbox[0].body
    assert (
        "陈思远" in mailoutbox[1].body
        and "Open it in Lodestar" not in mailoutbox[1].body
    )


def test_same_key_for_another_user_is_another_notification(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    _notify(UserFactory())
    _notify(UserFactory())
    assert Notification.objects.count() == 2 and len(mailoutbox) == 2


def test_kind_turned_off_sends_nothing(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    NotificationPreference.objects.create(
        user=user, kind=KIND, in_app=False, email=False
    )
    assert _notify(user) is None
    assert Notification.objects.count() == 0 and mailoutbox == []


def test_email_off_means_in_app_only(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    NotificationPreference.objects.create(
        user=user, kind=KIND, in_app=True, email=False
    )
    notification = _notify(user)
    assert notification is not None and notification.read_at is None
    assert notification.emailed_at is None and mailoutbox == []


def test_in_app_off_means_email_only_and_the_row_is_read(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    NotificationPreference.objects.create(
        user=user, kind=KIND, in_app=False, email=True
    )
    notification = _notify(user)
    assert notification is not None and notification.read_at is not None
    assert len(mailoutbox) == 1
    assert _notify(user) is None and len(mailoutbox) == 1  # still never twice


def test_another_kind_is_not_affected_by_a_preference(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    NotificationPreference.objects.create(
        user=user, kind=KIND, in_app=False, email=False
    )
    assert _notify(user, key="x", kind=NotificationKind.REVIEW_NEW) is not None


def test_inactive_user_gets_nothing(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    assert _notify(UserFactory(is_active=False)) is None
    assert Notification.objects.count() == 0 and mailoutbox == []


def test_a_refusing_mail_server_keeps_the_in_app_notification(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)
    notification = _notify(UserFactory())
    assert notification is not None
    notification.refresh_from_db()
    assert notification.emailed_at is None and notification.read_at is None


def _reminders(users, key: str = "review_new:review:7") -> list[Reminder]:  # type: ignore[no-untyped-def]
    return [
        Reminder(
            user=user,
            kind=NotificationKind.REVIEW_NEW,
            dedupe_key=key,
            compose=lambda: Message(title="Homework approved", url="/"),
        )
        for user in users
    ]


def test_send_reminders_is_idempotent_and_repeats_cost_one_query(
    mailoutbox,  # type: ignore[no-untyped-def]
) -> None:
    users = UserFactory.create_batch(12)
    assert send_reminders(_reminders(users)) == 12
    assert len(mailoutbox) == 12
    with CaptureQueriesContext(connection) as queries:
        assert send_reminders(_reminders(users)) == 0
    assert len(queries) == 1
    assert len(mailoutbox) == 12 and Notification.objects.count() == 12


def test_send_reminders_collapses_duplicates_in_one_batch(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    assert send_reminders(_reminders([user, user])) == 1
    assert len(mailoutbox) == 1


def test_send_reminders_honours_each_users_choice(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    on, email_off, all_off = UserFactory.create_batch(3)
    kind = NotificationKind.REVIEW_NEW
    NotificationPreference.objects.create(
        user=email_off, kind=kind, in_app=True, email=False
    )
    NotificationPreference.objects.create(
        user=all_off, kind=kind, in_app=False, email=False
    )
    assert send_reminders(_reminders([on, email_off, all_off])) == 2
    assert [m.to for m in mailoutbox] == [[on.email]]
    assert set(Notification.objects.values_list("user_id", flat=True)) == {
        on.pk,
        email_off.pk,
    }


def test_compose_runs_in_the_recipients_language() -> None:
    from django.utils import translation

    seen: list[str] = []
    user = UserFactory(preferred_language="en")
    send_reminders(
        [
            Reminder(
                user=user,
                kind=KIND,
                dedupe_key="k",
                compose=lambda: (
                    seen.append(translation.get_language()) or Message(title="t")
                ),
            )
        ]
    )
    assert seen == ["en"]


def test_concurrent_insert_of_the_same_key_sends_nothing(
    mailoutbox,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The unique constraint decides a race: the loser's insert fails quietly."""
    user = UserFactory()
    Notification.objects.create(user=user, kind=KIND, title="first", dedupe_key="race")
    # channels given: notify goes straight to the insert, as a racing worker would
    assert _notify(user, key="race", channels=(True, True)) is None
    assert mailoutbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_on_one_key_send_once(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    """Two real connections insert the same (user, key) at once: one wins, one email.

    Runs on PostgreSQL (the CI's second pass); SQLite serialises writers anyway."""
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    user = UserFactory()
    barrier = threading.Barrier(2)
    results: list[object] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(_notify(user, key="race:real", channels=(True, True)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(r is None for r in results) == [False, True]
    assert Notification.objects.filter(user=user, dedupe_key="race:real").count() == 1
    assert len(mailoutbox) == 1
