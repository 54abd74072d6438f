"""The series the report's charts and sheets draw: attendance per class session,
homework by status per cohort, champions and their re-training sessions, sessions per
month, people per band of lesson progress. Plain Python over rows loaded once (two
queries for sessions and marks, two for assignments and submissions)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cohorts.coaching.models import (
    Assignment,
    RetrainingSession,
    Submission,
    SubmissionStatus,
)
from cohorts.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from cohorts.reporting.progress import percent

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
WAITING = (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW)
LESSON_BUCKETS = ((0, 20), (20, 40), (40, 60), (60, 80), (80, 101))


@dataclass(frozen=True, slots=True)
class SessionRate:
    cohort: Cohort
    session: Session
    attended: int
    expected: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.attended, self.expected)


@dataclass(frozen=True, slots=True)
class HomeworkTally:
    cohort: Cohort
    approved: int
    waiting: int
    returned: int
    missing: int

    @property
    def total(self) -> int:
        return self.approved + self.waiting + self.returned + self.missing


@dataclass(slots=True)
class ChampionRow:
    user_id: int
    name: str
    team: str
    cohorts: list[str] = field(default_factory=list)
    sessions: int = 0
    attendees: int = 0
    last_held_on: dt.date | None = None


def session_rates(
    cohorts: list[Cohort],
    enrolled: dict[int, list[Enrolment]],
    shown: set[tuple[int, int]],
) -> list[SessionRate]:
    """Attendance of the people shown at each class session held so far; an excused
    person leaves the session's denominator. 1:1 sessions are coaching, not class,
    and are left out as in progress.py."""
    active = {
        cohort_id: {
            e.user_id
            for e in found
            if e.status == EnrolmentStatus.ACTIVE and (cohort_id, e.user_id) in shown
        }
        for cohort_id, found in enrolled.items()
    }
    sessions = list(
        Session.objects.filter(
            cohort__in=cohorts, starts_at__lte=timezone.now(), trainee__isnull=True
        ).order_by("starts_at")
    )
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    for session_id, user_id, status in Attendance.objects.filter(
        session__in=[s.pk for s in sessions]
    ).values_list("session_id", "user_id", "status"):
        marks[session_id][user_id] = status
    by_id = {c.pk: c for c in cohorts}
    rates = []
    for session in sessions:
        people = active.get(session.cohort_id, set())
        seen = marks.get(session.pk, {})
        expected = [u for u in people if seen.get(u) != AttendanceStatus.EXCUSED]
        if not expected:
            continue
        rates.append(
            SessionRate(
                cohort=by_id[session.cohort_id],
                session=session,
                attended=sum(1 for u in expected if seen.get(u) in ATTENDED),
                expected=len(expected),
            )
        )
    return rates


def homework_tallies(
    cohorts: list[Cohort],
    enrolled: dict[int, list[Enrolment]],
    shown: set[tuple[int, int]],
) -> list[HomeworkTally]:
    """Every assignment × active person of each cohort, by where the work stands."""
    assignments = Counter(
        Assignment.objects.filter(cohort__in=cohorts).values_list(
            "cohort_id", flat=True
        )
    )
    statuses: dict[int, Counter[str]] = defaultdict(Counter)
    for cohort_id, trainee_id, status in Submission.objects.filter(
        assignment__cohort__in=cohorts
    ).values_list("assignment__cohort_id", "trainee_id", "status"):
        if (cohort_id, trainee_id) in shown:
            statuses[cohort_id][status] += 1
    tallies = []
    for cohort in cohorts:
        people = sum(
            1
            for e in enrolled.get(cohort.pk, [])
            if e.status == EnrolmentStatus.ACTIVE and (cohort.pk, e.user_id) in shown
        )
        if not assignments.get(cohort.pk) or not people:
            continue
        counts = statuses[cohort.pk]
        submitted = sum(counts.values())
        tallies.append(
            HomeworkTally(
                cohort=cohort,
                approved=counts[SubmissionStatus.APPROVED],
                waiting=sum(counts[s] for s in WAITING),
                returned=counts[SubmissionStatus.RETURNED],
                missing=max(assignments[cohort.pk] * people - submitted, 0),
            )
        )
    return tallies


def champion_rows(
    champions: set[tuple[int, int]],
    retraining: list[RetrainingSession],
    people: Mapping[int, Any],
    cohorts: dict[int, Cohort],
) -> list[ChampionRow]:
    rows: dict[int, ChampionRow] = {}

    def row_for(user_id: int, fallback: str) -> ChampionRow:
        person = people.get(user_id)
        return rows.setdefault(
            user_id,
            ChampionRow(
                user_id=user_id,
                name=person.name if person else fallback,
                team=person.team if person else "",
            ),
        )

    for cohort_id, user_id in sorted(champions):
        row = row_for(user_id, str(user_id))
        if cohort_id in cohorts:
            row.cohorts.append(cohorts[cohort_id].name)
    for session in retraining:
        row = row_for(session.champion_id, str(session.champion))
        row.sessions += 1
        row.attendees += session.attendee_count
        if row.last_held_on is None or session.held_on > row.last_held_on:
            row.last_held_on = session.held_on
    return sorted(rows.values(), key=lambda r: (-r.sessions, r.name))


def by_month(
    retraining: list[RetrainingSession], months: int = 12
) -> list[tuple[dt.date, int]]:
    today = timezone.localdate()
    firsts = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    counts = Counter(s.held_on.replace(day=1) for s in retraining)
    return [(first, counts.get(first, 0)) for first in reversed(firsts)]


def lesson_buckets(values: Iterable[Decimal | None]) -> list[tuple[str, int]]:
    """People per band of lesson progress (the last band includes 100 %)."""
    counts: Counter[tuple[int, int]] = Counter()
    for value in values:
        if value is None:
            continue
        for low, high in LESSON_BUCKETS:
            if low <= value < high:
                counts[(low, high)] += 1
                break
    return [
        (f"{low}–{min(high, 100)}%", counts.get((low, high), 0))
        for low, high in LESSON_BUCKETS
    ]
