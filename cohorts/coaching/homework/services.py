"""Writes for homework: assignments and rubrics, submission versions, claims and reviews.

Rules decided here (and shown to users where they meet them):

* A cohort is *closed* from the day after ``ends_on`` in the cohort's time zone; no
  submissions are taken from then on.
* A trainee may add a version when they have none yet, while the latest one waits and no
  coach holds a live claim on it (the new version replaces what the coach will read and
  keeps its place in the queue), or after it was returned for revision (it rejoins the
  queue at the back). Nothing is accepted while a coach reviews it or once approved.
* A claim is taken by one conditional UPDATE, so two coaches racing for the same
  submission can never both hold it; a claim older than ``COACHING_CLAIM_MINUTES`` may
  be taken over. Reviewing takes the claim the same way first.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext_lazy as _

from cohorts.coaching.homework.scoring import score_percent
from cohorts.coaching.models import (
    Assignment,
    AssignmentKind,
    CriterionScore,
    NodeComment,
    Review,
    ReviewDecision,
    RubricCriterion,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from cohorts.models import Cohort
from cohorts.selectors import cohort_access

if TYPE_CHECKING:
    from accounts.models import User

INSTRUCTION_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4",
    "blockquote", "code", "pre",
}  # fmt: skip


HTML_TAG = re.compile(r"<[a-zA-Z/!]")


class HomeworkError(Exception):
    """Bad input or a refused action, with a message for the user (in their language)."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


# --- Assignments and rubrics --------------------------------------------------------


def instructions_clean(text: str) -> str:
    """Sanitised HTML: plain text becomes paragraphs, HTML keeps a few safe tags."""
    text = (text or "").strip()
    if not text:
        return ""
    if not HTML_TAG.search(text):
        return linebreaks(escape(text))
    return nh3.clean(
        text,
        tags=INSTRUCTION_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
    )


@dataclass(slots=True)
class CriterionInput:
    title: str
    description: str = ""
    weight: int = 1
    max_points: int = 4
    levels: list[dict[str, Any]] = field(default_factory=list)
    pk: int | None = None


def _require_teacher(*, cohort: Cohort, user: User) -> None:
    if not cohort_access(cohort=cohort, user=user).can_teach:
        raise PermissionDenied


@transaction.atomic
def assignment_save(
    *,
    cohort: Cohort,
    user: User,
    assignment: Assignment | None,
    values: dict[str, Any],
    criteria: Sequence[CriterionInput],
    removed: Sequence[int] = (),
) -> Assignment:
    """Create or update an assignment and its rubric in one go (all or nothing)."""
    _require_teacher(cohort=cohort, user=user)
    if assignment is None:
        assignment = Assignment(cohort=cohort, created_by=user)
    elif assignment.cohort_id != cohort.pk:
        raise PermissionDenied
    for name in ("title", "kind", "due_at", "lesson", "is_required"):
        setattr(assignment, name, values[name])
    assignment.instructions = instructions_clean(values.get("instructions", ""))
    assignment.save()
    if removed:
        doomed = RubricCriterion.objects.filter(assignment=assignment, pk__in=removed)
        if doomed.filter(scores__isnull=False).exists():
            raise HomeworkError(
                _(
                    "A criterion that reviews have already scored cannot be removed. "
                    "Edit its wording instead."
                )
            )
        doomed.delete()
    existing = {c.pk: c for c in assignment.criteria.all()}
    for position, item in enumerate(criteria):
        criterion = existing.get(item.pk) if item.pk else None
        if criterion is None:
            criterion = RubricCriterion(assignment=assignment)
        criterion.title = item.title
        criterion.description = item.description
        criterion.weight = item.weight
        criterion.max_points = item.max_points
        criterion.levels = item.levels
        criterion.position = position
        criterion.save()
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, user: User) -> None:
    """Only assignments nobody has submitted to: trainees' work is never thrown away."""
    _require_teacher(cohort=assignment.cohort, user=user)
    if assignment.submissions.exists():
        raise HomeworkError(
            _(
                "Trainees have already handed in work for this assignment, so it "
                "cannot be deleted."
            )
        )
    assignment.delete()


# --- Submissions --------------------------------------------------------------------


def cohort_is_closed(cohort: Cohort, *, now: dt.datetime | None = None) -> bool:
    """Closed from the day after ``ends_on``, counted in the cohort's own time zone."""
    if cohort.ends_on is None:
        return False
    today = timezone.localdate(now or timezone.now(), timezone=cohort.zone)
    return today > cohort.ends_on


def claim_is_live(submission: Submission, *, now: dt.datetime) -> bool:
    expires = submission.claim_expires_at()
    return (
        submission.claimed_by_id is not None and expires is not None and expires > now
    )


def file_check(upload: UploadedFile) -> None:
    """Size and extension from settings; the message names both limits."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    allowed = [e.lower() for e in settings.HOMEWORK_FILE_EXTENSIONS]
    if extension not in allowed:
        raise HomeworkError(
            _("“%(name)s” is not a file type we accept. Upload one of: %(extensions)s.")
            % {"name": upload.name, "extensions": ", ".join(allowed)},
            field="file",
        )
    if upload.size is not None and upload.size > settings.HOMEWORK_MAX_BYTES:
        raise HomeworkError(
            _("“%(name)s” is %(size)s; files can be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.HOMEWORK_MAX_BYTES),
            },
            field="file",
        )


def _check_content(
    *,
    assignment: Assignment,
    text: str,
    upload: UploadedFile | None,
    attach_snapshot: Callable[[SubmissionVersion], object] | None,
) -> None:
    if assignment.kind == AssignmentKind.TEXT and not text.strip():
        raise HomeworkError(_("Write your answer before submitting."), field="text")
    if assignment.kind == AssignmentKind.FILE:
        if upload is None:
            raise HomeworkError(_("Choose a file to upload."), field="file")
        file_check(upload)
    if assignment.kind == AssignmentKind.WORKBOOK and attach_snapshot is None:
        raise HomeworkError(_("Choose one of your workbooks to submit."))


def _check_may_submit(submission: Submission, *, now: dt.datetime) -> None:
    if submission.status == SubmissionStatus.APPROVED:
        raise HomeworkError(
            _("This homework is approved; there is nothing more to hand in.")
        )
    if submission.status == SubmissionStatus.IN_REVIEW and claim_is_live(
        submission, now=now
    ):
        raise HomeworkError(
            _(
                "A coach is reviewing your latest version right now. You can hand "
                "in a new version if they return it for revision."
            )
        )


@transaction.atomic
def submission_add_version(
    *,
    assignment: Assignment,
    trainee: User,
    text: str = "",
    upload: UploadedFile | None = None,
    note: str = "",
    attach_snapshot: Callable[[SubmissionVersion], object] | None = None,
    now: dt.datetime | None = None,
) -> SubmissionVersion:
    """Add version n+1 of the trainee's work (version 1 creates the submission).

    ``attach_snapshot`` is how the workbook app hangs a frozen workbook on the new
    version inside this transaction (cohorts never imports the workbook app)."""
    now = now or timezone.now()
    cohort = assignment.cohort
    if not cohort_access(cohort=cohort, user=trainee).is_active_trainee:
        raise PermissionDenied
    if cohort_is_closed(cohort, now=now):
        raise HomeworkError(
            _("%(cohort)s has ended, so it no longer takes homework.")
            % {"cohort": cohort.name}
        )
    _check_content(
        assignment=assignment, text=text, upload=upload, attach_snapshot=attach_snapshot
    )
    submission, created = Submission.objects.select_for_update().get_or_create(
        assignment=assignment,
        trainee=trainee,
        defaults={"first_submitted_at": now, "waiting_since": now},
    )
    if not created:
        _check_may_submit(submission, now=now)
    rejoins_queue = created or submission.status == SubmissionStatus.RETURNED
    version = SubmissionVersion(
        submission=submission,
        number=submission.version_count + 1,
        text=text.strip() if assignment.kind == AssignmentKind.TEXT else "",
        note=note.strip(),
        is_late=now > assignment.due_at,
        created_at=now,
    )
    if upload is not None and assignment.kind == AssignmentKind.FILE:
        version.file_name = PurePath(upload.name or "file").name[:255]
        version.file.save(version.file_name, upload, save=False)
    version.save()
    Submission.objects.filter(pk=submission.pk).update(
        version_count=version.number,
        status=SubmissionStatus.SUBMITTED,
        waiting_since=now if rejoins_queue else submission.waiting_since,
        claimed_by=None,
        claimed_at=None,
    )
    if attach_snapshot is not None:
        attach_snapshot(version)
    return version


# --- Claims -------------------------------------------------------------------------


def _claimable(coach: User, *, now: dt.datetime) -> Q:
    expired_before = now - dt.timedelta(minutes=settings.COACHING_CLAIM_MINUTES)
    return Q(status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW]) & (
        Q(claimed_by__isnull=True)
        | Q(claimed_by=coach)
        | Q(claimed_at__lt=expired_before)
        | Q(claimed_at__isnull=True)
    )


def _refusal(submission_pk: int, *, coach: User) -> HomeworkError:
    current = Submission.objects.select_related("claimed_by").get(pk=submission_pk)
    if current.status in (SubmissionStatus.APPROVED, SubmissionStatus.RETURNED):
        return HomeworkError(
            _("This version has already been reviewed; there is nothing to review.")
        )
    name = current.claimed_by.display_name if current.claimed_by else ""
    return HomeworkError(
        _(
            "%(coach)s is reviewing this submission (claimed at %(time)s). You can "
            "take it over once the claim expires at %(expires)s."
        )
        % {
            "coach": name,
            "time": timezone.localtime(current.claimed_at).strftime("%H:%M"),
            "expires": timezone.localtime(current.claim_expires_at()).strftime("%H:%M"),
        }
    )


def _take_claim(*, submission: Submission, coach: User, now: dt.datetime) -> None:
    taken = (
        Submission.objects.filter(pk=submission.pk)
        .filter(_claimable(coach, now=now))
        .update(status=SubmissionStatus.IN_REVIEW, claimed_by=coach, claimed_at=now)
    )
    if not taken:
        raise _refusal(submission.pk, coach=coach)


@transaction.atomic
def submission_claim(
    *, submission: Submission, coach: User, now: dt.datetime | None = None
) -> Submission:
    """Claim for review (or renew one's own claim). One UPDATE decides who gets it."""
    _require_teacher(cohort=submission.assignment.cohort, user=coach)
    now = now or timezone.now()
    _take_claim(submission=submission, coach=coach, now=now)
    submission.refresh_from_db()
    return submission


@transaction.atomic
def submission_release(*, submission: Submission, coach: User) -> Submission:
    """Give a claim back; only its holder can, and the work waits again."""
    _require_teacher(cohort=submission.assignment.cohort, user=coach)
    released = Submission.objects.filter(
        pk=submission.pk, claimed_by=coach, status=SubmissionStatus.IN_REVIEW
    ).update(status=SubmissionStatus.SUBMITTED, claimed_by=None, claimed_at=None)
    if not released:
        raise HomeworkError(_("You do not hold a claim on this submission."))
    submission.refresh_from_db()
    return submission


# --- Reviews ------------------------------------------------------------------------


@dataclass(slots=True)
class ScoreInput:
    points: int | None
    comment: str = ""


@dataclass(slots=True)
class ActionItemInput:
    description: str
    due_date: dt.date | None = None


def _check_scores(
    criteria: Sequence[RubricCriterion], scores: dict[int, ScoreInput]
) -> list[tuple[RubricCriterion, ScoreInput]]:
    checked = []
    for criterion in criteria:
        score = scores.get(criterion.pk)
        if score is None or score.points is None:
            raise HomeworkError(
                _("Score “%(criterion)s” before saving the review.")
                % {"criterion": criterion.title},
                field=f"points-{criterion.pk}",
            )
        if not 0 <= score.points <= criterion.max_points:
            raise HomeworkError(
                _(
                    "“%(criterion)s” takes 0 to %(max)s points; %(points)s is out of "
                    "range. Nothing was saved."
                )
                % {
                    "criterion": criterion.title,
                    "max": criterion.max_points,
                    "points": score.points,
                },
                field=f"points-{criterion.pk}",
            )
        checked.append((criterion, score))
    return checked


def _check_action_items(
    items: Sequence[ActionItemInput], *, cohort: Cohort, now: dt.datetime
) -> list[ActionItemInput]:
    today = timezone.localdate(now, timezone=cohort.zone)
    kept = [i for i in items if i.description.strip()]
    for item in kept:
        if item.due_date is not None and item.due_date < today:
            raise HomeworkError(
                _(
                    "The action item “%(what)s” is due on %(due)s, which has already "
                    "passed. Pick today or a later day. Nothing was saved."
                )
                % {"what": item.description.strip()[:60], "due": item.due_date},
                field="action_items",
            )
    return kept


@transaction.atomic
def submission_review(
    *,
    submission: Submission,
    coach: User,
    decision: str,
    scores: dict[int, ScoreInput],
    comment: str = "",
    node_comments: dict[str, str] | None = None,
    action_items: Sequence[ActionItemInput] = (),
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Review:
    """Score the latest version, approve or return it; one transaction, claim cleared.

    ``expected_version`` is the version the coach read: if the trainee handed in a
    newer one meanwhile (possible when the coach did not claim first), nothing is
    saved and the coach is told to read the new one."""
    assignment = submission.assignment
    _require_teacher(cohort=assignment.cohort, user=coach)
    now = now or timezone.now()
    if decision not in ReviewDecision.values:
        raise HomeworkError(_("Choose to approve or to return for revision."))
    _take_claim(submission=submission, coach=coach, now=now)
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    version = SubmissionVersion.objects.get(
        submission=locked, number=locked.version_count
    )
    if expected_version is not None and expected_version != version.number:
        raise HomeworkError(
            _(
                "The trainee handed in version %(number)s while you were reviewing. "
                "Read it first; nothing was saved."
            )
            % {"number": version.number}
        )
    if Review.objects.filter(version=version).exists():
        raise HomeworkError(_("This version has already been reviewed."))
    checked = _check_scores(list(assignment.criteria.all()), scores)
    items = _check_action_items(action_items, cohort=assignment.cohort, now=now)
    percent = score_percent((c.weight, s.points or 0, c.max_points) for c, s in checked)
    review = Review.objects.create(
        submission=locked,
        version=version,
        reviewer=coach,
        decision=decision,
        comment=comment.strip(),
        score_percent=percent,
        started_at=locked.waiting_since,
        created_at=now,
    )
    CriterionScore.objects.bulk_create(
        CriterionScore(
            review=review, criterion=c, points=s.points, comment=s.comment.strip()
        )
        for c, s in checked
    )
    NodeComment.objects.bulk_create(
        NodeComment(review=review, node_id=node[:100], body=body.strip())
        for node, body in (node_comments or {}).items()
        if body.strip()
    )
    for item in items:
        locked.action_items.create(
            owner=locked.trainee,
            created_by=coach,
            description=item.description.strip(),
            due_date=item.due_date,
            source="homework_review",
        )
    approved = decision == ReviewDecision.APPROVE
    Submission.objects.filter(pk=locked.pk).update(
        status=SubmissionStatus.APPROVED if approved else SubmissionStatus.RETURNED,
        claimed_by=None,
        claimed_at=None,
        approved_at=now if approved else None,
        score_percent=percent,
    )
    submission.refresh_from_db()
    return review
