"""The coach's review queue and the per-coach review figures.

The queue answers in a fixed number of queries however many submissions wait: the
cohort scope is a subquery, rows come with their assignment, cohort, trainee and
claimer joined, the version number is the denormalised ``version_count``, and the
paginator adds one COUNT.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from cohorts.coaching.models import Assignment, Review, Submission, SubmissionStatus
from cohorts.models import Cohort

PENDING = "pending"
ALL = "all"
WAITING_HOURS = (24, 72, 168)


def coached_cohorts(user: User) -> QuerySet[Cohort]:
    """Staff see every cohort's homework; coaches the cohorts they coach."""
    if user.is_staff:
        return Cohort.objects.all()
    return Cohort.objects.filter(coaches=user)


@dataclass(frozen=True, slots=True)
class QueueFilters:
    cohort_id: int | None = None
    assignment_id: int | None = None
    status: str = PENDING
    waited_hours: int | None = None


def _claim_cutoff(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.COACHING_CLAIM_MINUTES)


def review_queue(
    *, user: User, filters: QueueFilters, now: dt.datetime | None = None
) -> QuerySet[Submission]:
    """Oldest waiting first. ``pending`` = waiting or in review (the default)."""
    now = now or timezone.now()
    rows = Submission.objects.filter(
        assignment__cohort__in=coached_cohorts(user).values("pk")
    )
    if filters.cohort_id:
        rows = rows.filter(assignment__cohort_id=filters.cohort_id)
    if filters.assignment_id:
        rows = rows.filter(assignment_id=filters.assignment_id)
    if filters.status == PENDING:
        rows = rows.filter(
            status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW]
        )
    elif filters.status in SubmissionStatus.values:
        rows = rows.filter(status=filters.status)
    if filters.waited_hours:
        rows = rows.filter(
            waiting_since__lte=now - dt.timedelta(hours=filters.waited_hours)
        )
    return rows.select_related(
        "assignment", "assignment__cohort", "trainee", "claimed_by"
    ).order_by("waiting_since", "id")


def queue_choices(user: User) -> tuple[list[Cohort], list[Assignment]]:
    """The cohorts and assignments the filters offer (two queries)."""
    cohorts = list(coached_cohorts(user).only("pk", "name").order_by("name"))
    assignments = list(
        Assignment.objects.filter(cohort__in=coached_cohorts(user).values("pk"))
        .select_related("cohort")
        .only("pk", "title", "cohort__name")
        .order_by("cohort__name", "due_at")
    )
    return cohorts, assignments


# --- Per-coach figures --------------------------------------------------------------


@dataclass(slots=True)
class CoachFigures:
    coach: User
    claimed: int = 0
    unclaimed: int = 0
    done_30_days: int = 0
    done_total: int = 0
    median_hours: float | None = None

    @property
    def pending(self) -> int:
        return self.claimed + self.unclaimed


def median_hours(durations: list[dt.timedelta]) -> float | None:
    """Median time from a version's arrival (``Review.started_at``) to its review.

    Computed in Python over the durations: portable across SQLite and PostgreSQL,
    and the list is one coach's reviews, small by nature."""
    if not durations:
        return None
    return round(statistics.median(d.total_seconds() for d in durations) / 3600, 1)


def coach_figures(*, user: User, now: dt.datetime | None = None) -> list[CoachFigures]:
    """Per coach of the viewer's cohorts: pending (held by them + unclaimed in their
    cohorts), reviews done in 30 days and ever, median time to review — all counted
    within the cohorts the viewer may see. Six queries."""
    now = now or timezone.now()
    cutoff = _claim_cutoff(now)
    cohorts = list(coached_cohorts(user).prefetch_related("coaches"))
    cohort_ids = [c.pk for c in cohorts]
    figures: dict[int, CoachFigures] = {}
    cohorts_of: dict[int, list[int]] = {}
    for cohort in cohorts:
        for coach in cohort.coaches.all():
            figures.setdefault(coach.pk, CoachFigures(coach))
            cohorts_of.setdefault(coach.pk, []).append(cohort.pk)
    in_scope = Submission.objects.filter(assignment__cohort_id__in=cohort_ids)
    unclaimed_rows = (
        in_scope.filter(
            Q(status=SubmissionStatus.SUBMITTED)
            | Q(status=SubmissionStatus.IN_REVIEW, claimed_at__lt=cutoff)
        )
        .values("assignment__cohort_id")
        .annotate(n=Count("pk"))
    )
    unclaimed = {r["assignment__cohort_id"]: r["n"] for r in unclaimed_rows}
    claimed_rows = (
        in_scope.filter(status=SubmissionStatus.IN_REVIEW, claimed_at__gte=cutoff)
        .values("claimed_by_id")
        .annotate(n=Count("pk"))
    )
    claimed = {r["claimed_by_id"]: r["n"] for r in claimed_rows}
    reviews = Review.objects.filter(
        submission__assignment__cohort_id__in=cohort_ids, reviewer__isnull=False
    )
    done_rows = reviews.values("reviewer_id").annotate(
        total=Count("pk"),
        recent=Count("pk", filter=Q(created_at__gte=now - dt.timedelta(days=30))),
    )
    durations: dict[int, list[dt.timedelta]] = {}
    for reviewer_id, created_at, started_at in reviews.values_list(
        "reviewer_id", "created_at", "started_at"
    ):
        durations.setdefault(reviewer_id, []).append(created_at - started_at)
    for row in done_rows:
        if row["reviewer_id"] in figures:
            figures[row["reviewer_id"]].done_total = row["total"]
            figures[row["reviewer_id"]].done_30_days = row["recent"]
    for coach_id, item in figures.items():
        item.claimed = claimed.get(coach_id, 0)
        item.unclaimed = sum(unclaimed.get(c, 0) for c in cohorts_of[coach_id])
        item.median_hours = median_hours(durations.get(coach_id, []))
    return sorted(figures.values(), key=lambda f: (-f.pending, f.coach.display_name))


def pending_count_for(user: User) -> int:
    """Home panel figure: waiting or in review in the user's cohorts (one query)."""
    return Submission.objects.filter(
        assignment__cohort__in=coached_cohorts(user).values("pk"),
        status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW],
    ).count()
