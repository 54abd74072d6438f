"""Coaching reminders: homework due soon and overdue, returned and approved work,
follow-ups tomorrow. Each is sent once, to the right people, in their language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Notification, NotificationKind, NotificationPreference
from cohorts.coaching import reminders
from cohorts.coaching.models import (
    FollowUpStatus,
    Review,
    ReviewDecision,
    SubmissionStatus,
    SubmissionVersion,
)
from cohorts.models import EnrolmentStatus
from tests.factories.accounts import UserFactory
from tests.factories.coaching import (
    AssignmentFactory,
    FollowUpFactory,
    SubmissionFactory,
)
from tests.factories.cohorts import CoachFactory, CohortFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10:00 Shanghai, 22:00 (9th) New York
H = dt.timedelta(hours=1)


def _keys(user, kind: str | None = None) -> set[str]:  # type: ignore[no-untyped-def]
    rows = Notification.objects.filter(user=user)
    if kind:
        rows = rows.filter(kind=kind)
    return set(rows.values_list("dedupe_key", flat=True))


@pytest.fixture
def cohort():  # type: ignore[no-untyped-def]
    return CohortFactory(starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 4, 30))


def _trainee(cohort, status: str = EnrolmentStatus.ACTIVE, **kwargs):  # type: ignore[no-untyped-def]
    user = UserFactory(**kwargs)
    EnrolmentFactory(cohort=cohort, user=user, status=status)
    return user


# --- due within 48 hours -------------------------------------------------------------------


def test_due_soon_reaches_only_active_trainees_without_a_submission(
    cohort, mailoutbox
) -> None:  # type: ignore[no-untyped-def]
    waiting = _trainee(cohort)
    done = _trainee(cohort)
    withdrawn = _trainee(cohort, EnrolmentStatus.WITHDRAWN)
    waitlisted = _trainee(cohort, EnrolmentStatus.WAITLISTED)
    assignment = AssignmentFactory(cohort=cohort, due_at=NOW + 30 * H)
    SubmissionFactory(assignment=assignment, trainee=done)
    assert reminders.homework_due_soon(NOW) == 1
    assert _keys(waiting) == {f"homework_due_soon:assignment:{assignment.pk}"}
    assert not _keys(done) and not _keys(withdrawn) and not _keys(waitlisted)
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [waiting.email]


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (dt.timedelta(hours=48), 1),  # exactly 48 h: included
        (dt.timedelta(hours=48, seconds=1), 0),
        (dt.timedelta(seconds=1), 1),
        (dt.timedelta(0), 0),  # due now: not "soon" any more
        (-dt.timedelta(hours=1), 0),
    ],
)
def test_due_soon_window_edges(cohort, due: dt.timedelta, expected: int) -> None:  # type: ignore[no-untyped-def]
    _trainee(cohort)
    AssignmentFactory(cohort=cohort, due_at=NOW + due)
    assert reminders.homework_due_soon(NOW) == expected


def test_due_soon_is_sent_once(cohort, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    _trainee(cohort)
    AssignmentFactory(cohort=cohort, due_at=NOW + 30 * H)
    assert reminders.homework_due_soon(NOW) == 1
    assert reminders.homework_due_soon(NOW + 3 * H) == 0
    assert len(mailoutbox) == 1


def test_due_soon_message_in_english_names_the_time_in_the_users_zone(cohort) -> None:  # type: ignore[no-untyped-def]
    user = _trainee(cohort, preferred_language="en", time_zone="America/New_York")
    assignment = AssignmentFactory(
        cohort=cohort, due_at=NOW + 30 * H, title="Decompose the GMV target"
    )
    reminders.homework_due_soon(NOW)
    notification = Notification.objects.get(user=user)
    assert notification.title == "Homework due soon: Decompose the GMV target"
    assert "America/New_York" in notification.body
    assert cohort.name in notification.body
    assert notification.url.startswith("/") and (
        str(assignment.pk) in notification.url or cohort.slug in notification.url
    )


def test_due_soon_queries_do_not_grow(cohort) -> None:  # type: ignore[no-untyped-def]
    _trainee(cohort)
    AssignmentFactory(cohort=cohort, due_at=NOW + 30 * H)
    reminders.homework_due_soon(NOW)
    with CaptureQueriesContext(connection) as small:
        reminders.homework_due_soon(NOW)
    for _ in range(12):
        trainee = _trainee(cohort)
    for hours in (10, 20, 40):
        a = AssignmentFactory(cohort=cohort, due_at=NOW + hours * H)
        SubmissionFactory(assignment=a, trainee=trainee)
    reminders.homework_due_soon(NOW)
    with CaptureQueriesContext(connection) as big:
        assert reminders.homework_due_soon(NOW) == 0
    assert len(big) == len(small) == 4


# --- overdue -------------------------------------------------------------------------------


def test_overdue_once_per_assignment_and_trainee(cohort, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    late = _trainee(cohort)
    on_time = _trainee(cohort)
    assignment = AssignmentFactory(cohort=cohort, due_at=NOW - 2 * H)
    SubmissionFactory(assignment=assignment, trainee=on_time)
    AssignmentFactory(cohort=cohort, due_at=NOW + 2 * H)  # not due yet
    AssignmentFactory(cohort=cohort, due_at=NOW - dt.timedelta(days=8))  # long ago
    assert reminders.homework_overdue(NOW) == 1
    assert _keys(late) == {f"homework_overdue:assignment:{assignment.pk}"}
    assert not _keys(on_time)
    assert reminders.homework_overdue(NOW + H) == 0
    assert len(mailoutbox) == 1


def test_no_overdue_reminder_once_the_cohort_has_ended() -> None:
    # ended on 9 March in Shanghai; it is 10 March there
    ended = CohortFactory(starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 3, 9))
    trainee = _trainee(ended)
    AssignmentFactory(cohort=ended, due_at=NOW - 20 * H)
    assert reminders.homework_overdue(NOW) == 0
    # the last day, by the cohort's own calendar, still counts
    last_day = CohortFactory(
        starts_on=dt.date(2026, 2, 1), ends_on=dt.date(2026, 3, 10)
    )
    _trainee(last_day)
    AssignmentFactory(cohort=last_day, due_at=NOW - 20 * H)
    assert reminders.homework_overdue(NOW) == 1
    assert not _keys(trainee)


def test_withdrawn_trainee_gets_no_overdue_reminder(cohort) -> None:  # type: ignore[no-untyped-def]
    _trainee(cohort, EnrolmentStatus.WITHDRAWN)
    AssignmentFactory(cohort=cohort, due_at=NOW - 2 * H)
    assert reminders.homework_overdue(NOW) == 0


# --- returned and approved -----------------------------------------------------------------


def _review(submission, decision: str, *, at: dt.datetime, **kwargs) -> Review:  # type: ignore[no-untyped-def]
    version = submission.versions.order_by("-number").first()
    return Review.objects.create(
        submission=submission,
        version=version,
        reviewer=kwargs.pop("reviewer", None) or CoachFactory(display_name="王教练"),
        decision=decision,
        comment=kwargs.pop("comment", "拆解逻辑清楚，但季度权重缺少依据。"),
        score_percent=kwargs.pop("score", Decimal("62.5")),
        started_at=at - H,
        created_at=at,
    )


def test_returned_homework_tells_the_trainee_once(cohort, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    trainee = _trainee(cohort)
    submission = SubmissionFactory(
        assignment=AssignmentFactory(cohort=cohort),
        trainee=trainee,
        status=SubmissionStatus.RETURNED,
    )
    review = _review(submission, ReviewDecision.RETURN, at=NOW - H)
    assert reminders.homework_returned(NOW) == 1
    assert reminders.homework_returned(NOW) == 0
    notification = Notification.objects.get(user=trainee)
    assert notification.dedupe_key == f"homework_returned:review:{review.pk}"
    assert notification.kind == NotificationKind.HOMEWORK_RETURNED
    assert "王教练" in notification.body and "季度权重缺少依据" in notification.body
    assert len(mailoutbox) == 1


def test_a_return_already_answered_by_a_new_version_is_not_announced(cohort) -> None:  # type: ignore[no-untyped-def]
    trainee = _trainee(cohort)
    submission = SubmissionFactory(
        assignment=AssignmentFactory(cohort=cohort),
        trainee=trainee,
        status=SubmissionStatus.SUBMITTED,
        version_count=2,
    )
    _review(submission, ReviewDecision.RETURN, at=NOW - 5 * H)
    SubmissionVersion.objects.create(submission=submission, number=2, text="v2")
    assert reminders.homework_returned(NOW) == 0


def test_old_reviews_are_not_scanned(cohort) -> None:  # type: ignore[no-untyped-def]
    submission = SubmissionFactory(
        assignment=AssignmentFactory(cohort=cohort), status=SubmissionStatus.RETURNED
    )
    _review(submission, ReviewDecision.RETURN, at=NOW - dt.timedelta(days=8))
    assert reminders.homework_returned(NOW) == 0


def test_approved_review_is_a_new_review_notification(cohort, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    trainee = _trainee(cohort, preferred_language="en")
    submission = SubmissionFactory(
        assignment=AssignmentFactory(cohort=cohort, title="Ad KPI tree"),
        trainee=trainee,
        status=SubmissionStatus.APPROVED,
    )
    review = _review(
        submission, ReviewDecision.APPROVE, at=NOW - H, score=Decimal("87.50")
    )
    assert reminders.reviews_new(NOW) == 1
    assert reminders.homework_returned(NOW) == 0
    notification = Notification.objects.get(user=trainee)
    assert notification.dedupe_key == f"review_new:review:{review.pk}"
    assert notification.title == "Homework approved: Ad KPI tree"
    assert "88%" in notification.body
    assert reminders.reviews_new(NOW) == 0 and len(mailoutbox) == 1


def test_review_kind_turned_off_sends_nothing(cohort, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    trainee = _trainee(cohort)
    NotificationPreference.objects.create(
        user=trainee, kind=NotificationKind.REVIEW_NEW, in_app=False, email=False
    )
    submission = SubmissionFactory(
        assignment=AssignmentFactory(cohort=cohort),
        trainee=trainee,
        status=SubmissionStatus.APPROVED,
    )
    _review(submission, ReviewDecision.APPROVE, at=NOW - H)
    assert reminders.reviews_new(NOW) == 0
    assert not Notification.objects.exists() and mailoutbox == []


def test_review_producers_queries_do_not_grow(cohort) -> None:  # type: ignore[no-untyped-def]
    def one() -> None:
        submission = SubmissionFactory(
            assignment=AssignmentFactory(cohort=cohort),
            status=SubmissionStatus.RETURNED,
        )
        _review(submission, ReviewDecision.RETURN, at=NOW - H)

    one()
    reminders.homework_returned(NOW)
    with CaptureQueriesContext(connection) as small:
        reminders.homework_returned(NOW)
    for _ in range(8):
        one()
    reminders.homework_returned(NOW)
    with CaptureQueriesContext(connection) as big:
        assert reminders.homework_returned(NOW) == 0
    assert len(big) == len(small) == 2


# --- follow-ups tomorrow -------------------------------------------------------------------


def test_follow_up_tomorrow_for_trainee_and_coach_by_their_own_calendars(
    cohort,  # type: ignore[no-untyped-def]
    mailoutbox,  # type: ignore[no-untyped-def]
) -> None:
    coach = CoachFactory(time_zone="America/New_York", preferred_language="en")
    trainee = UserFactory(time_zone="Asia/Shanghai", display_name="李娜")
    # 11 March 01:00 UTC: tomorrow (09:00) in Shanghai, tomorrow (21:00, 10th) in NY
    both = FollowUpFactory(
        cohort=cohort, coach=coach, trainee=trainee, scheduled_at=NOW + 23 * H
    )
    # 10 March 15:00 UTC: tonight 23:00 in Shanghai (today), 11:00 tomorrow in NY
    coach_only = FollowUpFactory(
        cohort=cohort, coach=coach, trainee=trainee, scheduled_at=NOW + 13 * H
    )
    FollowUpFactory(
        cohort=cohort,
        coach=coach,
        trainee=trainee,
        scheduled_at=NOW + 23 * H,
        status=FollowUpStatus.CANCELLED,
    )
    assert reminders.follow_ups_tomorrow(NOW) == 3
    assert _keys(trainee) == {f"follow_up_tomorrow:follow_up:{both.pk}:2026-03-11"}
    assert _keys(coach) == {
        f"follow_up_tomorrow:follow_up:{both.pk}:2026-03-10",
        f"follow_up_tomorrow:follow_up:{coach_only.pk}:2026-03-10",
    }
    coach_note = Notification.objects.filter(user=coach).first()
    assert coach_note.title == "Follow-up tomorrow with 李娜"
    assert reminders.follow_ups_tomorrow(NOW) == 0
    assert len(mailoutbox) == 3


def test_follow_up_queries_do_not_grow(cohort) -> None:  # type: ignore[no-untyped-def]
    FollowUpFactory(cohort=cohort, scheduled_at=NOW + 23 * H)
    reminders.follow_ups_tomorrow(NOW)
    with CaptureQueriesContext(connection) as small:
        reminders.follow_ups_tomorrow(NOW)
    for _ in range(6):
        FollowUpFactory(cohort=cohort, scheduled_at=NOW + 23 * H)
    reminders.follow_ups_tomorrow(NOW)
    with CaptureQueriesContext(connection) as big:
        assert reminders.follow_ups_tomorrow(NOW) == 0
    assert len(big) == len(small) == 2


def test_coaching_producers_are_registered() -> None:
    from accounts.reminders import PRODUCERS

    for producer in (
        reminders.homework_due_soon,
        reminders.homework_overdue,
        reminders.homework_returned,
        reminders.reviews_new,
        reminders.follow_ups_tomorrow,
    ):
        assert PRODUCERS.count(producer) == 1
