"""The progress figures every report and completion rule reads."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cohorts.coaching.models import SubmissionStatus
from cohorts.models import AttendanceStatus, EnrolmentStatus
from cohorts.reporting.progress import cohort_progress, percent
from courses.models import LessonProgress
from tests.factories.accounts import UserFactory
from tests.factories.coaching import AssignmentFactory, SubmissionFactory
from tests.factories.cohorts import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
)
from tests.factories.courses import LessonPageFactory

pytestmark = pytest.mark.django_db


def test_percent_rounds_half_up_and_has_no_figure_without_a_denominator() -> None:
    assert percent(2, 3) == Decimal("66.7")
    assert percent(1, 8) == Decimal("12.5")
    assert percent(1, 16) == Decimal("6.3")
    assert percent(0, 0) is None


def _cohort_with_people():  # type: ignore[no-untyped-def]
    cohort = CohortFactory()
    lessons = [LessonPageFactory(parent=cohort.course) for _ in range(4)]
    ana, bo = UserFactory(), UserFactory()
    for person in (ana, bo):
        EnrolmentFactory(cohort=cohort, user=person)
    EnrolmentFactory(cohort=cohort, status=EnrolmentStatus.WITHDRAWN)
    past = timezone.now() - dt.timedelta(days=1)
    held = [
        SessionFactory(cohort=cohort, starts_at=past - dt.timedelta(days=i))
        for i in range(4)
    ]
    SessionFactory(cohort=cohort)  # not held yet
    SessionFactory(cohort=cohort, starts_at=past, trainee=ana)  # a 1:1, not counted
    AttendanceFactory(session=held[0], user=ana)
    AttendanceFactory(session=held[1], user=ana, status=AttendanceStatus.LATE)
    AttendanceFactory(session=held[2], user=ana, status=AttendanceStatus.EXCUSED)
    AttendanceFactory(session=held[3], user=ana, status=AttendanceStatus.ABSENT)
    for lesson in lessons[:3]:
        LessonProgress.objects.create(
            user=ana,
            course_key=cohort.course.translation_key,
            lesson_key=lesson.translation_key,
            completed_at=timezone.now(),
        )
    LessonProgress.objects.create(
        user=bo,
        course_key=cohort.course.translation_key,
        lesson_key=lessons[0].translation_key,
    )  # started, not completed
    first, second = AssignmentFactory(cohort=cohort), AssignmentFactory(cohort=cohort)
    optional = AssignmentFactory(cohort=cohort, is_required=False)
    SubmissionFactory(
        assignment=first,
        trainee=ana,
        status=SubmissionStatus.APPROVED,
        score_percent=Decimal("87.50"),
    )
    SubmissionFactory(
        assignment=optional,
        trainee=ana,
        status=SubmissionStatus.APPROVED,
        score_percent=Decimal("70.00"),
    )
    SubmissionFactory(
        assignment=second,
        trainee=ana,
        status=SubmissionStatus.RETURNED,
        score_percent=Decimal("40.00"),
    )
    today = timezone.localdate()
    ana.action_items.create(
        description="复盘 ACOS", due_date=today - dt.timedelta(days=2)
    )
    ana.action_items.create(
        description="拆解目标", due_date=today + dt.timedelta(days=2)
    )
    ana.action_items.create(
        description="已完成", status="done", due_date=today - dt.timedelta(days=9)
    )
    return cohort, ana, bo


def test_figures_for_each_active_trainee(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    cohort, ana, bo = _cohort_with_people()
    with django_assert_num_queries(8):
        progress = cohort_progress(cohort)
    assert set(progress) == {ana.pk, bo.pk}
    mine = progress[ana.pk]
    assert (mine.sessions_held, mine.sessions_excused, mine.sessions_attended) == (
        4,
        1,
        2,
    )
    assert mine.attendance_percent == Decimal("66.7")
    assert (mine.lessons_completed, mine.lessons_total) == (3, 4)
    assert mine.lessons_percent == Decimal("75.0")
    assert (mine.assignments_required, mine.assignments_required_approved) == (2, 1)
    assert (mine.assignments_submitted, mine.assignments_approved) == (3, 2)
    assert mine.average_score_percent == Decimal("78.8")
    assert (mine.action_items_open, mine.action_items_overdue) == (2, 1)
    theirs = progress[bo.pk]
    assert theirs.attendance_percent == Decimal("0.0")
    assert theirs.lessons_completed == 0 and theirs.lessons_percent == Decimal("0.0")
    assert theirs.average_score_percent is None
    assert theirs.action_items_open == 0


def test_named_people_include_withdrawn_ones_and_an_empty_cohort_has_no_rows() -> None:
    cohort, ana, _ = _cohort_with_people()
    gone = cohort.enrolments.get(status=EnrolmentStatus.WITHDRAWN).user
    progress = cohort_progress(cohort, user_ids=[ana.pk, gone.pk])
    assert progress[gone.pk].enrolment_status == EnrolmentStatus.WITHDRAWN
    assert cohort_progress(CohortFactory()) == {}
    fresh = CohortFactory()
    EnrolmentFactory(cohort=fresh)
    (only,) = cohort_progress(fresh).values()
    assert only.attendance_percent is None and only.lessons_percent is None
