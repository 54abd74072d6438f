"""Reminder producers (accounts.reminders): session surveys and course evaluations.

Each runs with `now` and sends one `SURVEY_REQUEST` notification per trainee and
event; the dedupe key names the session or cohort, so a second run, or two workers
at once, send nothing twice. A session's request goes out in the 24 hours after it
ends to its active trainees who were not marked absent or excused and have not
answered yet; the course evaluation's in the 72 hours after it opens.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import NotificationKind, User
from accounts.notifications import notify
from cohorts.feedback.models import CourseEvaluation, SessionFeedback
from cohorts.feedback.selectors import evaluation_opens_at, group_sessions
from cohorts.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Session,
)

SURVEY_WINDOW = dt.timedelta(hours=24)
EVALUATION_WINDOW = dt.timedelta(hours=72)


def _active_trainees(cohort_ids: list[int]) -> dict[int, list[User]]:
    trainees: dict[int, list[User]] = defaultdict(list)
    for enrolment in Enrolment.objects.filter(
        cohort_id__in=cohort_ids, status=EnrolmentStatus.ACTIVE, user__is_active=True
    ).select_related("user"):
        trainees[enrolment.cohort_id].append(enrolment.user)
    return trainees


def survey_requests(now: dt.datetime) -> int:
    sessions = list(
        Session.objects.filter(ends_at__lte=now, ends_at__gt=now - SURVEY_WINDOW)
        .select_related("cohort")
        .order_by("ends_at")
    )
    if not sessions:
        return 0
    trainees = _active_trainees(list({s.cohort_id for s in sessions}))
    ids = [s.pk for s in sessions]
    away = set(
        Attendance.objects.filter(
            session_id__in=ids,
            status__in=[AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED],
        ).values_list("session_id", "user_id")
    )
    answered = set(
        SessionFeedback.objects.filter(session_id__in=ids).values_list(
            "session_id", "user_id"
        )
    )
    sent = 0
    for session in sessions:
        url = reverse("feedback:session_survey", args=[session.cohort.slug, session.pk])
        for user in trainees.get(session.cohort_id, []):
            if session.trainee_id is not None and session.trainee_id != user.pk:
                continue
            if (session.pk, user.pk) in away or (session.pk, user.pk) in answered:
                continue
            with translation.override(user.preferred_language):
                title = _("How was “%(title)s”? One minute of feedback") % {
                    "title": session.title
                }
                body = _(
                    "Rate the session and tell your coach what was most useful and "
                    "what was unclear."
                )
            if notify(
                user=user,
                kind=NotificationKind.SURVEY_REQUEST,
                title=title,
                body=body,
                url=url,
                dedupe_key=f"survey_request:session:{session.pk}",
            ):
                sent += 1
    return sent


def evaluation_requests(now: dt.datetime) -> int:
    last_ends = {
        row["cohort_id"]: row["last"]
        for row in group_sessions()
        .filter(cohort__in=_recent_cohorts(now))
        .values("cohort_id")
        .annotate(last=Max("ends_at"))
    }
    due = [
        cohort
        for cohort in Cohort.objects.filter(pk__in=_recent_cohorts(now))
        if (opens := evaluation_opens_at(cohort, last_ends.get(cohort.pk)))
        and opens <= now < opens + EVALUATION_WINDOW
    ]
    if not due:
        return 0
    trainees = _active_trainees([c.pk for c in due])
    answered = set(
        CourseEvaluation.objects.filter(cohort__in=due).values_list(
            "cohort_id", "user_id"
        )
    )
    sent = 0
    for cohort in due:
        url = reverse("feedback:evaluation", args=[cohort.slug])
        for user in trainees.get(cohort.pk, []):
            if (cohort.pk, user.pk) in answered:
                continue
            with translation.override(user.preferred_language):
                title = _("The course is over: how did “%(name)s” go?") % {
                    "name": cohort.name
                }
                body = _("Five quick questions, about a minute.")
            if notify(
                user=user,
                kind=NotificationKind.SURVEY_REQUEST,
                title=title,
                body=body,
                url=url,
                dedupe_key=f"course_evaluation:cohort:{cohort.pk}",
            ):
                sent += 1
    return sent


def _recent_cohorts(now: dt.datetime):  # type: ignore[no-untyped-def]
    """Cohorts that may have opened their evaluation in the window (a wide net)."""
    since = now - EVALUATION_WINDOW - dt.timedelta(days=1)
    recent_sessions = Session.objects.filter(
        trainee__isnull=True, ends_at__gt=since, ends_at__lte=now
    ).values("cohort_id")
    return Cohort.objects.filter(
        Q(pk__in=recent_sessions)
        | Q(ends_on__gte=since.date(), ends_on__lte=now.date() + dt.timedelta(days=1))
    ).values("pk")


def register() -> None:
    from accounts.reminders import register_reminder

    register_reminder(survey_requests)
    register_reminder(evaluation_requests)
