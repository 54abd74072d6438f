"""The demo's weekly review: filled, with action items, idempotent."""

from __future__ import annotations

import pytest

from tests.workbook.test_insight_setup import store_workbook
from workbook import demo_review
from workbook.models import ActionItem, WeeklyReview

pytestmark = pytest.mark.django_db


def test_seed_fills_a_review_once() -> None:
    workbook = store_workbook()
    demo_review.seed(workbook=workbook)
    demo_review.seed(workbook=workbook)
    review = WeeklyReview.objects.get(workbook=workbook)
    assert review.period == "2026-05" and review.status == "done" and review.summary
    findings = list(review.findings.all())
    assert findings and all(f.cause for f in findings)
    assert "sessions" in {f.node_key for f in findings}
    assert ActionItem.objects.filter(review=review).count() == 3
    assert ActionItem.objects.filter(review=review, status="done").count() == 1
