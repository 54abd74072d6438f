"""Session surveys and course evaluations: answering once, timing, results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.feedback import services
from cohorts.feedback.models import CourseEvaluation, SessionFeedback
from cohorts.models import AttendanceStatus
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import (
    AttendanceFactory,
    EnrolmentFactory,
    SessionFactory,
)
from tests.factories.feedback import CourseEvaluationFactory, SessionFeedbackFactory

pytestmark = pytest.mark.django_db


def _past(setup, **kwargs):  # type: ignore[no-untyped-def]
    start = timezone.now() - dt.timedelta(hours=3)
    return SessionFactory(
        cohort=setup.cohort,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        **kwargs,
    )


def _survey_url(session) -> str:  # type: ignore[no-untyped-def]
    return reverse("feedback:session_survey", args=[session.cohort.slug, session.pk])


def test_trainee_answers_a_session_survey(client, setup) -> None:  # type: ignore[no-untyped-def]
    session = _past(setup)
    client.force_login(setup.trainee)
    page = client.get(_survey_url(session))
    assert page.status_code == 200
    assert "How useful was this session?" in page.content.decode()
    response = client.post(
        _survey_url(session),
        {"rating": "4", "most_useful": " The tree ", "unclear": ""},
        follow=True,
    )
    assert "Thank you for your feedback." in response.content.decode()
    saved = SessionFeedback.objects.get(session=session, user=setup.trainee)
    assert (saved.rating, saved.most_useful, saved.unclear) == (4, "The tree", "")
    assert "You answered on" in response.content.decode()


def test_answering_twice_is_refused_with_a_message(client, setup) -> None:  # type: ignore[no-untyped-def]
    session = _past(setup)
    client.force_login(setup.trainee)
    client.post(_survey_url(session), {"rating": "4"})
    response = client.post(_survey_url(session), {"rating": "1"}, follow=True)
    assert "You already answered this survey on" in response.content.decode()
    assert SessionFeedback.objects.get(session=session, user=setup.trainee).rating == 4
    assert SessionFeedback.objects.count() == 1


def test_a_race_between_two_answers_is_a_message_not_an_error(  # type: ignore[no-untyped-def]
    setup, monkeypatch
) -> None:
    session = _past(setup)
    SessionFeedbackFactory(session=session, user=setup.trainee, rating=5)
    # The first check misses the row (the other request has not committed yet).
    real_filter = SessionFeedback.objects.filter

    class Miss:
        def first(self) -> None:
            return None

    monkeypatch.setattr(SessionFeedback.objects, "filter", lambda *a, **k: Miss())
    with pytest.raises(services.FeedbackError, match="already answered"):
        services.session_feedback_submit(session=session, user=setup.trainee, rating=2)
    monkeypatch.setattr(SessionFeedback.objects, "filter", real_filter)
    assert SessionFeedback.objects.get(session=session, user=setup.trainee).rating == 5


def test_the_database_refuses_a_second_row(setup) -> None:  # type: ignore[no-untyped-def]
    session = _past(setup)
    SessionFeedbackFactory(session=session, user=setup.trainee)
    with pytest.raises(IntegrityError):
        SessionFeedbackFactory(session=session, user=setup.trainee)


def test_rating_is_required_and_in_range(client, setup) -> None:  # type: ignore[no-untyped-def]
    session = _past(setup)
    client.force_login(setup.trainee)
    for data in ({"most_useful": "x"}, {"rating": "6"}, {"rating": "zero"}):
        response = client.post(_survey_url(session), data)
        assert response.status_code == 400
        assert "Please choose a rating from 1 to 5." in response.content.decode()
    assert not SessionFeedback.objects.exists()


def test_survey_opens_when_the_session_starts(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup.trainee)
    page = client.get(_survey_url(setup.first))
    assert "The survey opens when the session starts." in page.content.decode()
    client.post(_survey_url(setup.first), {"rating": "5"})
    assert not SessionFeedback.objects.exists()


def test_one_to_one_survey_is_only_for_its_trainee(client, setup) -> None:  # type: ignore[no-untyped-def]
    session = _past(setup, trainee=setup.trainee)
    client.force_login(setup.other_trainee)
    assert client.get(_survey_url(session)).status_code == 404
    client.force_login(setup.trainee)
    assert client.get(_survey_url(session)).status_code == 200


def test_session_page_links_to_the_survey(client, setup) -> None:  # type: ignore[no-untyped-def]
    session = _past(setup)
    client.force_login(setup.trainee)
    url = reverse("cohorts:session", args=[setup.cohort.slug, session.pk])
    body = client.get(url).content.decode()
    assert _survey_url(session) in body
    client.force_login(setup.coach)
    body = client.get(url).content.decode()
    assert (
        reverse("feedback:session_results", args=[setup.cohort.slug, session.pk])
        in body
    )


# Course evaluation -------------------------------------------------------------


def _evaluation_url(setup) -> str:  # type: ignore[no-untyped-def]
    return reverse("feedback:evaluation", args=[setup.cohort.slug])


def _finish(setup) -> None:  # type: ignore[no-untyped-def]
    past = timezone.now() - dt.timedelta(days=1)
    setup.first.starts_at = past - dt.timedelta(hours=2)
    setup.first.ends_at = past
    setup.first.save()


def test_evaluation_opens_after_the_last_session(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup.trainee)
    body = client.get(_evaluation_url(setup)).content.decode()
    assert "The course evaluation opens after the last session" in body
    client.post(
        _evaluation_url(setup), {"rating": "5", "recommend": "9", "follow_up": "yes"}
    )
    assert not CourseEvaluation.objects.exists()


def test_trainee_evaluates_the_course_once(client, setup) -> None:  # type: ignore[no-untyped-def]
    _finish(setup)
    client.force_login(setup.trainee)
    data = {
        "rating": "5",
        "recommend": "9",
        "follow_up": "maybe",
        "helped_most": "Weekly review",
        "to_improve": "",
    }
    response = client.post(_evaluation_url(setup), data, follow=True)
    assert "Thank you for evaluating the course." in response.content.decode()
    evaluation = CourseEvaluation.objects.get(cohort=setup.cohort, user=setup.trainee)
    assert (evaluation.rating, evaluation.recommend, evaluation.follow_up) == (
        5,
        9,
        "maybe",
    )
    again = client.post(_evaluation_url(setup), {**data, "recommend": "0"}, follow=True)
    assert "You already answered this survey on" in again.content.decode()
    assert CourseEvaluation.objects.get().recommend == 9


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "5", "follow_up": "yes"}, "Please choose a score from 0 to 10."),
        (
            {"rating": "5", "recommend": "11", "follow_up": "yes"},
            "Please choose a score",
        ),
        ({"recommend": "3", "follow_up": "yes"}, "Please choose a rating from 1 to 5."),
        ({"rating": "5", "recommend": "3"}, "Please choose yes, maybe or no."),
    ],
)
def test_evaluation_validation(client, setup, data, message) -> None:  # type: ignore[no-untyped-def]
    _finish(setup)
    client.force_login(setup.trainee)
    response = client.post(_evaluation_url(setup), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CourseEvaluation.objects.exists()


def test_cohort_without_sessions_opens_on_its_end_date(setup) -> None:  # type: ignore[no-untyped-def]
    from cohorts.feedback.selectors import evaluation_opens_at

    setup.cohort.ends_on = dt.date(2026, 5, 31)
    opens = evaluation_opens_at(setup.cohort, None)
    assert opens.isoformat() == "2026-05-31T00:00:00+08:00"


# Results ----------------------------------------------------------------------


def test_results_page_numbers(client, setup) -> None:  # type: ignore[no-untyped-def]
    _finish(setup)
    extra = [UserFactory() for _ in range(8)]
    for user in extra:
        EnrolmentFactory(cohort=setup.cohort, user=user)
    people = [setup.trainee, setup.other_trainee, *extra]  # 10 active trainees
    scores = [10, 9, 9, 10, 7, 8, 8, 6, 0]  # 9 answers: 4 P, 3 passive, 2 D
    for user, score in zip(people, scores, strict=False):
        CourseEvaluationFactory(
            cohort=setup.cohort, user=user, recommend=score, rating=4
        )
    SessionFeedbackFactory(
        session=setup.first, user=setup.trainee, rating=5, most_useful="Drivers"
    )
    SessionFeedbackFactory(
        session=setup.first, user=setup.other_trainee, rating=2, unclear="Seasonality"
    )
    client.force_login(setup.coach)
    body = client.get(reverse("feedback:results", args=[setup.cohort.slug])).content
    text = body.decode()
    assert "+22.2" in text  # (4 − 2) / 9 = 22.2 points
    assert "promoters 4 (44%), detractors 2 (22%), answers 9" in text
    assert "9 / 10" in text and "90%" in text
    assert "3.5" in text  # session average (5 + 2) / 2
    assert "2 / 10" in text and "20%" in text
    session_page = client.get(
        reverse("feedback:session_results", args=[setup.cohort.slug, setup.first.pk])
    ).content.decode()
    assert "Drivers" in session_page and "Seasonality" in session_page
    assert setup.trainee.display_name not in session_page  # comments are anonymous


def test_results_query_count_does_not_grow(
    client, setup, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _finish(setup)
    url = reverse("feedback:results", args=[setup.cohort.slug])
    client.force_login(setup.coach)
    client.get(url)

    def grow(n: int) -> None:
        for _ in range(n):
            user = UserFactory()
            EnrolmentFactory(cohort=setup.cohort, user=user)
            session = _past(setup)
            SessionFeedbackFactory(session=session, user=user)
            CourseEvaluationFactory(cohort=setup.cohort, user=user)

    grow(2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    assert len(small.captured_queries) <= 14  # session, user, roles, nav …
    grow(6)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_absent_trainee_still_may_answer(client, setup) -> None:  # type: ignore[no-untyped-def]
    """Only reminders skip the absent; the link on the session page still works."""
    session = _past(setup)
    AttendanceFactory(
        session=session, user=setup.trainee, status=AttendanceStatus.ABSENT
    )
    client.force_login(setup.trainee)
    assert client.get(_survey_url(session)).status_code == 200
