from __future__ import annotations

import io

import pytest

from accounts.demo import seed_people
from workbook import demo
from workbook.evaluation import evaluate_workbook
from workbook.models import DatasetStatus, Snapshot, TargetChange, TargetValue

pytestmark = pytest.mark.django_db


def test_demo_workbook_is_complete_and_idempotent() -> None:
    seed_people()
    out = io.StringIO()
    workbook = demo.seed(stdout=out)
    assert workbook is not None
    statuses = dict(workbook.datasets.values_list("original_name", "status"))
    assert set(statuses) == {name for name, _period in demo.DEMO_FILES}
    assert set(statuses.values()) == {DatasetStatus.IMPORTED}, out.getvalue()
    counts = (
        TargetValue.objects.count(),
        TargetChange.objects.count(),
        workbook.facts.count(),
        Snapshot.objects.count(),
    )
    usp = TargetValue.objects.get(node_key="unit_session_percentage", period="2026-05")
    assert float(usp.value) == pytest.approx(0.125)
    evaluation = evaluate_workbook(workbook=workbook, period_label="2026-05")
    assert evaluation.result.nodes["sessions"].status.value == "off_track"
    snapshot = Snapshot.objects.get()
    frozen = {n["key"]: n["status"] for n in snapshot.actuals["nodes"]}
    assert snapshot.actuals["period"] == snapshot.review.get("period", "2026-06")
    assert frozen["sessions"] == "off_track"
    again = demo.seed(stdout=io.StringIO())
    assert again.pk == workbook.pk
    assert (
        TargetValue.objects.count(),
        TargetChange.objects.count(),
        workbook.facts.count(),
        Snapshot.objects.count(),
    ) == counts
