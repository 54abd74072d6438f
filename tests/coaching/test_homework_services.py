"""Homework services: versions, lateness, closed cohorts, claims, reviews, scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from cohorts.coaching.homework import services
from cohorts.coaching.homework.scoring import score_percent
from cohorts.coaching.homework.services import (
    ActionItemInput,
    HomeworkError,
    ScoreInput,
)
from cohorts.coaching.models import (
    AssignmentKind,
    CriterionScore,
    NodeComment,
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from tests.factories.coaching import homework_cohort
from tests.factories.cohorts import CoachFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are asserted in English; the site's default language is Chinese."""
    with translation.override("en"):
        yield


def _scores(assignment, *points):  # type: ignore[no-untyped-def]
    return {
        c.pk: ScoreInput(points=p, comment=f"c{p}")
        for c, p in zip(assignment.criteria.all(), points, strict=True)
    }


def test_first_version_creates_the_submission() -> None:
    _, _, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="GMV 1200 万"
    )
    submission = version.submission
    submission.refresh_from_db()
    assert version.number == 1
    assert not version.is_late
    assert submission.version_count == 1
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.waiting_since == version.created_at


def test_returned_work_resubmitted_is_version_two_and_keeps_version_one() -> None:
    _, coach, trainee, assignment = homework_cohort()
    first = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    submission = first.submission
    services.submission_review(
        submission=submission,
        coach=coach,
        decision="return",
        scores=_scores(assignment, 2, 1),
    )
    later = timezone.now() + dt.timedelta(hours=5)
    second = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v2", now=later
    )
    submission.refresh_from_db()
    assert second.number == 2
    assert list(submission.versions.values_list("text", flat=True)) == ["v1", "v2"]
    assert submission.version_count == 2
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.waiting_since == later  # back in the queue from now


def test_new_version_while_waiting_keeps_its_place_in_the_queue() -> None:
    _, _, trainee, assignment = homework_cohort()
    first = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_add_version(
        assignment=assignment,
        trainee=trainee,
        text="v1 fixed",
        now=timezone.now() + dt.timedelta(minutes=10),
    )
    submission = Submission.objects.get()
    assert submission.version_count == 2
    assert submission.waiting_since == first.created_at


def test_version_after_due_date_is_late() -> None:
    _, _, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment,
        trainee=trainee,
        text="late",
        now=assignment.due_at + dt.timedelta(minutes=1),
    )
    assert version.is_late


def test_closed_cohort_refuses_and_saves_nothing() -> None:
    cohort, _, trainee, assignment = homework_cohort()
    cohort.ends_on = timezone.localdate(timezone=cohort.zone) - dt.timedelta(days=1)
    cohort.save()
    with pytest.raises(HomeworkError, match="has ended"):
        services.submission_add_version(
            assignment=assignment, trainee=trainee, text="too late"
        )
    assert not Submission.objects.exists()


def test_last_day_of_the_cohort_still_takes_homework() -> None:
    cohort, _, trainee, assignment = homework_cohort()
    cohort.ends_on = timezone.localdate(timezone=cohort.zone)
    cohort.save()
    services.submission_add_version(assignment=assignment, trainee=trainee, text="ok")
    assert Submission.objects.count() == 1


def test_approved_work_takes_no_more_versions() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_review(
        submission=version.submission,
        coach=coach,
        decision="approve",
        scores=_scores(assignment, 4, 4),
    )
    with pytest.raises(HomeworkError, match="approved"):
        services.submission_add_version(
            assignment=assignment, trainee=trainee, text="v2"
        )
    assert SubmissionVersion.objects.count() == 1


def test_no_version_while_a_coach_holds_the_claim() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_claim(submission=version.submission, coach=coach)
    with pytest.raises(HomeworkError, match="reviewing"):
        services.submission_add_version(
            assignment=assignment, trainee=trainee, text="v2"
        )


def test_outsider_cannot_submit() -> None:
    _, _, _, assignment = homework_cohort()
    with pytest.raises(PermissionDenied):
        services.submission_add_version(
            assignment=assignment, trainee=CoachFactory(), text="x"
        )


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("plan.exe", 10, "is not a file type we accept"),
        ("plan.pdf", 2_000, "files can be at most"),
    ],
)
def test_bad_uploads_are_refused(settings, name: str, size: int, message: str) -> None:  # type: ignore[no-untyped-def]
    settings.HOMEWORK_MAX_BYTES = 1_000
    _, _, trainee, assignment = homework_cohort()
    assignment.kind = AssignmentKind.FILE
    assignment.save()
    upload = SimpleUploadedFile(name, b"x" * size)
    with pytest.raises(HomeworkError, match=message):
        services.submission_add_version(
            assignment=assignment, trainee=trainee, upload=upload
        )
    assert not Submission.objects.exists()


def test_claim_race_only_one_coach_wins() -> None:
    cohort, coach, trainee, assignment = homework_cohort()
    other = CoachFactory()
    cohort.coaches.add(other)
    cohort.save()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    # both coaches loaded the same row before either claimed
    seen_by_a = Submission.objects.get(pk=version.submission_id)
    seen_by_b = Submission.objects.get(pk=version.submission_id)
    services.submission_claim(submission=seen_by_a, coach=coach)
    with pytest.raises(HomeworkError, match="is reviewing this submission"):
        services.submission_claim(submission=seen_by_b, coach=other)
    submission = Submission.objects.get()
    assert submission.claimed_by == coach
    assert submission.status == SubmissionStatus.IN_REVIEW


def test_review_by_another_coach_is_refused_while_claimed() -> None:
    cohort, coach, trainee, assignment = homework_cohort()
    other = CoachFactory()
    cohort.coaches.add(other)
    cohort.save()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_claim(submission=version.submission, coach=coach)
    with pytest.raises(HomeworkError, match="is reviewing this submission"):
        services.submission_review(
            submission=version.submission,
            coach=other,
            decision="approve",
            scores=_scores(assignment, 4, 4),
        )
    assert not Review.objects.exists()


def test_expired_claim_can_be_taken_over(settings) -> None:  # type: ignore[no-untyped-def]
    settings.COACHING_CLAIM_MINUTES = 30
    cohort, coach, trainee, assignment = homework_cohort()
    other = CoachFactory()
    cohort.coaches.add(other)
    cohort.save()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    start = timezone.now()
    services.submission_claim(submission=version.submission, coach=coach, now=start)
    services.submission_claim(
        submission=version.submission,
        coach=other,
        now=start + dt.timedelta(minutes=31),
    )
    assert Submission.objects.get().claimed_by == other


def test_release_puts_the_work_back_in_the_queue() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_claim(submission=version.submission, coach=coach)
    services.submission_release(submission=version.submission, coach=coach)
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.claimed_by is None


def test_coach_of_another_cohort_cannot_claim() -> None:
    _, _, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    outsider = CoachFactory()
    with pytest.raises(PermissionDenied):
        services.submission_claim(submission=version.submission, coach=outsider)


def test_score_out_of_range_is_refused_and_nothing_saved() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    with pytest.raises(HomeworkError, match="takes 0 to 4 points; 5 is out of range"):
        services.submission_review(
            submission=version.submission,
            coach=coach,
            decision="approve",
            scores=_scores(assignment, 5, 2),
            action_items=[ActionItemInput("Fix it", timezone.localdate())],
        )
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.claimed_by is None  # the claim taken for the review rolled back
    assert not Review.objects.exists()
    assert not CriterionScore.objects.exists()
    assert not submission.action_items.exists()


def test_review_writes_scores_comments_and_status_in_one_go() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_claim(submission=version.submission, coach=coach)
    due = timezone.localdate() + dt.timedelta(days=3)
    review = services.submission_review(
        submission=version.submission,
        coach=coach,
        decision="return",
        scores=_scores(assignment, 3, 2),
        comment="  Split Q4 by month.  ",
        node_comments={"gmv": "Check the target", "ads": "  "},
        action_items=[ActionItemInput("Redo Q4", due), ActionItemInput("  ")],
    )
    submission = Submission.objects.get()
    # (2 × 3/4 + 1 × 2/4) / 3 × 100 = 66.666… → 66.67
    assert review.score_percent == Decimal("66.67")
    assert submission.score_percent == Decimal("66.67")
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.claimed_by is None and submission.claimed_at is None
    assert submission.approved_at is None
    assert review.comment == "Split Q4 by month."
    assert review.started_at == submission.waiting_since
    assert sorted(review.scores.values_list("points", flat=True)) == [2, 3]
    assert list(NodeComment.objects.values_list("node_id", "body")) == [
        ("gmv", "Check the target")
    ]
    item = submission.action_items.get()
    assert (item.owner, item.description, item.due_date, item.source) == (
        trainee,
        "Redo Q4",
        due,
        "homework_review",
    )


def test_approve_sets_approved_at() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_review(
        submission=version.submission,
        coach=coach,
        decision="approve",
        scores=_scores(assignment, 4, 3),
    )
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.APPROVED
    assert submission.approved_at is not None
    assert submission.score_percent == Decimal("91.67")  # (2×1 + 1×0.75)/3


def test_action_item_due_in_the_past_is_refused() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    yesterday = timezone.localdate() - dt.timedelta(days=2)
    with pytest.raises(HomeworkError, match="has already passed"):
        services.submission_review(
            submission=version.submission,
            coach=coach,
            decision="return",
            scores=_scores(assignment, 1, 1),
            action_items=[ActionItemInput("Redo", yesterday)],
        )
    assert not Review.objects.exists()
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_second_review_of_the_same_version_is_refused() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_review(
        submission=version.submission,
        coach=coach,
        decision="return",
        scores=_scores(assignment, 1, 1),
    )
    with pytest.raises(HomeworkError, match="already been reviewed"):
        services.submission_review(
            submission=version.submission,
            coach=coach,
            decision="approve",
            scores=_scores(assignment, 4, 4),
        )
    assert Review.objects.count() == 1


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([(2, 3, 4), (1, 2, 4)], "66.67"),
        ([(1, 1, 3)], "33.33"),
        ([(1, 2, 3)], "66.67"),
        ([(1, 1, 8)], "12.50"),
        ([(3, 1, 16), (1, 0, 4)], "4.69"),  # 4.6875 rounds half up
        ([(1, 0, 4), (5, 0, 4)], "0.00"),
        ([(1, 4, 4), (100, 100, 100)], "100.00"),
        ([], "0.00"),
    ],
)
def test_score_formula(rows: list[tuple[int, int, int]], expected: str) -> None:
    assert score_percent(rows) == Decimal(expected)


def test_instructions_are_sanitised() -> None:
    html = services.instructions_clean(
        '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:x">l</a></p>'
    )
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert services.instructions_clean("a < b\nnext") == "<p>a &lt; b<br>next</p>"


def test_review_of_a_version_replaced_meanwhile_is_refused() -> None:
    _, coach, trainee, assignment = homework_cohort()
    version = services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1"
    )
    services.submission_add_version(
        assignment=assignment, trainee=trainee, text="v1, fixed"
    )
    with pytest.raises(HomeworkError, match="handed in version 2 while you were"):
        services.submission_review(
            submission=version.submission,
            coach=coach,
            decision="approve",
            scores=_scores(assignment, 4, 4),
            expected_version=1,
        )
    assert not Review.objects.exists()
    assert Submission.objects.get().claimed_by is None
