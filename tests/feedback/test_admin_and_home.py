"""Staff edit questionnaires in Wagtail; trainees see what is waiting on the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.feedback.models import (
    DiagnosisQuestion,
    DiagnosisQuestionnaire,
    QuestionKind,
    parse_choices,
)
from cohorts.feedback.selectors import pending_for
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import SessionFactory
from tests.factories.feedback import QuestionnaireFactory, SessionFeedbackFactory

pytestmark = pytest.mark.django_db


def test_parse_choices() -> None:
    choices = parse_choices("amazon | 亚马逊 | Amazon\n\nUSD\nshopee | 虾皮")
    assert [(c.key, c.label_zh, c.label_en) for c in choices] == [
        ("amazon", "亚马逊", "Amazon"),
        ("USD", "USD", "USD"),
        ("shopee", "虾皮", "虾皮"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b | x", "Line 1"),
        ("a | x\na | y", "used twice"),
        ("a | | y", "Line 1"),
    ],
)
def test_bad_choice_lines_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        parse_choices(text)


def test_choice_question_needs_two_choices(setup) -> None:  # type: ignore[no-untyped-def]
    question = DiagnosisQuestion(
        questionnaire=setup.questions["pains"].questionnaire,
        kind=QuestionKind.SINGLE,
        text_zh="问",
        choices_text="only | 唯一",
    )
    with pytest.raises(ValidationError, match="at least two choices"):
        question.clean()


def test_one_questionnaire_per_course_across_languages(setup) -> None:  # type: ignore[no-untyped-def]
    second = DiagnosisQuestionnaire(course=setup.cohort.course, title_zh="再来一份")
    with pytest.raises(ValidationError, match="already has a diagnosis"):
        second.clean()


def test_staff_open_the_questionnaire_editor(client, setup) -> None:  # type: ignore[no-untyped-def]
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    questionnaire = setup.questions["pains"].questionnaire
    listing = client.get(
        reverse("wagtailsnippets_feedback_diagnosisquestionnaire:list")
    )
    assert listing.status_code == 200
    assert questionnaire.title_zh in listing.content.decode()
    edit = client.get(
        reverse(
            "wagtailsnippets_feedback_diagnosisquestionnaire:edit",
            args=[questionnaire.pk],
        )
    )
    assert edit.status_code == 200
    assert "choices_text" in edit.content.decode()


def test_home_panel_asks_for_the_diagnosis_before_the_first_session(  # type: ignore[no-untyped-def]
    client, setup
) -> None:
    client.force_login(setup.trainee)
    body = client.get("/").content.decode()
    assert "Please complete the diagnosis before" in body
    assert reverse("feedback:diagnosis", args=[setup.cohort.slug]) in body


def test_pending_lists_unanswered_surveys_and_open_evaluations(setup) -> None:  # type: ignore[no-untyped-def]
    assert [p.cohort for p in pending_for(user=setup.trainee).diagnoses] == [
        setup.cohort
    ]
    start = timezone.now() - dt.timedelta(days=1)
    done = SessionFactory(
        cohort=setup.cohort, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    answered = SessionFactory(
        cohort=setup.cohort, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    SessionFeedbackFactory(session=answered, user=setup.trainee)
    pending = pending_for(user=setup.trainee)
    assert pending.sessions == [done]
    assert pending.diagnoses == []  # closed when yesterday's session started
    assert pending.evaluations == []  # the first session is still ahead
    later = pending_for(
        user=setup.trainee, now=setup.first.ends_at + dt.timedelta(hours=1)
    )
    assert later.evaluations == [setup.cohort]
    assert later.diagnoses == []


def test_pending_query_count(setup, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(6):
        pending_for(user=setup.trainee)


def test_cohort_tabs_for_trainee_and_coach(client, setup) -> None:  # type: ignore[no-untyped-def]
    summary = reverse("feedback:diagnosis_summary", args=[setup.cohort.slug])
    diagnosis = reverse("feedback:diagnosis", args=[setup.cohort.slug])
    client.force_login(setup.coach)
    page = client.get(reverse("feedback:results", args=[setup.cohort.slug]))
    assert summary in page.content.decode()
    client.force_login(setup.trainee)
    page = client.get(diagnosis).content.decode()
    assert 'aria-current="page">Diagnosis<' in page
    assert summary not in page


def test_questionnaire_factory_course_is_a_course_page(db) -> None:  # type: ignore[no-untyped-def]
    assert QuestionnaireFactory().course.translation_key
