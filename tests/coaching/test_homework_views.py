"""Homework pages: who sees what (404 for everyone else), hand-in messages, reviews."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.coaching.homework import services
from cohorts.coaching.models import (
    Assignment,
    AssignmentKind,
    Review,
    RubricCriterion,
    Submission,
    SubmissionStatus,
)
from tests.factories.accounts import MembershipFactory, UserFactory
from tests.factories.coaching import assignment_with_rubric, homework_cohort
from tests.factories.cohorts import CoachFactory, EnrolmentFactory, InHouseCohortFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(user)
    return client


def _submitted(assignment, trainee, text="v1"):  # type: ignore[no-untyped-def]
    return services.submission_add_version(
        assignment=assignment, trainee=trainee, text=text
    ).submission


# --- Anonymous and outsiders ---------------------------------------------------------


def test_anonymous_is_sent_to_login() -> None:
    cohort, _, trainee, assignment = homework_cohort()
    submission = _submitted(assignment, trainee)
    for url in (
        reverse("coaching:assignments", args=[cohort.slug]),
        reverse("coaching:assignment", args=[assignment.pk]),
        reverse("coaching:review_queue"),
        reverse("coaching:review_stats"),
        reverse("coaching:review", args=[submission.pk]),
        reverse("coaching:assignment_edit", args=[assignment.pk]),
        reverse("workbook:homework_submit", args=[assignment.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


def test_coach_of_another_cohort_gets_404_everywhere() -> None:
    _, _, trainee, assignment = homework_cohort()
    submission = _submitted(assignment, trainee)
    other_coach = CoachFactory()
    homework_cohort()  # a cohort of their own elsewhere does not help
    client = _client(other_coach)
    assert (
        client.get(reverse("coaching:review", args=[submission.pk])).status_code == 404
    )
    assert (
        client.post(reverse("coaching:review_claim", args=[submission.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("coaching:review", args=[submission.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("coaching:assignment_edit", args=[assignment.pk])
        ).status_code
        == 404
    )
    assert Submission.objects.get().claimed_by is None
    queue = client.get(reverse("coaching:review_queue"))
    assert trainee.display_name not in queue.content.decode()


def test_trainee_cannot_open_another_trainees_work() -> None:
    cohort, _, trainee, assignment = homework_cohort()
    assignment.kind = AssignmentKind.FILE
    assignment.save()
    version = services.submission_add_version(
        assignment=assignment,
        trainee=trainee,
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4"),
    )
    classmate = UserFactory()
    EnrolmentFactory(cohort=cohort, user=classmate)
    client = _client(classmate)
    assert (
        client.get(reverse("coaching:review", args=[version.submission_id])).status_code
        == 404
    )
    assert (
        client.get(reverse("coaching:version_file", args=[version.pk])).status_code
        == 404
    )
    page = client.get(reverse("coaching:assignment", args=[assignment.pk]))
    assert page.status_code == 200
    assert "plan.pdf" not in page.content.decode()
    own = _client(trainee).get(reverse("coaching:version_file", args=[version.pk]))
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == b"%PDF-1.4"


def test_other_organisations_trainee_cannot_see_in_house_homework() -> None:
    cohort = InHouseCohortFactory()
    assignment = assignment_with_rubric(cohort=cohort)
    outsider = MembershipFactory().user
    client = _client(outsider)
    assert (
        client.get(reverse("coaching:assignments", args=[cohort.slug])).status_code
        == 404
    )
    assert (
        client.get(reverse("coaching:assignment", args=[assignment.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("coaching:submit", args=[assignment.pk]), {"text": "x"})
    ).status_code == 404
    assert (
        client.get(
            reverse("workbook:homework_submit", args=[assignment.pk])
        ).status_code
        == 404
    )
    assert not Submission.objects.exists()


def test_trainee_cannot_reach_the_queue_or_the_editor() -> None:
    cohort, _, trainee, _assignment = homework_cohort()
    client = _client(trainee)
    assert client.get(reverse("coaching:review_queue")).status_code == 404
    assert client.get(reverse("coaching:review_stats")).status_code == 404
    assert (
        client.get(
            reverse("coaching:assignment_create", args=[cohort.slug])
        ).status_code
        == 404
    )


# --- Trainee pages -------------------------------------------------------------------


def test_trainee_list_shows_status_and_late_marker() -> None:
    cohort, _coach, trainee, assignment = homework_cohort()
    late = assignment_with_rubric(
        cohort=cohort, title="Late one", due_at=timezone.now() - dt.timedelta(days=1)
    )
    services.submission_add_version(assignment=late, trainee=trainee, text="sorry")
    response = _client(trainee).get(reverse("coaching:assignments", args=[cohort.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Late one" in html and assignment.title in html
    assert "Waiting for review" in html and "Not started" in html
    assert "Late" in html


def test_trainee_hands_in_text_and_sees_the_diff_after_resubmitting() -> None:
    _, coach, trainee, assignment = homework_cohort()
    client = _client(trainee)
    url = reverse("coaching:submit", args=[assignment.pk])
    response = client.post(url, {"text": "Q1 300\nQ2 400"})
    assert response.status_code == 302
    submission = Submission.objects.get()
    services.submission_review(
        submission=submission,
        coach=coach,
        decision="return",
        scores={c.pk: services.ScoreInput(2) for c in assignment.criteria.all()},
        comment="Q2 looks high",
    )
    page = client.get(reverse("coaching:assignment", args=[assignment.pk])).content
    assert "Q2 looks high" in page.decode()
    assert client.post(url, {"text": "Q1 300\nQ2 350"}).status_code == 302
    html = client.get(reverse("coaching:assignment", args=[assignment.pk])).content
    html = html.decode()
    assert 'class="hw-diff-remove"' in html and "Q2 400" in html
    assert 'class="hw-diff-add"' in html and "Q2 350" in html
    assert Submission.objects.get().version_count == 2


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("plan.exe", 10, "is not a file type we accept"),
        ("plan.pdf", 5_000, "files can be at most"),
    ],
)
def test_upload_problems_are_explained_and_nothing_saved(
    settings, name: str, size: int, message: str
) -> None:  # type: ignore[no-untyped-def]
    settings.HOMEWORK_MAX_BYTES = 1_024
    _, _, trainee, assignment = homework_cohort()
    assignment.kind = AssignmentKind.FILE
    assignment.save()
    response = _client(trainee).post(
        reverse("coaching:submit", args=[assignment.pk]),
        {"file": SimpleUploadedFile(name, b"x" * size)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Submission.objects.exists()


def test_closed_cohort_says_so_and_saves_nothing() -> None:
    cohort, _, trainee, assignment = homework_cohort()
    cohort.starts_on = timezone.localdate() - dt.timedelta(days=30)
    cohort.ends_on = timezone.localdate(timezone=cohort.zone) - dt.timedelta(days=2)
    cohort.save()
    client = _client(trainee)
    page = client.get(reverse("coaching:assignment", args=[assignment.pk]))
    assert "no longer takes homework" in page.content.decode()
    response = client.post(
        reverse("coaching:submit", args=[assignment.pk]), {"text": "x"}
    )
    assert "has ended" in response.content.decode()
    assert not Submission.objects.exists()


# --- Coach pages ---------------------------------------------------------------------


def _editor_post(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "title": "拆解 GMV",
        "instructions": "<p>Do it <script>x</script></p>",
        "kind": "text",
        "due_at": "2031-05-01T20:00",
        "is_required": "on",
        "criteria-TOTAL_FORMS": "2",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "1000",
        "criteria-0-title": "Logic",
        "criteria-0-weight": "2",
        "criteria-0-max_points": "4",
        "criteria-0-levels": "0 | Missing | none\n4 | Complete | all",
        "criteria-1-title": "Numbers",
        "criteria-1-weight": "1",
        "criteria-1-max_points": "5",
        "criteria-1-levels": "",
    }
    data.update(overrides)
    return data


def test_coach_creates_an_assignment_with_a_rubric_in_the_cohort_time_zone() -> None:
    cohort, coach, _, _ = homework_cohort(time_zone="America/Los_Angeles")
    response = _client(coach).post(
        reverse("coaching:assignment_create", args=[cohort.slug]), _editor_post()
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(title="拆解 GMV")
    assert "script" not in assignment.instructions
    # 20:00 in Los Angeles (PDT, UTC-7) is 03:00 UTC the next day
    assert assignment.due_at == dt.datetime(2031, 5, 2, 3, 0, tzinfo=dt.UTC)
    criteria = list(assignment.criteria.values_list("title", "weight", "max_points"))
    assert criteria == [("Logic", 2, 4), ("Numbers", 1, 5)]
    assert assignment.criteria.first().levels[1] == {
        "points": 4,
        "label": "Complete",
        "description": "all",
    }


def test_level_points_above_the_maximum_are_refused() -> None:
    cohort, coach, _, _ = homework_cohort()
    before = Assignment.objects.count()
    response = _client(coach).post(
        reverse("coaching:assignment_create", args=[cohort.slug]),
        _editor_post(**{"criteria-0-levels": "9 | Too high"}),
    )
    assert response.status_code == 400
    assert "points must be between 0 and 4" in response.content.decode()
    assert Assignment.objects.count() == before


def test_add_criterion_keeps_what_was_typed() -> None:
    cohort, coach, _, _ = homework_cohort()
    response = _client(coach).post(
        reverse("coaching:assignment_create", args=[cohort.slug]),
        _editor_post(add_criterion="1"),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="criteria-2-title"' in html and 'value="Numbers"' in html
    assert not Assignment.objects.filter(title="拆解 GMV").exists()


def test_assignment_with_submissions_cannot_be_deleted() -> None:
    _, coach, trainee, assignment = homework_cohort()
    _submitted(assignment, trainee)
    response = _client(coach).post(
        reverse("coaching:assignment_delete", args=[assignment.pk]), follow=True
    )
    assert "cannot be deleted" in response.content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_coach_claims_scores_and_returns_with_an_action_item() -> None:
    _, coach, trainee, assignment = homework_cohort()
    submission = _submitted(assignment, trainee)
    client = _client(coach)
    client.post(reverse("coaching:review_claim", args=[submission.pk]))
    logic, numbers = assignment.criteria.all()
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        reverse("coaching:review", args=[submission.pk]),
        {
            "decision": "return",
            f"points-{logic.pk}": "3",
            f"points-{numbers.pk}": "2",
            f"comment-{logic.pk}": "Good split",
            "comment": "Redo Q4",
            "action-0-description": "Split Q4 by week",
            "action-0-due": due,
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert submission.score_percent == Decimal("66.67")
    assert submission.action_items.get().description == "Split Q4 by week"
    feedback = _client(trainee).get(
        reverse("coaching:assignment", args=[assignment.pk])
    )
    html = feedback.content.decode()
    assert "66.67%" in html and "Good split" in html and "Redo Q4" in html
    assert "How the score is computed" in html


def test_out_of_range_score_shows_the_message_and_saves_nothing() -> None:
    _, coach, trainee, assignment = homework_cohort()
    submission = _submitted(assignment, trainee)
    logic, numbers = assignment.criteria.all()
    response = _client(coach).post(
        reverse("coaching:review", args=[submission.pk]),
        {"decision": "approve", f"points-{logic.pk}": "7", f"points-{numbers.pk}": "2"},
    )
    assert response.status_code == 400
    assert "takes 0 to 4 points; 7 is out of range" in response.content.decode()
    assert not Review.objects.exists()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_review_page_warns_when_another_coach_holds_the_claim() -> None:
    cohort, coach, trainee, assignment = homework_cohort()
    other = CoachFactory(display_name="Coach Wang")
    cohort.coaches.add(other)
    cohort.save()
    submission = _submitted(assignment, trainee)
    services.submission_claim(submission=submission, coach=other)
    client = _client(coach)
    page = client.get(reverse("coaching:review", args=[submission.pk]))
    assert "Coach Wang is reviewing this submission" in page.content.decode()
    assert 'id="review-form"' not in page.content.decode()
    claim = client.post(
        reverse("coaching:review_claim", args=[submission.pk]), follow=True
    )
    assert "Coach Wang is reviewing this submission" in claim.content.decode()
    assert Submission.objects.get().claimed_by == other


def test_stats_page_counts_pending_done_and_median() -> None:
    _, coach, trainee, assignment = homework_cohort()
    submission = _submitted(assignment, trainee)
    services.submission_review(
        submission=submission,
        coach=coach,
        decision="approve",
        scores={c.pk: services.ScoreInput(4) for c in assignment.criteria.all()},
        now=submission.waiting_since + dt.timedelta(hours=6),
    )
    second = assignment_with_rubric(cohort=assignment.cohort)
    _submitted(second, trainee)
    response = _client(coach).get(reverse("coaching:review_stats"))
    figures = response.context["figures"]
    assert [
        (f.coach, f.pending, f.done_total, f.done_30_days, f.median_hours)
        for f in figures
    ] == [(coach, 1, 1, 1, 6.0)]


def test_staff_sees_every_cohort_in_the_queue() -> None:
    _, _, trainee, assignment = homework_cohort()
    _submitted(assignment, trainee)
    staff = UserFactory(is_staff=True)
    response = _client(staff).get(reverse("coaching:review_queue"))
    assert response.context["page"].paginator.count == 1


def test_rubric_criterion_with_scores_cannot_be_removed() -> None:
    _, coach, trainee, assignment = homework_cohort()
    submission = _submitted(assignment, trainee)
    services.submission_review(
        submission=submission,
        coach=coach,
        decision="return",
        scores={c.pk: services.ScoreInput(1) for c in assignment.criteria.all()},
    )
    logic, numbers = assignment.criteria.all()
    data = _editor_post(
        **{
            "criteria-INITIAL_FORMS": "2",
            "criteria-0-pk": str(logic.pk),
            "criteria-1-pk": str(numbers.pk),
            "criteria-1-DELETE": "on",
        }
    )
    response = _client(coach).post(
        reverse("coaching:assignment_edit", args=[assignment.pk]), data
    )
    assert "cannot be removed" in response.content.decode()
    assert RubricCriterion.objects.filter(assignment=assignment).count() == 2


# --- Home panels and navigation ------------------------------------------------------


def test_trainee_home_lists_homework_to_hand_in_and_returned_work() -> None:
    _, coach, trainee, assignment = homework_cohort()
    returned = assignment_with_rubric(cohort=assignment.cohort, title="Returned one")
    submission = _submitted(returned, trainee)
    services.submission_review(
        submission=submission,
        coach=coach,
        decision="return",
        scores={c.pk: services.ScoreInput(1) for c in returned.criteria.all()},
    )
    html = _client(trainee).get("/").content.decode()
    assert "To hand in" in html and assignment.title in html
    assert "Returned for revision" in html and "Returned one" in html


def test_coach_home_counts_pending_reviews_and_nav_has_the_queue() -> None:
    _, coach, trainee, assignment = homework_cohort()
    _submitted(assignment, trainee)
    second = assignment_with_rubric(cohort=assignment.cohort)
    _submitted(second, trainee)
    response = _client(coach).get("/")
    html = response.content.decode()
    assert "Homework to review" in html
    assert "<strong>2</strong> submissions waiting or in review" in html
    assert reverse("coaching:review_queue") in html


def test_home_panels_take_a_fixed_number_of_queries(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    from django.test import RequestFactory

    from cohorts.coaching.homework.hooks import (
        coach_reviews_panel,
        trainee_homework_panel,
    )

    _, coach, trainee, assignment = homework_cohort()
    for _ in range(5):
        extra = assignment_with_rubric(cohort=assignment.cohort)
        _submitted(extra, trainee)
    request = RequestFactory().get("/")
    request.user = trainee
    with django_assert_num_queries(2):
        trainee_homework_panel(request)
    request.user = coach
    with django_assert_num_queries(1):
        panel = coach_reviews_panel(request)
    assert panel is not None and panel.context["pending"] == 5
