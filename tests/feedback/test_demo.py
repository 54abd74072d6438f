"""seed_demo's feedback step: idempotent, with answers for the demo trainees."""

from __future__ import annotations

from io import StringIO

import pytest

from cohorts.feedback import demo
from cohorts.feedback.models import (
    CourseEvaluation,
    DiagnosisAnswer,
    DiagnosisQuestion,
    DiagnosisResponse,
    SessionFeedback,
)
from cohorts.feedback.summaries import cohort_results
from cohorts.models import Cohort
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent() -> None:
    seed_demo_cohorts()
    demo.seed(stdout=StringIO())
    counts = (
        DiagnosisQuestion.objects.count(),
        DiagnosisResponse.objects.count(),
        DiagnosisAnswer.objects.count(),
        SessionFeedback.objects.count(),
        CourseEvaluation.objects.count(),
    )
    demo.seed(stdout=StringIO())
    assert counts == (
        DiagnosisQuestion.objects.count(),
        DiagnosisResponse.objects.count(),
        DiagnosisAnswer.objects.count(),
        SessionFeedback.objects.count(),
        CourseEvaluation.objects.count(),
    )
    assert counts[0] == 9
    in_house = DiagnosisResponse.objects.filter(cohort__slug="seabright-in-house")
    assert sorted(in_house.values_list("user__email", flat=True)) == [
        "chen.siyuan@seabright.demo",
        "kevin.zhang@seabright.demo",
        "li.na@seabright.demo",
    ]
    past = Cohort.objects.get(slug="kpi-public-class-11")
    results = cohort_results(cohort=past)
    # 3 promoters (10, 9, 9), 2 passives (8, 7), 1 detractor (5) of 6 → +33.3
    assert results.evaluation.nps.display == "+33.3"
    assert results.responses == 18
