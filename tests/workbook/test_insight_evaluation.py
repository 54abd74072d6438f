"""evaluate_workbook: one period of a workbook, read in a constant number of queries."""

from __future__ import annotations

import pytest

from kpi import Status
from tests.workbook.test_insight_setup import store_workbook
from workbook.evaluation import EvaluationError, evaluate_workbook

pytestmark = pytest.mark.django_db


def test_evaluation_of_a_period_with_attribution_trend_and_breakdown() -> None:
    workbook = store_workbook()
    latest = evaluate_workbook(workbook=workbook)
    assert latest.period.label == "2026-06"
    assert latest.freshness.last_day.isoformat() == "2026-06-30"

    may = evaluate_workbook(
        workbook=workbook, period_label="2026-05", versus="target", across="marketplace"
    )
    sales = may.nodes["sales"]
    assert sales.actual == pytest.approx(1308633.47)
    assert sales.target == 1500000
    assert sales.status is Status.OFF_TRACK
    attribution = may.attribution("sales")
    assert sum(e.value for e in attribution.effects) == pytest.approx(
        sales.actual - sales.target
    )
    assert may.main_driver("sales").key == "sessions"
    trend = [p for p in may.trend("sales") if p.actual is not None]
    assert [p.period.label for p in trend] == ["2026-04", "2026-05"]
    assert trend[0].target == 1400000
    assert [(b.value, round(b.actual, 2)) for b in may.breakdown("sales")] == [
        ("US", 1308633.47)
    ]


def test_constant_queries(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    workbook = store_workbook()
    with django_assert_num_queries(3):
        evaluate_workbook(workbook=workbook, period_label="2026-05")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period_label": "2026-13"}, None),
        ({"versus": "budget"}, "comparison"),
        ({"across": "colour"}, "segment field"),
    ],
)
def test_bad_input_is_refused(kwargs, message) -> None:  # type: ignore[no-untyped-def]
    workbook = store_workbook()
    with pytest.raises(EvaluationError, match=message):
        evaluate_workbook(workbook=workbook, **kwargs)
