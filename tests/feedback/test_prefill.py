"""Diagnosis answers prefill the trainee's first workbook (workbook/diagnosis.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.feedback.models import DiagnosisAnswer, DiagnosisResponse
from cohorts.feedback.selectors import prefill_for
from cohorts.models import EnrolmentStatus
from workbook.diagnosis import create_form_initial, template_for

pytestmark = pytest.mark.django_db


def _answer(setup, **values) -> None:  # type: ignore[no-untyped-def]
    response = DiagnosisResponse.objects.create(
        questionnaire=setup.questions["pains"].questionnaire,
        cohort=setup.cohort,
        user=setup.trainee,
        submitted_at=timezone.now(),
        updated_at=timezone.now(),
    )
    for key, value in values.items():
        DiagnosisAnswer.objects.create(
            response=response, question=setup.questions[key], value=value
        )


@pytest.mark.parametrize(
    ("platforms", "template"),
    [
        (["amazon"], "amazon_store"),
        (["amazon", "shopify"], "multi_platform"),
        (["shopee"], ""),
        ([], ""),
    ],
)
def test_template_from_platforms(platforms: list[str], template: str) -> None:
    assert template_for(platforms) == template


def test_prefill_reads_the_tagged_answers(setup) -> None:  # type: ignore[no-untyped-def]
    _answer(
        setup, platforms=["amazon", "shopify"], currency="usd", roles=["ops", "ads"]
    )
    prefill = prefill_for(setup.trainee)
    assert prefill is not None
    assert prefill.platforms == ["amazon", "shopify"]
    assert prefill.platform_labels == ["Amazon", "Shopify"]
    assert prefill.currency == "USD"
    assert prefill.team_roles == ["Operations", "Advertising"]
    assert prefill.cohort_id == setup.cohort.pk


def test_no_prefill_without_answers_or_after_withdrawal(setup) -> None:  # type: ignore[no-untyped-def]
    assert prefill_for(setup.trainee) is None
    _answer(setup, platforms=["amazon"])
    setup.cohort.enrolments.filter(user=setup.trainee).update(
        status=EnrolmentStatus.WITHDRAWN
    )
    assert prefill_for(setup.trainee) is None


def test_initial_values_for_the_create_form(setup) -> None:  # type: ignore[no-untyped-def]
    _answer(setup, platforms=["amazon"], currency="GBP")
    initial, prefill = create_form_initial(setup.trainee, cohort_ids={setup.cohort.pk})
    assert initial == {
        "template_key": "amazon_store",
        "reporting_currency": "GBP",
        "cohort": setup.cohort.pk,
    }
    assert prefill is not None


def test_unknown_currency_is_not_prefilled(setup) -> None:  # type: ignore[no-untyped-def]
    _answer(setup, platforms=["amazon", "shopee"], currency="XYZ")
    initial, _prefill = create_form_initial(setup.trainee, cohort_ids=set())
    assert initial == {"template_key": "multi_platform"}


def test_prefill_reaches_the_workbook_create_form(client, setup) -> None:  # type: ignore[no-untyped-def]
    _answer(setup, platforms=["amazon", "shopify"], currency="USD", roles=["ops"])
    client.force_login(setup.trainee)
    response = client.get(reverse("workbook:create"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["template_key"].value() == "multi_platform"
    assert form["reporting_currency"].value() == "USD"
    assert str(form["cohort"].value()) == str(setup.cohort.pk)
    body = response.content.decode()
    assert "Filled in from your diagnosis" in body
    assert "Amazon、Shopify" in body
    assert "Team roles: Operations." in body


def test_create_form_without_diagnosis_is_unchanged(client, setup) -> None:  # type: ignore[no-untyped-def]
    client.force_login(setup.other_trainee)
    response = client.get(reverse("workbook:create"))
    assert response.context["form"]["reporting_currency"].value() == "CNY"
    assert "Filled in from your diagnosis" not in response.content.decode()
