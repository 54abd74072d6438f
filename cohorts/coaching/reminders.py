"""Coaching reminders, run by the scheduled job (accounts.reminders).

- homework due within 48 hours: active trainees of the cohort with no submission for
  an assignment due in (now, now + 48 h]; once per assignment.
- overdue homework: no submission and the due time has passed (within the last
  RECENT_DAYS days, so late joiners are not flooded), only while the cohort is still
  running in its own zone; once per assignment.
- homework returned / approved: the latest review of a submission, written in the last
  RECENT_DAYS days, tells the trainee; once per review. A return that the trainee has
  already answered with a new version is not announced.
- a follow-up tomorrow: its trainee and its coach, each by their own calendar
  (`is_tomorrow_for`); the key carries the date so a moved follow-up is announced again.

Each producer finds its candidates in a fixed number of queries whatever the number of
rows, and `send_reminders` skips what was sent before in one more.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import F, Prefetch
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.translation import gettext as _

from accounts.models import NotificationKind, User
from accounts.notifications import Message, Reminder, send_reminders, url_or
from accounts.reminders import (
    RECENT_DAYS,
    TOMORROW_HORIZON,
    is_tomorrow_for,
    register_reminder,
    user_zone,
)
from cohorts.coaching.models import (
    Assignment,
    FollowUp,
    FollowUpStatus,
    Review,
    ReviewDecision,
    Submission,
    SubmissionStatus,
)
from cohorts.models import Enrolment, EnrolmentStatus

DUE_SOON = timedelta(hours=48)
EXCERPT = 280


def _when(moment: datetime, user: User) -> str:
    zone = user_zone(user)
    local = formats.date_format(moment.astimezone(zone), "DATETIME_FORMAT")
    return f"{local} ({zone.key})"


def _assignment_url(assignment: Assignment) -> str:
    """The assignment's page (the trainee sees feedback there), else its cohort's."""
    return url_or(
        "coaching:assignment",
        assignment.pk,
        fallback=url_or("cohorts:detail", assignment.cohort.slug),
    )


def _assignments_with_missing_work(
    *, due_after: datetime, due_until: datetime
) -> Iterable[tuple[Assignment, User]]:
    """(assignment, trainee) for each active trainee who has not submitted it yet."""
    assignments = (
        Assignment.objects.filter(due_at__gt=due_after, due_at__lte=due_until)
        .select_related("cohort")
        .prefetch_related(
            Prefetch(
                "cohort__enrolments",
                queryset=Enrolment.objects.filter(
                    status=EnrolmentStatus.ACTIVE
                ).select_related("user"),
                to_attr="active_enrolments",
            ),
            Prefetch(
                "submissions",
                queryset=Submission.objects.only("id", "assignment_id", "trainee_id"),
            ),
        )
    )
    for assignment in assignments:
        submitted = {s.trainee_id for s in assignment.submissions.all()}
        for enrolment in assignment.cohort.active_enrolments:
            if enrolment.user_id not in submitted:
                yield assignment, enrolment.user


def _due_soon_message(assignment: Assignment, user: User) -> Message:
    return Message(
        title=_("Homework due soon: %(title)s") % {"title": assignment.title},
        body=_("%(cohort)s · due %(when)s. You have not handed it in yet.")
        % {"cohort": assignment.cohort.name, "when": _when(assignment.due_at, user)},
        url=_assignment_url(assignment),
    )


def homework_due_soon(now: datetime) -> int:
    return send_reminders(
        Reminder(
            user=user,
            kind=NotificationKind.HOMEWORK_DUE_SOON,
            dedupe_key=f"homework_due_soon:assignment:{assignment.pk}",
            compose=lambda a=assignment, u=user: _due_soon_message(a, u),
        )
        for assignment, user in _assignments_with_missing_work(
            due_after=now, due_until=now + DUE_SOON
        )
    )


def _overdue_message(assignment: Assignment, user: User) -> Message:
    return Message(
        title=_("Homework overdue: %(title)s") % {"title": assignment.title},
        body=_(
            "%(cohort)s · it was due %(when)s. Hand it in as soon as you can; "
            "your coach will see it is late."
        )
        % {"cohort": assignment.cohort.name, "when": _when(assignment.due_at, user)},
        url=_assignment_url(assignment),
    )


def _cohort_running(assignment: Assignment, now: datetime) -> bool:
    cohort = assignment.cohort
    return (
        cohort.ends_on is None or now.astimezone(cohort.zone).date() <= cohort.ends_on
    )


def homework_overdue(now: datetime) -> int:
    return send_reminders(
        Reminder(
            user=user,
            kind=NotificationKind.HOMEWORK_OVERDUE,
            dedupe_key=f"homework_overdue:assignment:{assignment.pk}",
            compose=lambda a=assignment, u=user: _overdue_message(a, u),
        )
        for assignment, user in _assignments_with_missing_work(
            due_after=now - timedelta(days=RECENT_DAYS), due_until=now
        )
        if assignment.due_at < now and _cohort_running(assignment, now)
    )


def _latest_reviews(now: datetime, decision: str) -> list[Review]:
    """Reviews of `decision` in the last RECENT_DAYS days that are still the latest word
    on their submission (no newer version since)."""
    reviews = Review.objects.filter(
        decision=decision,
        created_at__gte=now - timedelta(days=RECENT_DAYS),
        created_at__lte=now,
        version__number=F("submission__version_count"),
    ).select_related(
        "reviewer", "submission__trainee", "submission__assignment__cohort"
    )
    if decision == ReviewDecision.RETURN:
        reviews = reviews.filter(submission__status=SubmissionStatus.RETURNED)
    return list(reviews)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"


def _returned_message(review: Review) -> Message:
    assignment = review.submission.assignment
    coach = review.reviewer.display_name if review.reviewer else _("Your coach")
    body = _(
        "%(coach)s returned your work with comments. Read the feedback, revise it and "
        "hand it in again."
    ) % {"coach": coach}
    if review.comment:
        body += "\n“" + _excerpt(review.comment) + "”"
    return Message(
        title=_("Homework returned for revision: %(title)s")
        % {"title": assignment.title},
        body=body,
        url=_assignment_url(assignment),
    )


def homework_returned(now: datetime) -> int:
    return send_reminders(
        Reminder(
            user=review.submission.trainee,
            kind=NotificationKind.HOMEWORK_RETURNED,
            dedupe_key=f"homework_returned:review:{review.pk}",
            compose=lambda r=review: _returned_message(r),
        )
        for review in _latest_reviews(now, ReviewDecision.RETURN)
    )


def _approved_message(review: Review) -> Message:
    assignment = review.submission.assignment
    coach = review.reviewer.display_name if review.reviewer else _("Your coach")
    body = _("%(coach)s approved your work. Score: %(score)s%%.") % {
        "coach": coach,
        "score": floatformat(review.score_percent, 0),
    }
    if review.comment:
        body += "\n“" + _excerpt(review.comment) + "”"
    return Message(
        title=_("Homework approved: %(title)s") % {"title": assignment.title},
        body=body,
        url=_assignment_url(assignment),
    )


def reviews_new(now: datetime) -> int:
    return send_reminders(
        Reminder(
            user=review.submission.trainee,
            kind=NotificationKind.REVIEW_NEW,
            dedupe_key=f"review_new:review:{review.pk}",
            compose=lambda r=review: _approved_message(r),
        )
        for review in _latest_reviews(now, ReviewDecision.APPROVE)
    )


def _follow_up_message(follow_up: FollowUp, user: User) -> Message:
    other = follow_up.coach if user.pk == follow_up.trainee_id else follow_up.trainee
    body = _("%(when)s · %(minutes)s minutes") % {
        "when": _when(follow_up.scheduled_at, user),
        "minutes": follow_up.duration_minutes,
    }
    if follow_up.location:
        body += "\n" + _("Where: %(where)s") % {"where": follow_up.location}
    if follow_up.agenda:
        body += "\n" + _("Agenda: %(agenda)s") % {"agenda": _excerpt(follow_up.agenda)}
    return Message(
        title=_("Follow-up tomorrow with %(person)s") % {"person": other.display_name},
        body=body,
        url=url_or(
            "coaching:follow_up",
            follow_up.pk,
            fallback=url_or("cohorts:detail", follow_up.cohort.slug),
        ),
    )


def follow_ups_tomorrow(now: datetime) -> int:
    follow_ups = FollowUp.objects.filter(
        status=FollowUpStatus.SCHEDULED,
        scheduled_at__gt=now,
        scheduled_at__lte=now + TOMORROW_HORIZON,
    ).select_related("coach", "trainee", "cohort")
    return send_reminders(
        Reminder(
            user=user,
            kind=NotificationKind.FOLLOW_UP_TOMORROW,
            dedupe_key=(
                f"follow_up_tomorrow:follow_up:{follow_up.pk}:"
                f"{follow_up.scheduled_at.astimezone(user_zone(user)).date()}"
            ),
            compose=lambda f=follow_up, u=user: _follow_up_message(f, u),
        )
        for follow_up in follow_ups
        for user in (follow_up.trainee, follow_up.coach)
        if is_tomorrow_for(user, follow_up.scheduled_at, now)
    )


def register() -> None:
    """Called once from CoachingConfig.ready()."""
    for producer in (
        homework_due_soon,
        homework_overdue,
        homework_returned,
        reviews_new,
        follow_ups_tomorrow,
    ):
        register_reminder(producer)
