"""The coach's diagnosis summary: distributions, mean/median, texts, response rate."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts.feedback.models import DiagnosisAnswer, DiagnosisResponse
from cohorts.feedback.summaries import diagnosis_summary
from tests.factories.accounts import UserFactory
from tests.factories.cohorts import EnrolmentFactory

pytestmark = pytest.mark.django_db


def _answer(setup, user, **values) -> None:  # type: ignore[no-untyped-def]
    response = DiagnosisResponse.objects.create(
        questionnaire=setup.questions["pains"].questionnaire,
        cohort=setup.cohort,
        user=user,
        submitted_at=timezone.now(),
        updated_at=timezone.now(),
    )
    for key, value in values.items():
        DiagnosisAnswer.objects.create(
            response=response, question=setup.questions[key], value=value
        )


def _three_answers(setup) -> None:  # type: ignore[no-untyped-def]
    third = UserFactory(display_name="Cy")
    EnrolmentFactory(cohort=setup.cohort, user=third)
    EnrolmentFactory(cohort=setup.cohort)  # a fourth trainee who has not answered
    _answer(
        setup,
        setup.trainee,
        platforms=["amazon", "shopify"],
        currency="USD",
        maturity=2,
        team_size=6,
        pains="ACoS mixed up with TACoS",
    )
    _answer(
        setup,
        setup.other_trainee,
        platforms=["amazon"],
        currency="CNY",
        maturity=3,
        team_size=12,
        pains="Targets are guesses",
    )
    _answer(
        setup,
        third,
        platforms=["shopee"],
        currency="CNY",
        maturity=5,
        team_size=40,
        pains="  ",
    )


def test_summary_numbers(setup) -> None:  # type: ignore[no-untyped-def]
    _three_answers(setup)
    summary = diagnosis_summary(cohort=setup.cohort)
    assert (summary.answered, len(summary.trainees)) == (3, 4)
    assert summary.response_rate == 0.75
    by_key = {
        key: next(s for s in summary.questions if s.question.pk == q.pk)
        for key, q in setup.questions.items()
    }
    platforms = by_key["platforms"]
    assert platforms.respondents == 3
    assert [(b.key, b.count, b.percent) for b in platforms.bars] == [
        ("amazon", 2, "67%"),
        ("shopify", 1, "33%"),
        ("shopee", 1, "33%"),
    ]
    assert [(b.key, b.count) for b in by_key["currency"].bars] == [
        ("CNY", 2),
        ("USD", 1),
    ]
    maturity = by_key["maturity"]
    assert [b.count for b in maturity.bars] == [0, 1, 1, 0, 1]
    assert maturity.mean == "3.33"
    assert maturity.median == "3"
    size = by_key["team_size"]
    assert (size.mean, size.median) == ("19.33", "12")
    assert [t.text for t in by_key["pains"].texts] == [
        "ACoS mixed up with TACoS",
        "Targets are guesses",
    ]  # the blank answer is left out
    assert by_key["trust"].respondents == 0


def test_summary_page_shows_charts_and_links(client, setup) -> None:  # type: ignore[no-untyped-def]
    _three_answers(setup)
    client.force_login(setup.coach)
    response = client.get(
        reverse("feedback:diagnosis_summary", args=[setup.cohort.slug])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("feedback-chart") == 4  # platforms, currency, maturity, size
    assert "3 / 4" in body and "75%" in body
    assert "ACoS mixed up with TACoS" in body
    detail = reverse(
        "feedback:diagnosis_trainee", args=[setup.cohort.slug, setup.trainee.pk]
    )
    assert detail in body
    page = client.get(detail).content.decode()
    assert "Amazon、Shopify" in page
    assert "2 / 5" in page
    assert "No answer" in page


def test_summary_query_count_does_not_grow(
    client, setup, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("feedback:diagnosis_summary", args=[setup.cohort.slug])
    client.force_login(setup.coach)
    _answer(setup, setup.trainee, platforms=["amazon"], maturity=3, pains="x")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    assert len(small.captured_queries) <= 16  # session, user, roles, nav …
    for _ in range(6):
        user = UserFactory()
        EnrolmentFactory(cohort=setup.cohort, user=user)
        _answer(setup, user, platforms=["shopee"], maturity=4, pains="y", team_size=3)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)
