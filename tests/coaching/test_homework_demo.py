"""The homework demo: every state once, a returned-and-resubmitted one, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest

from cohorts.coaching import demo
from cohorts.coaching.models import (
    Assignment,
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db


def test_demo_has_every_state_and_runs_twice() -> None:
    seed_demo_cohorts()
    demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    assert Assignment.objects.filter(cohort__slug="seabright-in-house").count() == 3
    assert Assignment.objects.filter(cohort__slug="kpi-public-class").count() == 3
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == set(SubmissionStatus.values)
    resubmitted = Submission.objects.get(
        trainee__email="chen.siyuan@seabright.demo", version_count=2
    )
    assert resubmitted.status == SubmissionStatus.APPROVED
    assert list(
        resubmitted.reviews.order_by("created_at").values_list("decision", flat=True)
    ) == ["return", "approve"]
    assert SubmissionVersion.objects.filter(is_late=True).count() == 1
    assert Submission.objects.count() == 6
    assert Review.objects.count() == 4
    claimed = Submission.objects.get(status=SubmissionStatus.IN_REVIEW)
    assert claimed.claimed_by.email == "coach@lodestar.demo"
    assert Submission.objects.filter(action_items__isnull=False).distinct().count() == 2
