"""The trainee's diagnosis: validation, saving, editing and the lock at the first session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.feedback import services
from cohorts.feedback.models import DiagnosisAnswer, DiagnosisResponse
from cohorts.feedback.selectors import diagnosis_deadline, session_bounds
from tests.factories.cohorts import EnrolmentFactory, SessionFactory
from tests.feedback.conftest import valid_post

pytestmark = pytest.mark.django_db


def _url(setup) -> str:  # type: ignore[no-untyped-def]
    return reverse("feedback:diagnosis", args=[setup.cohort.slug])


def test_trainee_sees_every_question(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup.trainee)
    response = client.get(_url(setup))
    assert response.status_code == 200
    body = response.content.decode()
    for question in setup.questions.values():
        assert question.text_en in body
    assert f'name="q{setup.questions["maturity"].pk}"' in body
    assert "Please answer before the first session" in body


def test_valid_answers_are_saved_as_typed_values(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup.trainee)
    response = client.post(_url(setup), valid_post(setup.questions, team_size="12.5"))
    assert response.status_code == 302
    saved = {
        a.question_id: a.value
        for a in DiagnosisAnswer.objects.filter(response__user=setup.trainee)
    }
    q = setup.questions
    assert saved[q["platforms"].pk] == ["amazon", "shopify"]
    assert saved[q["currency"].pk] == "USD"
    assert saved[q["maturity"].pk] == 3
    assert saved[q["trust"].pk] == 7
    assert saved[q["team_size"].pk] == 12.5
    assert saved[q["pains"].pk] == "Targets are guesses."
    assert q["goal"].pk not in saved  # optional and blank: no row


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("pains", "", "Please answer this question."),
        ("maturity", "6", "Choose a whole number from 1 to 5."),
        ("trust", "11", "Choose a whole number from 0 to 10."),
        ("team_size", "twelve", "is not a number. Write digits only"),
        ("team_size", "1,200", "Enter 1,000 or less."),
        ("team_size", "0", "Enter 1 or more."),
        ("currency", "EUR", "Select a valid choice."),
    ],
)
def test_bad_answers_get_a_message_and_nothing_is_saved(  # type: ignore[no-untyped-def]
    client, setup, key, value, message
) -> None:
    client.force_login(setup.trainee)
    response = client.post(_url(setup), valid_post(setup.questions, **{key: value}))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "nothing was saved yet" in body
    assert not DiagnosisResponse.objects.exists()
    assert not DiagnosisAnswer.objects.exists()


def test_full_width_digits_and_separators_parse(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup.trainee)
    client.post(_url(setup), valid_post(setup.questions, team_size="１２０"))
    answer = DiagnosisAnswer.objects.get(question=setup.questions["team_size"])
    assert answer.value == 120


def test_editing_replaces_answers_in_one_response(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup.trainee)
    client.post(_url(setup), valid_post(setup.questions, goal="Weekly review"))
    client.post(_url(setup), valid_post(setup.questions, currency="CNY", goal=""))
    response = DiagnosisResponse.objects.get(user=setup.trainee)
    values = {a.question_id: a.value for a in response.answers.all()}
    assert values[setup.questions["currency"].pk] == "CNY"
    assert setup.questions["goal"].pk not in values
    assert DiagnosisResponse.objects.count() == 1
    page = client.get(_url(setup)).content.decode()
    assert "You can change your answers until the first session starts" in page
    assert 'value="CNY" checked' in page.replace("\n", " ") or "checked" in page


def test_locked_after_the_first_session_starts(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup.trainee)
    client.post(_url(setup), valid_post(setup.questions))
    setup.first.starts_at = timezone.now() - dt.timedelta(minutes=1)
    setup.first.ends_at = timezone.now() + dt.timedelta(hours=1)
    setup.first.save()
    page = client.get(_url(setup))
    body = page.content.decode()
    assert "Your answers are shown read-only" in body
    assert "disabled" in body
    assert "Save my changes" not in body
    response = client.post(
        _url(setup), valid_post(setup.questions, currency="CNY"), follow=True
    )
    assert "your answers are read-only" in response.content.decode()
    answer = DiagnosisAnswer.objects.get(question=setup.questions["currency"])
    assert answer.value == "USD"


def test_service_refuses_after_the_deadline(setup) -> None:  # type: ignore[no-untyped-def]
    questionnaire = setup.questions["pains"].questionnaire
    with pytest.raises(services.FeedbackError, match="closed when the first session"):
        services.diagnosis_save(
            cohort=setup.cohort,
            user=setup.trainee,
            questionnaire=questionnaire,
            answers={q.pk: "x" for q in setup.questions.values()},
            now=setup.first.starts_at,
        )
    assert not DiagnosisResponse.objects.exists()


def test_service_refuses_missing_required_answers(setup) -> None:  # type: ignore[no-untyped-def]
    questionnaire = setup.questions["pains"].questionnaire
    with pytest.raises(services.FeedbackError, match="every required question"):
        services.diagnosis_save(
            cohort=setup.cohort,
            user=setup.trainee,
            questionnaire=questionnaire,
            answers={setup.questions["pains"].pk: "only this"},
        )
    assert not DiagnosisResponse.objects.exists()


def test_deadline_is_the_first_group_session_not_a_one_to_one(setup) -> None:  # type: ignore[no-untyped-def]
    SessionFactory(
        cohort=setup.cohort,
        trainee=setup.trainee,
        starts_at=timezone.now() + dt.timedelta(hours=3),
    )
    first, _last = session_bounds(setup.cohort)
    assert diagnosis_deadline(setup.cohort, first) == setup.first.starts_at


def test_without_sessions_the_deadline_is_the_start_date(db) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.cohorts import CohortFactory

    cohort = CohortFactory(starts_on=dt.date(2026, 3, 2), time_zone="Asia/Shanghai")
    deadline = diagnosis_deadline(cohort, None)
    assert deadline.isoformat() == "2026-03-02T00:00:00+08:00"


def test_waitlisted_trainee_gets_404(client, setup) -> None:  # type: ignore[no-untyped-def]
    from cohorts.models import EnrolmentStatus

    waiting = EnrolmentFactory(cohort=setup.cohort, status=EnrolmentStatus.WAITLISTED)
    client.force_login(waiting.user)
    assert client.get(_url(setup)).status_code == 404


def test_cohort_without_questionnaire_is_404(client, db) -> None:  # type: ignore[no-untyped-def]
    from tests.factories.cohorts import CohortFactory

    enrolment = EnrolmentFactory(cohort=CohortFactory())
    client.force_login(enrolment.user)
    url = reverse("feedback:diagnosis", args=[enrolment.cohort.slug])
    assert client.get(url).status_code == 404


def test_questionnaire_shared_by_the_english_copy_of_the_course(setup) -> None:  # type: ignore[no-untyped-def]
    """A cohort attached to the other language's page finds the same questionnaire."""
    from wagtail.models import Locale

    from cohorts.feedback.selectors import questionnaire_for_cohort
    from tests.factories.cohorts import CohortFactory

    english, _ = Locale.objects.get_or_create(language_code="en")
    translated = setup.cohort.course.copy_for_translation(english, copy_parents=True)
    cohort = CohortFactory(course=translated)
    found = questionnaire_for_cohort(cohort)
    assert found == setup.questions["pains"].questionnaire
