"""Reminder producers outside coaching: sessions tomorrow (cohorts) and overdue action
items (workbook). "Tomorrow" is the recipient's calendar, from 08:00 their time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, NotificationKind
from cohorts.models import EnrolmentStatus, SessionKind
from cohorts.reminders import sessions_tomorrow
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import (
    CoachFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
)
from tests.factories.workbook import WorkbookFactory
from workbook.models import ActionItem, ActionItemStatus
from workbook.reminders import action_items_overdue

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# 02:00 UTC on 10 March 2026 = 10:00 in Shanghai (10 Mar) = 22:00 in New York (9 Mar, EDT)
NOW = dt.datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def _at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def _keys(user) -> set[str]:  # type: ignore[no-untyped-def]
    return set(
        Notification.objects.filter(user=user).values_list("dedupe_key", flat=True)
    )


@pytest.fixture
def cohort():  # type: ignore[no-untyped-def]
    return CohortFactory(
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 4, 30),
        coaches=[CoachFactory(time_zone="America/New_York", preferred_language="en")],
    )


def _trainee(cohort, **kwargs):  # type: ignore[no-untyped-def]
    user = UserFactory(time_zone=kwargs.pop("time_zone", "Asia/Shanghai"), **kwargs)
    EnrolmentFactory(cohort=cohort, user=user, status=kwargs.get("status", "active"))
    return user


def test_session_tomorrow_in_shanghai_and_in_new_york(cohort, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    shanghai = _trainee(cohort)
    coach = cohort.coaches.get()
    both = SessionFactory(cohort=cohort, starts_at=_at(2026, 3, 11, 1))  # SH 11th 09:00
    ny_only = SessionFactory(
        cohort=cohort, starts_at=_at(2026, 3, 10, 15)
    )  # SH 23:00 today
    SessionFactory(cohort=cohort, starts_at=_at(2026, 3, 11, 17))  # SH 12th 01:00
    assert sessions_tomorrow(NOW) == 3
    assert _keys(shanghai) == {f"session_tomorrow:session:{both.pk}:2026-03-11"}
    assert _keys(coach) == {
        f"session_tomorrow:session:{both.pk}:2026-03-10",
        f"session_tomorrow:session:{ny_only.pk}:2026-03-10",
    }
    assert len(mailoutbox) == 3
    english = next(m for m in mailoutbox if m.to == [coach.email])
    assert english.subject.startswith("Tomorrow: ")
    assert "America/New_York" in english.body
    chinese = next(m for m in mailoutbox if m.to == [shanghai.email])
    assert "Asia/Shanghai" in chinese.body


def test_no_session_reminder_before_eight_in_the_morning(cohort) -> None:  # type: ignore[no-untyped-def]
    trainee = _trainee(cohort)
    SessionFactory(cohort=cohort, starts_at=_at(2026, 3, 11, 1))
    sessions_tomorrow(_at(2026, 3, 9, 23, 59))  # 07:59 in Shanghai
    assert not _keys(trainee)
    assert _keys(cohort.coaches.get())  # 19:59 in New York: their evening before
    assert sessions_tomorrow(_at(2026, 3, 10, 0, 0)) == 1  # 08:00 in Shanghai
    assert len(_keys(trainee)) == 1


def test_session_reminders_are_sent_once(cohort, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    _trainee(cohort)
    SessionFactory(cohort=cohort, starts_at=_at(2026, 3, 11, 1))
    first = sessions_tomorrow(NOW)
    assert first == 2
    assert sessions_tomorrow(NOW) == 0
    assert sessions_tomorrow(NOW + dt.timedelta(minutes=15)) == 0
    assert Notification.objects.count() == 2 and len(mailoutbox) == 2


def test_a_moved_session_is_announced_again(cohort) -> None:  # type: ignore[no-untyped-def]
    trainee = _trainee(cohort)
    session = SessionFactory(cohort=cohort, starts_at=_at(2026, 3, 11, 1))
    sessions_tomorrow(NOW)
    session.starts_at = _at(2026, 3, 12, 1)
    session.ends_at = session.starts_at + dt.timedelta(hours=2)
    session.save()
    assert sessions_tomorrow(NOW + dt.timedelta(days=1)) == 2
    assert len(_keys(trainee)) == 2


def test_withdrawn_and_waitlisted_trainees_get_no_session_reminder(cohort) -> None:  # type: ignore[no-untyped-def]
    withdrawn = UserFactory()
    waiting = UserFactory()
    EnrolmentFactory(cohort=cohort, user=withdrawn, status=EnrolmentStatus.WITHDRAWN)
    EnrolmentFactory(cohort=cohort, user=waiting, status=EnrolmentStatus.WAITLISTED)
    outsider = UserFactory()  # enrolled elsewhere
    EnrolmentFactory(user=outsider)
    SessionFactory(cohort=cohort, starts_at=_at(2026, 3, 11, 1))
    sessions_tomorrow(NOW)
    assert not _keys(withdrawn) and not _keys(waiting) and not _keys(outsider)


def test_a_one_to_one_session_goes_to_its_trainee_and_the_coaches_only(cohort) -> None:  # type: ignore[no-untyped-def]
    mine = _trainee(cohort)
    other = _trainee(cohort)
    SessionFactory(
        cohort=cohort,
        kind=SessionKind.ONE_TO_ONE,
        trainee=mine,
        starts_at=_at(2026, 3, 11, 1),
    )
    assert sessions_tomorrow(NOW) == 2
    assert _keys(mine) and not _keys(other)


def test_session_reminder_links_to_the_session_in_the_users_language(cohort) -> None:  # type: ignore[no-untyped-def]
    trainee = _trainee(cohort)
    session = SessionFactory(
        cohort=cohort, starts_at=_at(2026, 3, 11, 1), title="广告复盘直播"
    )
    sessions_tomorrow(NOW)
    notification = Notification.objects.get(user=trainee)
    assert notification.kind == NotificationKind.SESSION_TOMORROW
    assert notification.title == "明天：广告复盘直播"
    assert notification.url == f"/cohorts/{cohort.slug}/sessions/{session.pk}/"
    assert "2026年3月11日 09:00" in notification.body


def test_session_producer_queries_do_not_grow(cohort) -> None:  # type: ignore[no-untyped-def]
    _trainee(cohort)
    SessionFactory(cohort=cohort, starts_at=_at(2026, 3, 11, 1))
    sessions_tomorrow(NOW)
    with CaptureQueriesContext(connection) as small:
        sessions_tomorrow(NOW)
    for _ in range(15):
        _trainee(cohort)
    for hour in (2, 3, 4):
        SessionFactory(cohort=cohort, starts_at=_at(2026, 3, 11, hour))
    sessions_tomorrow(NOW)
    with CaptureQueriesContext(connection) as big:
        assert sessions_tomorrow(NOW) == 0
    assert len(big) == len(small) == 4


# --- action items ------------------------------------------------------------------------


def _item(owner, due: dt.date | None, **kwargs) -> ActionItem:  # type: ignore[no-untyped-def]
    return ActionItem.objects.create(
        owner=owner,
        workbook=WorkbookFactory(owner=owner),
        description=kwargs.pop("description", "把 ACoS 降到 25% 以下"),
        due_date=due,
        **kwargs,
    )


def test_overdue_action_items_by_the_owners_calendar(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    shanghai = UserFactory(time_zone="Asia/Shanghai")  # 10 March there
    new_york = UserFactory(time_zone="America/New_York")  # 9 March there
    sh_overdue = _item(shanghai, dt.date(2026, 3, 9))
    _item(shanghai, dt.date(2026, 3, 10))  # due today: not yet overdue
    _item(new_york, dt.date(2026, 3, 9))  # today in New York
    ny_overdue = _item(new_york, dt.date(2026, 3, 8))
    _item(shanghai, dt.date(2026, 3, 1), status=ActionItemStatus.DONE)
    _item(shanghai, dt.date(2026, 3, 1), status=ActionItemStatus.DROPPED)
    in_progress = _item(
        shanghai, dt.date(2026, 3, 5), status=ActionItemStatus.IN_PROGRESS
    )
    _item(shanghai, None)
    _item(shanghai, dt.date(2026, 2, 1))  # older than the 7-day window
    assert action_items_overdue(NOW) == 3
    assert _keys(shanghai) == {
        f"action_item_overdue:item:{sh_overdue.pk}",
        f"action_item_overdue:item:{in_progress.pk}",
    }
    assert _keys(new_york) == {f"action_item_overdue:item:{ny_overdue.pk}"}
    assert action_items_overdue(NOW) == 0
    assert len(mailoutbox) == 3


def test_overdue_action_item_message(mailoutbox) -> None:  # type: ignore[no-untyped-def]
    owner = UserFactory(preferred_language="en")
    _item(owner, dt.date(2026, 3, 9), description="Cut ACoS below 25% " * 10)
    action_items_overdue(NOW)
    notification = Notification.objects.get(user=owner)
    assert notification.title.startswith("Action item overdue: Cut ACoS below 25%")
    assert notification.title.endswith("…") and len(notification.title) < 110
    assert "March 9, 2026" in notification.body or "Mar. 9, 2026" in notification.body
    assert notification.url.startswith("/")


def test_action_item_producer_queries_do_not_grow() -> None:
    owner = UserFactory()
    _item(owner, dt.date(2026, 3, 9))
    action_items_overdue(NOW)
    with CaptureQueriesContext(connection) as small:
        action_items_overdue(NOW)
    for _ in range(10):
        _item(UserFactory(), dt.date(2026, 3, 8))
    action_items_overdue(NOW)
    with CaptureQueriesContext(connection) as big:
        assert action_items_overdue(NOW) == 0
    assert len(big) == len(small) == 2
