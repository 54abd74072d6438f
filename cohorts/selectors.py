"""Reads about cohorts, their sessions, enrolments and attendance.

Pages gather what they show here, in a fixed number of queries, into plain objects.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import MembershipRole
from cohorts.models import (
    Answer,
    Attendance,
    AttendanceStatus,
    CalendarFeed,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Question,
    Session,
)

if TYPE_CHECKING:
    from accounts.models import User


def user_is_enrolled_in_course(*, user: User, course: object) -> bool:
    """Whether `user` holds an active seat in any cohort of `course` (lesson access)."""
    if user is None or not user.is_authenticated:
        return False
    return Enrolment.objects.filter(
        user=user, cohort__course=course, status=EnrolmentStatus.ACTIVE
    ).exists()


# Roles on one cohort ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CohortAccess:
    """What one user may do in one cohort, loaded in one query."""

    is_staff: bool = False
    is_coach: bool = False
    is_org_admin: bool = False
    enrolment: Enrolment | None = None

    @property
    def is_active_trainee(self) -> bool:
        return (
            self.enrolment is not None
            and self.enrolment.status == EnrolmentStatus.ACTIVE
        )

    @property
    def can_teach(self) -> bool:
        return self.is_coach or self.is_staff

    @property
    def can_manage_roster(self) -> bool:
        return self.is_org_admin or self.is_staff

    @property
    def can_see_roster(self) -> bool:
        return self.can_teach or self.can_manage_roster

    @property
    def is_in_cohort(self) -> bool:
        """Members of the cohort's discussion: active trainees, coaches, staff."""
        return self.is_active_trainee or self.can_teach


def cohort_access(*, cohort: Cohort, user: User) -> CohortAccess:
    if not user.is_authenticated:
        return CohortAccess()
    flags = Cohort.objects.filter(pk=cohort.pk).aggregate(
        coach=Count("coaches", filter=Q(coaches=user), distinct=True),
        admin=Count(
            "organization__memberships",
            filter=Q(
                organization__memberships__user=user,
                organization__memberships__role=MembershipRole.ADMIN,
            ),
            distinct=True,
        ),
    )
    enrolment = Enrolment.objects.filter(cohort=cohort, user=user).first()
    return CohortAccess(
        is_staff=user.is_staff,
        is_coach=bool(flags["coach"]),
        is_org_admin=bool(flags["admin"]),
        enrolment=enrolment,
    )


def cohort_for_user_or_404(*, user: User, slug: str) -> Cohort:
    cohort = (
        Cohort.objects.visible_to(user)
        .select_related("course", "organization")
        .filter(slug=slug)
        .first()
    )
    if cohort is None:
        raise Http404
    return cohort


def cohort_for_coach_or_404(*, user: User, slug: str) -> tuple[Cohort, CohortAccess]:
    cohort = cohort_for_user_or_404(user=user, slug=slug)
    access = cohort_access(cohort=cohort, user=user)
    if not access.can_teach:
        raise Http404
    return cohort, access


def session_for_user_or_404(*, user: User, slug: str, session_id: int) -> Session:
    cohort = cohort_for_user_or_404(user=user, slug=slug)
    session = (
        Session.objects.filter(cohort=cohort, pk=session_id)
        .prefetch_related("lessons")
        .first()
    )
    if session is None:
        raise Http404
    session.cohort = cohort
    return session


# Lists --------------------------------------------------------------------


@dataclass(slots=True)
class CohortCard:
    cohort: Cohort
    status: str | None = None  # the viewer's enrolment status
    is_coach: bool = False
    next_session: Session | None = None
    seats_taken: int = 0
    waitlisted: int = 0


def _next_sessions(cohort_ids: list[int]) -> dict[int, Session]:
    upcoming = Session.objects.filter(
        cohort_id__in=cohort_ids, ends_at__gte=timezone.now()
    ).order_by("starts_at")
    first: dict[int, Session] = {}
    for session in upcoming:
        first.setdefault(session.cohort_id, session)
    return first


def _with_counts(queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return queryset.select_related("course", "organization").annotate(
        seats_taken=Count(
            "enrolments",
            filter=Q(enrolments__status=EnrolmentStatus.ACTIVE),
            distinct=True,
        ),
        waitlisted=Count(
            "enrolments",
            filter=Q(enrolments__status=EnrolmentStatus.WAITLISTED),
            distinct=True,
        ),
    )


def cohorts_for_user(*, user: User) -> list[CohortCard]:
    """The cohorts a user is in, coaches or administers, with their next session."""
    enrolments = {
        e.cohort_id: e.status
        for e in Enrolment.objects.filter(user=user).exclude(
            status=EnrolmentStatus.WITHDRAWN
        )
    }
    coached = set(Cohort.objects.filter(coaches=user).values_list("pk", flat=True))
    administered = Q(
        organization__memberships__user=user,
        organization__memberships__role=MembershipRole.ADMIN,
    )
    cohorts = list(
        _with_counts(
            Cohort.objects.filter(
                Q(pk__in=list(enrolments)) | Q(pk__in=list(coached)) | administered
            )
        ).order_by("starts_on", "name")
    )
    nexts = _next_sessions([c.pk for c in cohorts])
    return [
        CohortCard(
            cohort=c,
            status=enrolments.get(c.pk),
            is_coach=c.pk in coached,
            next_session=nexts.get(c.pk),
            seats_taken=c.seats_taken,
            waitlisted=c.waitlisted,
        )
        for c in cohorts
    ]


def next_session_for_trainee(*, user: User) -> Session | None:
    return (
        Session.objects.filter(
            cohort__enrolments__user=user,
            cohort__enrolments__status=EnrolmentStatus.ACTIVE,
            ends_at__gte=timezone.now(),
        )
        .filter(Q(trainee__isnull=True) | Q(trainee=user))
        .select_related("cohort__course")
        .order_by("starts_at")
        .first()
    )


def sessions_today_for_coach(*, user: User) -> list[Session]:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    end = start + dt.timedelta(days=1)
    return list(
        Session.objects.filter(
            cohort__coaches=user, starts_at__lt=end, ends_at__gte=start
        )
        .select_related("cohort__course")
        .order_by("starts_at")
    )


def sessions_missing_attendance(*, user: User, limit: int = 10) -> list[Session]:
    """Past sessions of a coach's cohorts where nobody's attendance was recorded."""
    return list(
        Session.objects.filter(cohort__coaches=user, ends_at__lt=timezone.now())
        .annotate(marks=Count("attendance"))
        .filter(marks=0)
        .select_related("cohort__course")
        .order_by("-starts_at")[:limit]
    )


# The schedule page ---------------------------------------------------------


@dataclass(slots=True)
class Schedule:
    cohort: Cohort
    access: CohortAccess
    upcoming: list[Session] = field(default_factory=list)
    past: list[Session] = field(default_factory=list)
    seats_taken: int = 0
    waitlisted: int = 0
    waitlist_position: int | None = None
    coaches: list[User] = field(default_factory=list)
    attended: set[int] = field(default_factory=set)

    @property
    def seats_left(self) -> int | None:
        if self.cohort.capacity is None:
            return None
        return max(self.cohort.capacity - self.seats_taken, 0)


def cohort_schedule(*, cohort: Cohort, user: User) -> Schedule:
    access = cohort_access(cohort=cohort, user=user)
    sessions = Session.objects.filter(cohort=cohort).prefetch_related("lessons")
    if not access.can_teach:
        sessions = sessions.filter(
            Q(trainee__isnull=True) | Q(trainee_id=getattr(user, "pk", None))
        )
    now = timezone.now()
    all_sessions = list(sessions.order_by("starts_at"))
    counts = Enrolment.objects.filter(cohort=cohort).aggregate(
        active=Count("pk", filter=Q(status=EnrolmentStatus.ACTIVE)),
        waiting=Count("pk", filter=Q(status=EnrolmentStatus.WAITLISTED)),
    )
    position = None
    if access.enrolment and access.enrolment.status == EnrolmentStatus.WAITLISTED:
        position = Enrolment.objects.filter(
            cohort=cohort,
            status=EnrolmentStatus.WAITLISTED,
            status_changed_at__lte=access.enrolment.status_changed_at,
        ).count()
    attended: set[int] = set()
    if user.is_authenticated:
        attended = set(
            Attendance.objects.filter(
                session__cohort=cohort,
                user=user,
                status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE],
            ).values_list("session_id", flat=True)
        )
    for session in all_sessions:
        session.viewer_attended = session.pk in attended  # type: ignore[attr-defined]
    return Schedule(
        cohort=cohort,
        access=access,
        upcoming=[s for s in all_sessions if s.ends_at >= now],
        past=[s for s in all_sessions if s.ends_at < now][::-1],
        seats_taken=counts["active"],
        waitlisted=counts["waiting"],
        waitlist_position=position,
        coaches=list(cohort.coaches.all()),
        attended=attended,
    )


# Attendance ------------------------------------------------------------------


@dataclass(slots=True)
class RosterRow:
    user: User
    attendance: Attendance | None


def session_roster(*, session: Session) -> list[RosterRow]:
    """Active trainees of the session's cohort with their mark for this session."""
    marks = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    trainees = Enrolment.objects.filter(
        cohort_id=session.cohort_id, status=EnrolmentStatus.ACTIVE
    ).select_related("user")
    if session.trainee_id:
        trainees = trainees.filter(user_id=session.trainee_id)
    return [
        RosterRow(user=e.user, attendance=marks.get(e.user_id))
        for e in trainees.order_by("user__display_name")
    ]


@dataclass(slots=True)
class AttendanceReport:
    sessions: list[Session]
    rows: list[tuple[User, list[Attendance | None], float | None]]
    session_rates: list[float | None]


def attendance_report(*, cohort: Cohort) -> AttendanceReport:
    """Rates per trainee and per session, over sessions that have ended."""
    now = timezone.now()
    sessions = list(
        Session.objects.filter(cohort=cohort, ends_at__lt=now).order_by("starts_at")
    )
    trainees = [
        e.user
        for e in Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ACTIVE)
        .select_related("user")
        .order_by("user__display_name")
    ]
    marks: dict[tuple[int, int], Attendance] = {
        (a.user_id, a.session_id): a
        for a in Attendance.objects.filter(session__cohort=cohort)
    }
    expected: dict[int, set[int]] = defaultdict(set)
    for s in sessions:
        for t in trainees:
            if s.trainee_id is None or s.trainee_id == t.pk:
                expected[s.pk].add(t.pk)
    rows = []
    for t in trainees:
        cells = [marks.get((t.pk, s.pk)) for s in sessions]
        due = [s for s in sessions if t.pk in expected[s.pk]]
        present = [
            s for s in due if (m := marks.get((t.pk, s.pk))) and m.counts_as_attended
        ]
        rows.append((t, cells, len(present) / len(due) if due else None))
    session_rates = []
    for s in sessions:
        due_users = expected[s.pk]
        present = [
            u for u in due_users if (m := marks.get((u, s.pk))) and m.counts_as_attended
        ]
        session_rates.append(len(present) / len(due_users) if due_users else None)
    return AttendanceReport(sessions=sessions, rows=rows, session_rates=session_rates)


# Calendar ------------------------------------------------------------------


def calendar_feed_by_key(*, key: str) -> CalendarFeed:
    feed = CalendarFeed.objects.select_related("user").filter(key=key).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed


def sessions_for_feed(*, user: User, cohort: Cohort | None = None) -> list[Session]:
    sessions = Session.objects.filter(
        cohort__enrolments__user=user,
        cohort__enrolments__status=EnrolmentStatus.ACTIVE,
    ).filter(Q(trainee__isnull=True) | Q(trainee=user))
    coached = Session.objects.filter(cohort__coaches=user)
    combined = Session.objects.filter(
        Q(pk__in=sessions.values("pk")) | Q(pk__in=coached.values("pk"))
    )
    if cohort is not None:
        combined = combined.filter(cohort=cohort)
    return list(combined.select_related("cohort__course").order_by("starts_at"))


# Q&A -----------------------------------------------------------------------


def questions_for_cohort(*, cohort: Cohort) -> list[Question]:
    return list(
        Question.objects.filter(cohort=cohort)
        .select_related("author", "accepted_answer")
        .annotate(answer_count=Count("answers"))
        .order_by("-created_at")
    )


def question_for_user_or_404(*, cohort: Cohort, question_id: int) -> Question:
    question = (
        Question.objects.filter(cohort=cohort, pk=question_id)
        .select_related("author")
        .prefetch_related(
            Prefetch("answers", queryset=_answers().select_related("author"))
        )
        .first()
    )
    if question is None:
        raise Http404
    return question


def _answers() -> QuerySet[Answer]:
    return Answer.objects.order_by("created_at")


@dataclass(slots=True)
class Roster:
    active: list[Enrolment]
    waitlisted: list[Enrolment]
    withdrawn: list[Enrolment]


def cohort_roster(*, cohort: Cohort) -> Roster:
    """Everyone who enrolled, the waitlist in the order seats will be offered."""
    rows = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("user")
        .order_by("status_changed_at", "pk")
    )
    return Roster(
        active=sorted(
            (e for e in rows if e.status == EnrolmentStatus.ACTIVE),
            key=lambda e: e.user.display_name,
        ),
        waitlisted=[e for e in rows if e.status == EnrolmentStatus.WAITLISTED],
        withdrawn=[e for e in rows if e.status == EnrolmentStatus.WITHDRAWN],
    )


def recent_replies_for(*, user: User, days: int = 14, limit: int = 5) -> list[Answer]:
    """Answers by others to questions the user asked, newest first (home panel)."""
    since = timezone.now() - dt.timedelta(days=days)
    return list(
        Answer.objects.filter(question__author=user, created_at__gte=since)
        .exclude(author=user)
        .select_related("author", "question__cohort")
        .order_by("-created_at")[:limit]
    )
