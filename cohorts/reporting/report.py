"""The figures of an enterprise report: one row per person per cohort, the summary
tiles and the series the charts draw. The page, the Excel file and the PDF all read
the same `Report`, so they never disagree.

Load first, then compute: a fixed set of queries gathers memberships, enrolments,
champions, re-training sessions, certificates, attendance marks and homework, and
`cohort_progress` adds eight per cohort. The number of queries does not grow with
the number of people (asserted in tests/reporting).

Rules the tiles follow (the progress rules themselves are in progress.py):
- *People* counts each person once, whatever the number of their cohorts.
- Averages (attendance, lessons) are over active enrolments that have a figure.
- *Homework approved* = Σ required assignments approved ÷ Σ required assignments,
  over active enrolments.
- *Certificates* count valid certificates of the rows shown.
- *Re-training sessions this quarter* are the organisation's sessions held in the
  current calendar quarter, narrowed by the cohort and team filters (the champion's
  team) when these are set.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, Organization
from cohorts.certificates.models import Certificate, CertificateStatus
from cohorts.coaching.models import (
    CohortChampion,
    RetrainingSession,
)
from cohorts.models import (
    Cohort,
    Enrolment,
    EnrolmentStatus,
)
from cohorts.reporting.progress import PersonProgress, cohort_progress, percent
from cohorts.reporting.series import (
    ChampionRow,
    HomeworkTally,
    SessionRate,
    by_month,
    champion_rows,
    homework_tallies,
    lesson_buckets,
    session_rates,
)

Progress = Callable[[float], None]


@dataclass(frozen=True, slots=True)
class ReportFilters:
    """What the reader narrowed the report to (GET parameters or an export's own)."""

    cohort_id: int | None = None
    team: str = ""


@dataclass(slots=True)
class PersonRow:
    user_id: int
    name: str
    email: str
    team: str
    title: str
    organizations: str
    cohort: Cohort
    progress: PersonProgress
    is_champion: bool = False
    retraining_sessions: int = 0
    certificates: int = 0
    latest_certificate_on: dt.date | None = None
    latest_certificate_code: str = ""

    @property
    def is_active(self) -> bool:
        return self.progress.enrolment_status == EnrolmentStatus.ACTIVE

    @property
    def status_label(self) -> str:
        return str(EnrolmentStatus(self.progress.enrolment_status).label)


@dataclass(slots=True)
class CohortSummary:
    cohort: Cohort
    people: int = 0
    attendance_percent: Decimal | None = None
    lessons_percent: Decimal | None = None
    homework_approved_percent: Decimal | None = None
    certificates: int = 0


@dataclass(frozen=True, slots=True)
class Summary:
    people: int
    enrolments: int
    attendance_percent: Decimal | None
    lessons_percent: Decimal | None
    homework_approved_percent: Decimal | None
    certificates: int
    retraining_this_quarter: int


@dataclass(slots=True)
class Report:
    organization: Organization | None
    cohorts: list[Cohort]
    cohort_choices: list[Cohort]
    team_choices: list[str]
    filters: ReportFilters
    rows: list[PersonRow]
    summary: Summary
    by_cohort: list[CohortSummary]
    session_rates: list[SessionRate]
    homework: list[HomeworkTally]
    champions: list[ChampionRow]
    retraining: list[RetrainingSession]
    retraining_by_month: list[tuple[dt.date, int]]
    lesson_buckets: list[tuple[str, int]]
    generated_at: dt.datetime

    @property
    def selected_cohort(self) -> Cohort | None:
        return next(
            (c for c in self.cohort_choices if c.pk == self.filters.cohort_id), None
        )


# ------------------------------------------------------------------ entry points
def organization_cohorts(organization: Organization) -> list[Cohort]:
    """In-house cohorts of the organisation and any cohort one of its members joined."""
    members = Membership.objects.filter(organization=organization).values("user_id")
    return list(
        Cohort.objects.filter(
            Q(organization=organization) | Q(enrolments__user_id__in=members)
        )
        .distinct()
        .select_related("course", "organization")
        .order_by("-starts_on", "name")
    )


def organization_report(
    *,
    organization: Organization,
    filters: ReportFilters,
    cohorts: list[Cohort] | None = None,
    on_progress: Progress | None = None,
) -> Report:
    """The organisation's people across its cohorts (the dashboard)."""
    choices = cohorts if cohorts is not None else organization_cohorts(organization)
    memberships = list(
        Membership.objects.filter(organization=organization).select_related("user")
    )
    return _build(
        organization=organization,
        choices=choices,
        memberships=memberships,
        filters=filters,
        on_progress=on_progress,
    )


def cohort_report(
    *,
    cohort: Cohort,
    organization: Organization | None,
    filters: ReportFilters | None = None,
    on_progress: Progress | None = None,
) -> Report:
    """One cohort: the organisation's people in it, or (no organisation) everyone."""
    filters = ReportFilters(cohort_id=cohort.pk, team=(filters or ReportFilters()).team)
    if organization is not None:
        memberships = list(
            Membership.objects.filter(organization=organization).select_related("user")
        )
    else:
        memberships = list(
            Membership.objects.filter(user__enrolments__cohort=cohort)
            .select_related("user", "organization")
            .order_by("organization__name")
        )
    return _build(
        organization=organization,
        choices=[cohort],
        memberships=memberships,
        filters=filters,
        on_progress=on_progress,
        everyone=organization is None,
    )


# ----------------------------------------------------------------------- building
@dataclass(slots=True)
class _Person:
    name: str
    email: str
    team: str = ""
    title: str = ""
    organizations: list[str] = field(default_factory=list)
    is_org_champion: bool = False


def _people(memberships: list[Membership], *, with_org: bool) -> dict[int, _Person]:
    people: dict[int, _Person] = {}
    for m in memberships:
        person = people.setdefault(
            m.user_id,
            _Person(
                name=m.user.display_name or m.user.email,
                email=m.user.email,
                team=m.team,
                title=m.title,
            ),
        )
        if with_org:
            person.organizations.append(m.organization.name)
        person.is_org_champion = person.is_org_champion or m.is_champion
    return people


def _build(
    *,
    organization: Organization | None,
    choices: list[Cohort],
    memberships: list[Membership],
    filters: ReportFilters,
    on_progress: Progress | None,
    everyone: bool = False,
) -> Report:
    tick = on_progress or (lambda fraction: None)
    people = _people(memberships, with_org=everyone)
    teams = sorted({p.team for p in people.values() if p.team})
    cohorts = [c for c in choices if filters.cohort_id in (None, c.pk)]
    by_id = {c.pk: c for c in cohorts}

    enrolments = Enrolment.objects.filter(cohort__in=cohorts).select_related("user")
    if organization is not None:
        enrolments = enrolments.filter(user__memberships__organization=organization)
    enrolled: dict[int, list[Enrolment]] = defaultdict(list)
    for enrolment in enrolments.order_by("user__display_name", "user__email"):
        user = enrolment.user
        person = people.setdefault(
            user.pk, _Person(name=user.display_name or user.email, email=user.email)
        )
        if filters.team and person.team != filters.team:
            continue
        enrolled[enrolment.cohort_id].append(enrolment)

    progress: dict[int, dict[int, PersonProgress]] = {}
    for n, cohort in enumerate(cohorts, start=1):
        ids = [e.user_id for e in enrolled.get(cohort.pk, [])]
        progress[cohort.pk] = cohort_progress(cohort, user_ids=ids) if ids else {}
        tick(0.6 * n / max(len(cohorts), 1))

    champions = {
        (cohort_id, user_id)
        for cohort_id, user_id in _champions(organization, cohorts)
        if not filters.team or getattr(people.get(user_id), "team", "") == filters.team
    }
    retraining = _retraining(organization, cohorts, filters, people)
    certificates = _certificates(organization, cohorts)

    run = Counter((s.champion_id, s.cohort_id) for s in retraining)
    rows: list[PersonRow] = []
    for cohort in cohorts:
        for enrolment in enrolled.get(cohort.pk, []):
            figures = progress[cohort.pk].get(enrolment.user_id)
            if figures is None:
                continue
            person = people[enrolment.user_id]
            certs = certificates.get((enrolment.user_id, cohort.pk), [])
            latest = max(certs, default=None, key=lambda c: c[0])
            rows.append(
                PersonRow(
                    user_id=enrolment.user_id,
                    name=person.name,
                    email=person.email,
                    team=person.team,
                    title=person.title,
                    organizations=", ".join(person.organizations),
                    cohort=cohort,
                    progress=figures,
                    is_champion=(cohort.pk, enrolment.user_id) in champions,
                    retraining_sessions=run[(enrolment.user_id, cohort.pk)],
                    certificates=len(certs),
                    latest_certificate_on=latest[0] if latest else None,
                    latest_certificate_code=latest[1] if latest else "",
                )
            )
    tick(0.7)
    shown_people = {(r.cohort.pk, r.user_id) for r in rows}
    return Report(
        organization=organization,
        cohorts=cohorts,
        cohort_choices=choices,
        team_choices=teams,
        filters=filters,
        rows=rows,
        summary=_summary(rows, retraining),
        by_cohort=_by_cohort(cohorts, rows),
        session_rates=session_rates(cohorts, enrolled, shown_people),
        homework=homework_tallies(cohorts, enrolled, shown_people),
        champions=champion_rows(champions, retraining, people, by_id),
        retraining=retraining,
        retraining_by_month=by_month(retraining),
        lesson_buckets=lesson_buckets(
            [r.progress.lessons_percent for r in rows if r.is_active]
        ),
        generated_at=timezone.now(),
    )


def _champions(
    organization: Organization | None, cohorts: list[Cohort]
) -> set[tuple[int, int]]:
    named = CohortChampion.objects.filter(cohort__in=cohorts)
    if organization is not None:
        named = named.filter(organization=organization)
    return set(named.values_list("cohort_id", "user_id"))


def _retraining(
    organization: Organization | None,
    cohorts: list[Cohort],
    filters: ReportFilters,
    people: dict[int, _Person],
) -> list[RetrainingSession]:
    sessions = RetrainingSession.objects.select_related("champion", "cohort")
    if organization is not None:
        sessions = sessions.filter(organization=organization)
        if filters.cohort_id is not None:
            sessions = sessions.filter(cohort_id=filters.cohort_id)
    else:
        sessions = sessions.filter(cohort__in=cohorts)
    found = list(sessions.order_by("-held_on", "-id"))
    if filters.team:
        found = [
            s
            for s in found
            if (p := people.get(s.champion_id)) is not None and p.team == filters.team
        ]
    return found


def _certificates(
    organization: Organization | None, cohorts: list[Cohort]
) -> dict[tuple[int, int], list[tuple[dt.date, str]]]:
    """Valid certificates per (person, cohort): issued day and verification code."""
    issued = Certificate.objects.filter(
        cohort__in=cohorts, status=CertificateStatus.VALID
    )
    if organization is not None:
        issued = issued.filter(user__memberships__organization=organization)
    found: dict[tuple[int, int], list[tuple[dt.date, str]]] = defaultdict(list)
    for user_id, cohort_id, issued_at, code in issued.values_list(
        "user_id", "cohort_id", "issued_at", "code"
    ):
        found[(user_id, cohort_id)].append((timezone.localdate(issued_at), code))
    return found


def _mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return percent(sum(present, Decimal(0)), len(present) * 100)


def _homework_percent(rows: Iterable[PersonRow]) -> Decimal | None:
    rows = list(rows)
    return percent(
        sum(r.progress.assignments_required_approved for r in rows),
        sum(r.progress.assignments_required for r in rows),
    )


def _summary(rows: list[PersonRow], retraining: list[RetrainingSession]) -> Summary:
    active = [r for r in rows if r.is_active]
    today = timezone.localdate()
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return Summary(
        people=len({r.user_id for r in rows}),
        enrolments=len(rows),
        attendance_percent=_mean(r.progress.attendance_percent for r in active),
        lessons_percent=_mean(r.progress.lessons_percent for r in active),
        homework_approved_percent=_homework_percent(active),
        certificates=sum(r.certificates for r in rows),
        retraining_this_quarter=sum(
            1 for s in retraining if quarter_start <= s.held_on <= today
        ),
    )


def _by_cohort(cohorts: list[Cohort], rows: list[PersonRow]) -> list[CohortSummary]:
    grouped: dict[int, list[PersonRow]] = defaultdict(list)
    for row in rows:
        grouped[row.cohort.pk].append(row)
    result = []
    for cohort in cohorts:
        mine = grouped.get(cohort.pk, [])
        if not mine:
            continue
        active = [r for r in mine if r.is_active]
        result.append(
            CohortSummary(
                cohort=cohort,
                people=len(mine),
                attendance_percent=_mean(r.progress.attendance_percent for r in active),
                lessons_percent=_mean(r.progress.lessons_percent for r in active),
                homework_approved_percent=_homework_percent(active),
                certificates=sum(r.certificates for r in mine),
            )
        )
    return result
