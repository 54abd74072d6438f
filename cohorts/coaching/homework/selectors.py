"""Reads for homework: who may see what (``*_or_404``), assignment lists with the
viewer's status, a submission's versions with what changed, and the feedback."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from cohorts.coaching.homework.services import claim_is_live, cohort_is_closed
from cohorts.coaching.models import (
    Assignment,
    AssignmentKind,
    CriterionScore,
    Review,
    RubricCriterion,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from cohorts.models import Cohort
from cohorts.selectors import CohortAccess, cohort_access, cohort_for_user_or_404
from courses.models import LessonPage

if TYPE_CHECKING:
    from accounts.models import User

NOT_STARTED = "not_started"


# --- Permission checks --------------------------------------------------------------


def cohort_for_homework_or_404(*, user: User, slug: str) -> tuple[Cohort, CohortAccess]:
    """Trainees of the cohort, its coaches and staff; everyone else gets 404."""
    cohort = cohort_for_user_or_404(user=user, slug=slug)
    access = cohort_access(cohort=cohort, user=user)
    if not (access.is_active_trainee or access.can_teach):
        raise Http404
    return cohort, access


def assignment_for_user_or_404(
    *, user: User, pk: int
) -> tuple[Assignment, CohortAccess]:
    assignment = (
        Assignment.objects.select_related("cohort", "cohort__course", "lesson")
        .filter(pk=pk, cohort__in=Cohort.objects.visible_to(user))
        .first()
    )
    if assignment is None:
        raise Http404
    access = cohort_access(cohort=assignment.cohort, user=user)
    if not (access.is_active_trainee or access.can_teach):
        raise Http404
    return assignment, access


def assignment_for_coach_or_404(*, user: User, pk: int) -> Assignment:
    assignment, access = assignment_for_user_or_404(user=user, pk=pk)
    if not access.can_teach:
        raise Http404
    return assignment


def submission_for_coach_or_404(*, user: User, pk: int) -> Submission:
    """The coach's view of one trainee's work: coaches of its cohort and staff only."""
    submission = (
        Submission.objects.select_related(
            "assignment", "assignment__cohort", "trainee", "claimed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if submission is None:
        raise Http404
    if not cohort_access(cohort=submission.assignment.cohort, user=user).can_teach:
        raise Http404
    return submission


def version_for_viewer_or_404(*, user: User, pk: int) -> SubmissionVersion:
    """A version's file: its trainee, or a coach of the cohort."""
    version = (
        SubmissionVersion.objects.select_related(
            "submission", "submission__assignment__cohort"
        )
        .filter(pk=pk)
        .first()
    )
    if version is None:
        raise Http404
    submission = version.submission
    if submission.trainee_id != user.pk and not (
        cohort_access(cohort=submission.assignment.cohort, user=user).can_teach
    ):
        raise Http404
    return version


# --- Assignment lists ---------------------------------------------------------------


@dataclass(slots=True)
class AssignmentRow:
    assignment: Assignment
    status: str  # SubmissionStatus value or NOT_STARTED
    submission: Submission | None = None
    is_late: bool = False
    is_overdue: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # coaches: per status


def trainee_status(submission: Submission | None, *, now: dt.datetime) -> str:
    """What the trainee sees: an expired claim reads as waiting again."""
    if submission is None:
        return NOT_STARTED
    if submission.status == SubmissionStatus.IN_REVIEW and not claim_is_live(
        submission, now=now
    ):
        return SubmissionStatus.SUBMITTED
    return submission.status


def assignments_for_cohort(
    *, cohort: Cohort, user: User, access: CohortAccess
) -> list[AssignmentRow]:
    """Three queries: assignments, the viewer's submissions (trainee) or every
    submission's status (coach)."""
    now = timezone.now()
    assignments = list(
        Assignment.objects.filter(cohort=cohort).select_related("lesson")
    )
    rows = []
    if access.can_teach:
        counts: dict[int, dict[str, int]] = {}
        for assignment_id, status in Submission.objects.filter(
            assignment__cohort=cohort
        ).values_list("assignment_id", "status"):
            per = counts.setdefault(assignment_id, {})
            per[status] = per.get(status, 0) + 1
        for a in assignments:
            rows.append(AssignmentRow(a, NOT_STARTED, counts=counts.get(a.pk, {})))
        return rows
    mine = {
        s.assignment_id: s
        for s in Submission.objects.filter(
            assignment__cohort=cohort, trainee=user
        ).prefetch_related(
            Prefetch(
                "versions",
                queryset=SubmissionVersion.objects.only(
                    "pk", "submission_id", "is_late", "number"
                ),
            )
        )
    }
    for a in assignments:
        submission = mine.get(a.pk)
        rows.append(
            AssignmentRow(
                a,
                trainee_status(submission, now=now),
                submission,
                is_late=bool(submission)
                and any(v.is_late for v in submission.versions.all()),
                is_overdue=submission is None and a.due_at < now,
            )
        )
    return rows


def lessons_for_cohort(cohort: Cohort) -> QuerySet[LessonPage]:
    return LessonPage.objects.descendant_of(cohort.course).live().order_by("path")


# --- One trainee's submission -------------------------------------------------------


@dataclass(slots=True)
class DiffLine:
    kind: str  # "add", "remove", "same", "gap"
    text: str


@dataclass(slots=True)
class VersionView:
    version: SubmissionVersion
    review: Review | None
    scores: list[tuple[RubricCriterion, CriterionScore | None, dict | None]]
    changes: list[DiffLine]
    change_summary: str  # for files and workbooks: "a.pdf (12 KB) → b.pdf (20 KB)"
    snapshot: object | None = None


def text_diff(before: str, after: str) -> list[DiffLine]:
    """A unified diff with two lines of context, as rows a phone can show."""
    lines = []
    for line in difflib.unified_diff(
        before.splitlines(), after.splitlines(), lineterm="", n=2
    ):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            lines.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            lines.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            lines.append(DiffLine("remove", line[1:]))
        else:
            lines.append(DiffLine("same", line[1:]))
    return lines


def _file_label(version: SubmissionVersion) -> str:
    from django.template.defaultfilters import filesizeformat

    if not version.file:
        return "—"
    try:
        size = filesizeformat(version.file.size)
    except OSError:
        size = "?"
    return f"{version.file_name} ({size})"


def _snapshot(version: SubmissionVersion) -> object | None:
    try:
        return version.workbook_snapshot
    except Exception:
        return None


def _level_for(criterion: RubricCriterion, points: int | None) -> dict | None:
    """The level descriptor the points reach (highest level at or below them)."""
    if points is None:
        return None
    reached = [lv for lv in criterion.levels if int(lv.get("points", 0)) <= points]
    return max(reached, key=lambda lv: int(lv.get("points", 0)), default=None)


def submission_history(submission: Submission) -> list[VersionView]:
    """Every version, newest first, with its review, scores and what changed since
    the version before. A fixed number of queries however many versions."""
    criteria = list(submission.assignment.criteria.all())
    versions = list(
        submission.versions.select_related("workbook_snapshot")
        .prefetch_related(
            Prefetch(
                "review",
                queryset=Review.objects.select_related("reviewer").prefetch_related(
                    "scores", "node_comments"
                ),
            )
        )
        .order_by("number")
    )
    views = []
    previous: SubmissionVersion | None = None
    for version in versions:
        review = getattr(version, "review", None) if _has_review(version) else None
        by_criterion = (
            {s.criterion_id: s for s in review.scores.all()} if review else {}
        )
        scores = [
            (
                c,
                by_criterion.get(c.pk),
                _level_for(c, getattr(by_criterion.get(c.pk), "points", None)),
            )
            for c in criteria
        ]
        changes: list[DiffLine] = []
        summary = ""
        kind = submission.assignment.kind
        if previous is not None and kind == AssignmentKind.TEXT:
            changes = text_diff(previous.text, version.text)
        elif previous is not None and kind == AssignmentKind.FILE:
            summary = f"{_file_label(previous)} → {_file_label(version)}"
        elif previous is not None and kind == AssignmentKind.WORKBOOK:
            before, after = _snapshot(previous), _snapshot(version)
            summary = (
                f"{getattr(before, 'title', '—')} → {getattr(after, 'title', '—')}"
            )
        views.append(
            VersionView(version, review, scores, changes, summary, _snapshot(version))
        )
        previous = version
    views.reverse()
    return views


def _has_review(version: SubmissionVersion) -> bool:
    try:
        version.review  # noqa: B018 - prefetched
    except Review.DoesNotExist:
        return False
    return True


def my_submission(*, assignment: Assignment, user: User) -> Submission | None:
    return Submission.objects.filter(assignment=assignment, trainee=user).first()


@dataclass(slots=True)
class SubmitState:
    """Whether the trainee may hand in now, and if not, why (shown on the page)."""

    allowed: bool
    reason: str = ""


def submit_state(
    *, assignment: Assignment, submission: Submission | None
) -> SubmitState:
    from django.utils.translation import gettext as _

    now = timezone.now()
    if cohort_is_closed(assignment.cohort, now=now):
        return SubmitState(
            False, _("This cohort has ended; it no longer takes homework.")
        )
    if submission is None:
        return SubmitState(True)
    status = trainee_status(submission, now=now)
    if status == SubmissionStatus.APPROVED:
        return SubmitState(False, _("Approved — nothing more to hand in."))
    if status == SubmissionStatus.IN_REVIEW:
        return SubmitState(
            False,
            _("A coach is reviewing your latest version. Wait for their feedback."),
        )
    return SubmitState(True)


# --- Home panels --------------------------------------------------------------------


@dataclass(slots=True)
class TraineeHomework:
    due: list[Assignment]
    returned: list[Submission]


def homework_for_trainee_home(user: User, *, limit: int = 5) -> TraineeHomework:
    """Two queries: assignments not yet handed in (soonest due first) in the user's
    active cohorts, and their work returned for revision."""
    from cohorts.models import EnrolmentStatus

    due = list(
        Assignment.objects.filter(
            cohort__enrolments__user=user,
            cohort__enrolments__status=EnrolmentStatus.ACTIVE,
        )
        .exclude(submissions__trainee=user)
        .select_related("cohort")
        .order_by("due_at")[:limit]
    )
    returned = list(
        Submission.objects.filter(trainee=user, status=SubmissionStatus.RETURNED)
        .select_related("assignment", "assignment__cohort")
        .order_by("waiting_since")[:limit]
    )
    return TraineeHomework(due, returned)
