"""Each trainee's progress in one cohort, in a constant number of queries.

Completion rules (certificates), the organisation dashboard, its exports and the
champion's team page all read these figures, so the rules live in one place:

- **Attendance %** = sessions attended (present or late) ÷ sessions held × 100, where a
  session is held once it has started (1:1 sessions are not counted), and a session the trainee was excused from
  leaves the denominator. No held session yet → no figure (None), not 0 %.
- **Lessons %** = lessons of the cohort's course the trainee completed ÷ live lessons of
  the course × 100. Lessons are counted by translation key, so finishing a lesson in
  English or in Chinese counts once.
- **Required assignments approved**: the cohort's assignments marked required whose
  submission by the trainee is approved.
- **Average score %**: the mean of the latest review scores of the trainee's approved
  submissions in the cohort (required or not). No approved submission → None.
- **Action items**: all of the trainee's open or in-progress items (any source);
  overdue when their due date is before today in the cohort's time zone.

Percentages are Decimals rounded half-up to one decimal place.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q
from django.utils import timezone

from accounts.models import User
from cohorts.coaching.models import Submission, SubmissionStatus
from cohorts.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from courses.models import LessonPage, LessonProgress

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
OPEN_ACTION_STATUSES = ("open", "in_progress")
ONE_DECIMAL = Decimal("0.1")


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """part ÷ whole × 100, rounded half-up to one decimal; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        ONE_DECIMAL, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True, slots=True)
class PersonProgress:
    user_id: int
    enrolment_status: str
    sessions_held: int
    sessions_excused: int
    sessions_attended: int
    attendance_percent: Decimal | None
    lessons_total: int
    lessons_completed: int
    lessons_percent: Decimal | None
    assignments_required: int
    assignments_required_approved: int
    assignments_submitted: int
    assignments_approved: int
    average_score_percent: Decimal | None
    action_items_open: int
    action_items_overdue: int


def _lesson_keys(cohort: Cohort) -> list[object]:
    return list(
        LessonPage.objects.live()
        .descendant_of(cohort.course)
        .values_list("translation_key", flat=True)
        .distinct()
    )


def _today_in(cohort: Cohort) -> object:
    try:
        zone = zoneinfo.ZoneInfo(cohort.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = timezone.get_current_timezone()
    return timezone.now().astimezone(zone).date()


def cohort_progress(
    cohort: Cohort, user_ids: Iterable[int] | None = None
) -> dict[int, PersonProgress]:
    """Progress of the cohort's active trainees (or of `user_ids`, any enrolment status).

    Eight queries whatever the number of people.
    """
    enrolments = Enrolment.objects.filter(cohort=cohort)
    if user_ids is None:
        enrolments = enrolments.filter(status=EnrolmentStatus.ACTIVE)
    else:
        enrolments = enrolments.filter(user_id__in=list(user_ids))
    status_by_user = dict(enrolments.values_list("user_id", "status"))
    ids = list(status_by_user)
    if not ids:
        return {}
    now = timezone.now()

    sessions_held = Session.objects.filter(
        cohort=cohort, starts_at__lte=now, trainee__isnull=True
    ).count()
    attendance = {
        row["user_id"]: row
        for row in Attendance.objects.filter(
            session__cohort=cohort,
            session__starts_at__lte=now,
            session__trainee__isnull=True,
            user_id__in=ids,
        )
        .values("user_id")
        .annotate(
            attended=Count("id", filter=Q(status__in=ATTENDED)),
            excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
        )
    }

    lesson_keys = _lesson_keys(cohort)
    lessons_done = dict(
        LessonProgress.objects.filter(
            user_id__in=ids,
            lesson_key__in=lesson_keys,
            completed_at__isnull=False,
        )
        .values("user_id")
        .annotate(done=Count("lesson_key", distinct=True))
        .values_list("user_id", "done")
    )

    required = cohort.assignments.filter(is_required=True).count()
    approved = Q(status=SubmissionStatus.APPROVED)
    homework = {
        row["trainee_id"]: row
        for row in Submission.objects.filter(
            assignment__cohort=cohort, trainee_id__in=ids
        )
        .values("trainee_id")
        .annotate(
            submitted=Count("id"),
            approved=Count("id", filter=approved),
            required_approved=Count(
                "id", filter=approved & Q(assignment__is_required=True)
            ),
            average=Avg("score_percent", filter=approved),
        )
    }

    today = _today_in(cohort)
    open_items = Q(action_items__status__in=OPEN_ACTION_STATUSES)
    actions = {
        row["id"]: row
        for row in User.objects.filter(pk__in=ids)
        .values("id")
        .annotate(
            open=Count("action_items", filter=open_items),
            overdue=Count(
                "action_items", filter=open_items & Q(action_items__due_date__lt=today)
            ),
        )
    }

    result: dict[int, PersonProgress] = {}
    for user_id in ids:
        seen = attendance.get(user_id, {})
        excused = int(seen.get("excused", 0))
        attended = int(seen.get("attended", 0))
        work = homework.get(user_id, {})
        average = work.get("average")
        done = lessons_done.get(user_id, 0)
        items = actions.get(user_id, {})
        result[user_id] = PersonProgress(
            user_id=user_id,
            enrolment_status=status_by_user[user_id],
            sessions_held=sessions_held,
            sessions_excused=excused,
            sessions_attended=attended,
            attendance_percent=percent(attended, max(sessions_held - excused, 0)),
            lessons_total=len(lesson_keys),
            lessons_completed=done,
            lessons_percent=percent(done, len(lesson_keys)),
            assignments_required=required,
            assignments_required_approved=int(work.get("required_approved", 0)),
            assignments_submitted=int(work.get("submitted", 0)),
            assignments_approved=int(work.get("approved", 0)),
            average_score_percent=(
                None
                if average is None
                else Decimal(average).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
            ),
            action_items_open=int(items.get("open", 0)),
            action_items_overdue=int(items.get("overdue", 0)),
        )
    return result
