"""Reads for internal champions: who may name them, the champion's team page and the
re-training log.

The team page shows colleagues' lessons, homework and attendance, never their
workbooks: a workbook is linked only when its owner shared it with the champion
(`user.shared_workbooks`, the workbook app's `WorkbookShare`, reached without import).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Membership, MembershipRole, Organization, User
from cohorts.coaching.models import (
    Assignment,
    CohortChampion,
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
from courses.models import LessonPage, LessonProgress

# Naming champions ---------------------------------------------------------------


def _is_coach(user: User, cohort: Cohort) -> bool:
    return user.is_staff or cohort.coaches.filter(pk=user.pk).exists()


def cohort_organizations(*, cohort: Cohort) -> QuerySet[Organization]:
    """The organisations a cohort trains: its own (in-house) and its trainees'."""
    enrolled = Enrolment.objects.filter(
        cohort=cohort, status=EnrolmentStatus.ACTIVE
    ).values("user_id")
    return (
        Organization.objects.filter(
            Q(pk=cohort.organization_id) | Q(memberships__user_id__in=enrolled)
        )
        .distinct()
        .order_by("name")
    )


@dataclass(frozen=True, slots=True)
class ChampionsAccess:
    cohort: Cohort
    organizations: list[Organization]  # the ones this user may name champions for
    is_coach: bool


def champions_access_or_404(*, user: User, slug: str) -> ChampionsAccess:
    """Coaches of the cohort and staff manage every organisation in it; an org admin
    only their own organisation's champions. Anyone else: 404."""
    if not user.is_authenticated:
        raise Http404
    cohort = (
        Cohort.objects.select_related("course", "organization")
        .filter(slug=slug)
        .first()
    )
    if cohort is None:
        raise Http404
    organizations = list(cohort_organizations(cohort=cohort))
    is_coach = _is_coach(user, cohort)
    if not is_coach:
        administered = set(
            Membership.objects.filter(user=user, role=MembershipRole.ADMIN).values_list(
                "organization_id", flat=True
            )
        )
        organizations = [o for o in organizations if o.pk in administered]
        if not organizations:
            raise Http404
    return ChampionsAccess(
        cohort=cohort, organizations=organizations, is_coach=is_coach
    )


@dataclass(slots=True)
class OrganizationChampions:
    organization: Organization
    champions: list[CohortChampion] = field(default_factory=list)
    candidates: list[User] = field(default_factory=list)


def champions_of_cohort(*, access: ChampionsAccess) -> list[OrganizationChampions]:
    """Per organisation: its champions in the cohort and who could be named (its
    members with a seat in the cohort). Three queries."""
    blocks = {o.pk: OrganizationChampions(organization=o) for o in access.organizations}
    for champion in CohortChampion.objects.filter(
        cohort=access.cohort, organization_id__in=blocks
    ).select_related("user", "named_by"):
        blocks[champion.organization_id].champions.append(champion)
    memberships = (
        Membership.objects.filter(
            organization_id__in=blocks,
            user__enrolments__cohort=access.cohort,
            user__enrolments__status=EnrolmentStatus.ACTIVE,
        )
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )
    for membership in memberships:
        block = blocks[membership.organization_id]
        if all(c.user_id != membership.user_id for c in block.champions):
            block.candidates.append(membership.user)
    return list(blocks.values())


def champion_for_manager_or_404(*, access: ChampionsAccess, pk: int) -> CohortChampion:
    champion = (
        CohortChampion.objects.filter(
            pk=pk,
            cohort=access.cohort,
            organization_id__in=[o.pk for o in access.organizations],
        )
        .select_related("user", "organization")
        .first()
    )
    if champion is None:
        raise Http404
    return champion


# The champion's team page --------------------------------------------------------


def championships_of(*, user: User) -> list[CohortChampion]:
    if not user.is_authenticated:
        return []
    return list(
        CohortChampion.objects.filter(user=user)
        .select_related("cohort__course", "organization")
        .order_by("-cohort__starts_on", "organization__name")
    )


@dataclass(slots=True)
class ColleagueRow:
    user: User
    lessons_done: int = 0
    homework: dict[str, int] = field(default_factory=dict)  # status -> count
    homework_missing: int = 0
    attended: int = 0
    shared_workbooks: list[tuple[int, str]] = field(default_factory=list)

    @property
    def homework_approved(self) -> int:
        return self.homework.get(SubmissionStatus.APPROVED, 0)

    @property
    def homework_waiting(self) -> int:
        return self.homework.get(SubmissionStatus.SUBMITTED, 0) + self.homework.get(
            SubmissionStatus.IN_REVIEW, 0
        )

    @property
    def homework_returned(self) -> int:
        return self.homework.get(SubmissionStatus.RETURNED, 0)


@dataclass(slots=True)
class AssignmentRow:
    assignment: Assignment
    counts: dict[str, int] = field(default_factory=dict)
    missing: int = 0

    @property
    def approved(self) -> int:
        return self.counts.get(SubmissionStatus.APPROVED, 0)

    @property
    def waiting(self) -> int:
        return self.counts.get(SubmissionStatus.SUBMITTED, 0) + self.counts.get(
            SubmissionStatus.IN_REVIEW, 0
        )

    @property
    def returned(self) -> int:
        return self.counts.get(SubmissionStatus.RETURNED, 0)


@dataclass(slots=True)
class TeamBlock:
    championship: CohortChampion
    lessons_total: int = 0
    sessions_held: int = 0
    colleagues: list[ColleagueRow] = field(default_factory=list)
    assignments: list[AssignmentRow] = field(default_factory=list)

    @property
    def cohort(self) -> Cohort:
        return self.championship.cohort

    @property
    def organization(self) -> Organization:
        return self.championship.organization


def _lesson_totals(cohorts: list[Cohort]) -> dict[int, int]:
    """Live lessons under each cohort's course, in one query."""
    courses = {c.course.path: c.course_id for c in cohorts}
    if not courses:
        return {}
    paths = Q()
    for path in courses:
        paths |= Q(path__startswith=path)
    totals: dict[int, int] = defaultdict(int)
    for path in LessonPage.objects.live().filter(paths).values_list("path", flat=True):
        for course_path, course_id in courses.items():
            if path.startswith(course_path):
                totals[course_id] += 1
    return totals


def team_progress(*, user: User, now: dt.datetime | None = None) -> list[TeamBlock]:
    """For each cohort + organisation the user champions: the colleagues enrolled and
    their lessons done, homework by status and sessions attended. Nine queries
    whatever the team's size."""
    now = now or timezone.now()
    championships = championships_of(user=user)
    if not championships:
        return []
    blocks = [TeamBlock(championship=c) for c in championships]
    cohorts = {c.cohort_id: c.cohort for c in championships}
    pairs = Q()
    for c in championships:
        pairs |= Q(
            cohort_id=c.cohort_id, user__memberships__organization_id=c.organization_id
        )
    # One row per (cohort, colleague, organisation) pair that a championship covers.
    enrolments = list(
        Enrolment.objects.filter(pairs, status=EnrolmentStatus.ACTIVE).values(
            "cohort_id", "user_id", "user__memberships__organization_id"
        )
    )
    user_ids = {row["user_id"] for row in enrolments}
    people = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}

    totals = _lesson_totals(list(cohorts.values()))
    course_keys = {c.course.translation_key: c.pk for c in cohorts.values()}
    lessons_done: dict[tuple[int, Any], int] = {
        (row["user_id"], row["course_key"]): row["n"]
        for row in LessonProgress.objects.filter(
            user_id__in=user_ids,
            course_key__in=list(course_keys),
            completed_at__isnull=False,
        )
        .values("user_id", "course_key")
        .annotate(n=Count("id"))
    }

    assignments = list(
        Assignment.objects.filter(cohort_id__in=cohorts).order_by(
            "due_at", "position", "id"
        )
    )
    submissions = list(
        Submission.objects.filter(
            trainee_id__in=user_ids, assignment__cohort_id__in=cohorts
        ).values_list("trainee_id", "assignment_id", "status")
    )
    status_of = {(t, a): s for t, a, s in submissions}

    held = dict(
        Session.objects.filter(
            cohort_id__in=cohorts, ends_at__lt=now, trainee__isnull=True
        )
        .values("cohort_id")
        .annotate(n=Count("id"))
        .values_list("cohort_id", "n")
    )
    attended = {
        (row["user_id"], row["session__cohort_id"]): row["n"]
        for row in Attendance.objects.filter(
            user_id__in=user_ids,
            session__cohort_id__in=cohorts,
            session__ends_at__lt=now,
            session__trainee__isnull=True,
            status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE],
        )
        .values("user_id", "session__cohort_id")
        .annotate(n=Count("id"))
    }

    shared: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for owner_id, workbook_id, name in user.shared_workbooks.filter(
        workbook__owner_id__in=user_ids, workbook__archived_at__isnull=True
    ).values_list("workbook__owner_id", "workbook_id", "workbook__name"):
        shared[owner_id].append((workbook_id, name))

    for block in blocks:
        cohort = block.cohort
        block.lessons_total = totals.get(cohort.course_id, 0)
        block.sessions_held = held.get(cohort.pk, 0)
        cohort_assignments = [a for a in assignments if a.cohort_id == cohort.pk]
        members = sorted(
            {
                row["user_id"]
                for row in enrolments
                if row["cohort_id"] == cohort.pk
                and row["user__memberships__organization_id"] == block.organization.pk
            },
            key=lambda pk: (people[pk].display_name, people[pk].email),
        )
        for pk in members:
            row = ColleagueRow(
                user=people[pk],
                lessons_done=lessons_done.get((pk, cohort.course.translation_key), 0),
                attended=attended.get((pk, cohort.pk), 0),
                shared_workbooks=shared.get(pk, []),
            )
            for assignment in cohort_assignments:
                status = status_of.get((pk, assignment.pk))
                if status is None:
                    row.homework_missing += 1
                else:
                    row.homework[status] = row.homework.get(status, 0) + 1
            block.colleagues.append(row)
        for assignment in cohort_assignments:
            counts: dict[str, int] = {}
            missing = 0
            for pk in members:
                status = status_of.get((pk, assignment.pk))
                if status is None:
                    missing += 1
                else:
                    counts[status] = counts.get(status, 0) + 1
            block.assignments.append(
                AssignmentRow(assignment=assignment, counts=counts, missing=missing)
            )
    return blocks


# The re-training log ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LogAccess:
    organization: Organization
    everything: bool  # staff, org admin, the org's champions: all sessions
    cohort_ids: frozenset[int]  # a coach: sessions of the cohorts they coach
    is_champion: bool
    can_name_champions: bool = False  # staff and the org admin


def _coach_cohorts_for_org(user: User, organization: Organization) -> set[int]:
    """Cohorts `user` coaches that train this organisation (in-house or a champion)."""
    return set(
        Cohort.objects.filter(coaches=user)
        .filter(Q(organization=organization) | Q(champions__organization=organization))
        .values_list("pk", flat=True)
    )


def retraining_log_access_or_404(*, user: User, slug: str) -> LogAccess:
    if not user.is_authenticated:
        raise Http404
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404
    is_champion = CohortChampion.objects.filter(
        user=user, organization=organization
    ).exists()
    is_admin = (
        user.is_staff
        or Membership.objects.filter(
            user=user, organization=organization, role=MembershipRole.ADMIN
        ).exists()
    )
    if is_admin or is_champion:
        return LogAccess(organization, True, frozenset(), is_champion, is_admin)
    cohort_ids = _coach_cohorts_for_org(user, organization)
    if not cohort_ids:
        raise Http404
    return LogAccess(organization, False, frozenset(cohort_ids), False)


def retraining_sessions(*, access: LogAccess) -> list[RetrainingSession]:
    """The log, newest first, with attendees: two queries however long it is."""
    sessions = RetrainingSession.objects.filter(organization=access.organization)
    if not access.everything:
        sessions = sessions.filter(cohort_id__in=access.cohort_ids)
    return list(
        sessions.select_related("champion", "cohort").prefetch_related("attendees")
    )


def retraining_summary(sessions: list[RetrainingSession]) -> dict[str, int]:
    reached = set()
    others = 0
    for session in sessions:
        reached.update(a.pk for a in session.attendees.all())
        others += session.attendee_count
    return {
        "sessions": len(sessions),
        "colleagues": len(reached),
        "others": others,
    }


def log_organizations_for(*, user: User) -> list[Organization]:
    """The organisations whose re-training log `user` may read (the index page)."""
    if not user.is_authenticated:
        return []
    if user.is_staff:
        return list(
            Organization.objects.filter(retraining_sessions__isnull=False)
            .distinct()
            .order_by("name")
        )
    return list(
        Organization.objects.filter(
            Q(memberships__user=user, memberships__role=MembershipRole.ADMIN)
            | Q(cohort_champions__user=user)
            | Q(cohorts__coaches=user)
            | Q(cohort_champions__cohort__coaches=user)
        )
        .distinct()
        .order_by("name")
    )


def retraining_session_of_champion_or_404(*, user: User, pk: int) -> RetrainingSession:
    session = (
        RetrainingSession.objects.filter(pk=pk, champion=user)
        .select_related("organization", "cohort")
        .prefetch_related("attendees")
        .first()
        if user.is_authenticated
        else None
    )
    if session is None:
        raise Http404
    return session


def retraining_session_for_reader_or_404(*, user: User, pk: int) -> RetrainingSession:
    """A session whose log `user` may read (for its materials file)."""
    session = (
        RetrainingSession.objects.filter(pk=pk).select_related("organization").first()
    )
    if session is None:
        raise Http404
    access = retraining_log_access_or_404(user=user, slug=session.organization.slug)
    if not access.everything and session.cohort_id not in access.cohort_ids:
        raise Http404
    return session


def champions_of_organization(
    *, organization: Organization
) -> list[tuple[Cohort, list[CohortChampion]]]:
    """The cohorts training this organisation's people, with its champions in each."""
    cohorts = list(
        Cohort.objects.filter(
            Q(organization=organization)
            | Q(
                enrolments__status=EnrolmentStatus.ACTIVE,
                enrolments__user__memberships__organization=organization,
            )
        )
        .distinct()
        .order_by("-starts_on", "name")
    )
    by_cohort: dict[int, list[CohortChampion]] = {c.pk: [] for c in cohorts}
    for champion in CohortChampion.objects.filter(
        organization=organization, cohort_id__in=by_cohort
    ).select_related("user"):
        by_cohort[champion.cohort_id].append(champion)
    return [(c, by_cohort[c.pk]) for c in cohorts]


def organization_members(*, organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organization=organization, is_active=True
    ).order_by("display_name", "email")
