"""Survey requests after sessions and evaluation requests at the end: once each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notification, NotificationKind
from accounts.reminders import PRODUCERS
from cohorts.feedback.reminders import evaluation_requests, survey_requests
from cohorts.models import AttendanceStatus
from tests.factories.cohorts import AttendanceFactory, EnrolmentFactory, SessionFactory
from tests.factories.feedback import SessionFeedbackFactory

pytestmark = pytest.mark.django_db


def test_producers_are_registered() -> None:
    assert survey_requests in PRODUCERS
    assert evaluation_requests in PRODUCERS


def test_survey_request_once_per_trainee_and_session(setup) -> None:  # type: ignore[no-untyped-def]
    now = setup.first.ends_at + dt.timedelta(hours=1)
    assert survey_requests(now) == 2
    assert survey_requests(now) == 0  # the second run sends nothing
    assert survey_requests(now + dt.timedelta(hours=5)) == 0
    rows = Notification.objects.filter(kind=NotificationKind.SURVEY_REQUEST)
    assert rows.count() == 2
    assert {n.dedupe_key for n in rows} == {f"survey_request:session:{setup.first.pk}"}
    first = rows.get(user=setup.trainee)
    assert (
        first.url == f"/feedback/{setup.cohort.slug}/sessions/{setup.first.pk}/survey/"
    )
    assert setup.first.title in first.title
    assert len(mail.outbox) == 2


def test_survey_request_window_and_exclusions(setup) -> None:  # type: ignore[no-untyped-def]
    ended = setup.first.ends_at
    assert survey_requests(ended - dt.timedelta(minutes=1)) == 0  # not over yet
    assert survey_requests(ended + dt.timedelta(hours=25)) == 0  # too late
    AttendanceFactory(
        session=setup.first, user=setup.other_trainee, status=AttendanceStatus.ABSENT
    )
    SessionFeedbackFactory(session=setup.first, user=setup.trainee)
    late = EnrolmentFactory(cohort=setup.cohort).user
    assert survey_requests(ended + dt.timedelta(hours=2)) == 1
    assert Notification.objects.get().user == late


def test_one_to_one_request_goes_to_its_trainee_only(setup) -> None:  # type: ignore[no-untyped-def]
    start = timezone.now() + dt.timedelta(days=5)
    session = SessionFactory(
        cohort=setup.cohort,
        trainee=setup.other_trainee,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
    )
    assert survey_requests(session.ends_at + dt.timedelta(minutes=5)) == 1
    assert Notification.objects.get().user == setup.other_trainee


def test_request_is_in_the_trainees_language(setup) -> None:  # type: ignore[no-untyped-def]
    setup.trainee.preferred_language = "zh-hans"
    setup.trainee.save()
    survey_requests(setup.first.ends_at + dt.timedelta(minutes=5))
    title = Notification.objects.get(user=setup.trainee).title
    assert "反馈" in title or "怎么样" in title


def test_evaluation_request_once_after_the_last_session(setup) -> None:  # type: ignore[no-untyped-def]
    last = setup.first.ends_at
    assert evaluation_requests(last - dt.timedelta(minutes=1)) == 0
    assert evaluation_requests(last + dt.timedelta(hours=1)) == 2
    assert evaluation_requests(last + dt.timedelta(hours=2)) == 0
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert keys == {f"course_evaluation:cohort:{setup.cohort.pk}"}
    assert evaluation_requests(last + dt.timedelta(days=4)) == 0
