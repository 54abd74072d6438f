"""Shared set-up for the insight tests: a workbook from the Amazon store template
with the sample business report, FX rates and a few targets, imported for real."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from tests.factories.accounts import UserFactory
from workbook import services
from workbook.models import TargetValue, Workbook

SAMPLES = Path(__file__).resolve().parents[2] / "kpi" / "samples"

TARGETS = {
    ("contribution_profit", "2026-05"): 400000,
    ("sales", "2026-05"): 1500000,
    ("sales", "2026-04"): 1400000,
    ("sales", "2026-06"): 1500000,
    ("sessions", "2026-05"): 60000,
    ("unit_session_percentage", "2026-05"): 0.15,
    ("average_selling_price", "2026-05"): 200,
    ("ad_spend", "2026-05"): 150000,
    ("acos", "2026-05"): 0.25,
}


def import_sample(workbook: Workbook, name: str, *, period: str = "") -> None:
    path = SAMPLES / name
    dataset = services.dataset_upload(
        workbook=workbook,
        user=workbook.owner,
        uploaded=SimpleUploadedFile(path.name, path.read_bytes()),
    )
    services.dataset_queue(
        dataset=dataset,
        user=workbook.owner,
        choice=services.ImportChoice(
            format_key=dataset.format_key, period=period, mode="skip_bad_rows"
        ),
    )
    services.dataset_import(dataset_id=dataset.pk)


def store_workbook(owner: User | None = None) -> Workbook:
    owner = owner or UserFactory()
    workbook = services.workbook_create(
        owner=owner, name="Seabright 2026", template_key="amazon_store"
    )
    import_sample(workbook, "fx_rates_monthly.csv")
    import_sample(workbook, "amazon_us_business_report_bydate_2026-Q2.csv")
    for (node, period), value in TARGETS.items():
        TargetValue.objects.create(
            workbook=workbook, node_key=node, period=period, value=Decimal(value)
        )
    return workbook


@pytest.mark.django_db
def test_the_store_workbook_has_facts_and_targets() -> None:
    workbook = store_workbook()
    assert workbook.facts.exists()
    assert workbook.targets.count() == len(TARGETS)
