"""The demo workbook of 陈思远 (Seabright Home): Amazon store tree, May 2026 data
imported through the real upload → confirm → import pipeline, targets with an
off-track KPI, a snapshot, and (from the insight side) a weekly review.

Idempotent: a second run finds the workbook and only fills in what is missing.
"""

from __future__ import annotations

import importlib
import importlib.util
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import Organization, User
from kpi import readers
from workbook import targets
from workbook.models import Dataset, DatasetStatus, ImportMode, TargetValue, Workbook
from workbook.selectors_build import share_candidates
from workbook.services import dataset_import, dataset_upload, workbook_create
from workbook.sharing import workbook_share
from workbook.snapshots import snapshot_create

SAMPLES = Path(__file__).resolve().parent.parent / "kpi" / "samples"
OWNER_EMAIL = "chen.siyuan@seabright.demo"
WORKBOOK_NAME = "海明家居 · 亚马逊美国站 KPI"

# (file, period for reports without a date column)
DEMO_FILES = [
    ("fx_rates_monthly.csv", ""),
    ("catalog.csv", ""),
    ("amazon_us_business_report_bydate_2026-Q2.csv", ""),
    ("amazon_us_sp_advertised_product_2026-05.csv", "2026-05"),
]

# Targets as the trainee would type them (stored units: percent as a fraction).
# May 2026 actuals: 43,134 sessions against 50,000 → sessions are off track.
DEMO_TARGETS: list[tuple[str, str, str]] = [
    ("sessions", "2026-Q2", "150000"),
    ("average_selling_price", "2026-05", "230"),
    ("sales", "2026-05", "1437500"),
    ("ad_spend", "2026-05", "115000"),
    ("acos", "2026-05", "0.10"),
    ("refunds", "2026-05", "20000"),
]


def _import(workbook: Workbook, user: User, name: str, period: str) -> Dataset:
    """Upload, confirm the detected format (as the confirm page does) and run the
    import job synchronously."""
    path = SAMPLES / name
    uploaded = SimpleUploadedFile(path.name, path.read_bytes())
    dataset = dataset_upload(workbook=workbook, user=user, uploaded=uploaded)
    if dataset.status == DatasetStatus.FAILED:
        return dataset
    info = {f.key: f for f in readers.formats()}.get(dataset.format_key)
    if info is not None and info.needs_period and period:
        parsed = readers.Period.parse(period)
        dataset.period_start, dataset.period_end = parsed.start, parsed.end
    dataset.mode = ImportMode.SKIP_BAD_ROWS
    dataset.status = DatasetStatus.QUEUED
    dataset.progress = 5
    dataset.save()
    return dataset_import(dataset_id=dataset.pk)


def _targets(workbook: Workbook, user: User) -> None:
    for node, period, value in DEMO_TARGETS:
        current = TargetValue.objects.filter(
            workbook=workbook, node_key=node, period=period, segment=""
        ).first()
        targets.target_set(
            workbook=workbook,
            user=user,
            node_key=node,
            period=period,
            value=Decimal(value),
            expected_version=current.version if current else 0,
        )
    targets.target_allocate_periods(
        workbook=workbook,
        user=user,
        node_key="sessions",
        period="2026-Q2",
        method="even",
    )
    targets.target_solve(
        workbook=workbook,
        user=user,
        node_key="sales",
        free_child="unit_session_percentage",
        period="2026-05",
    )


def seed(*, stdout: Any = None) -> Workbook | None:
    owner = User.objects.filter(email__iexact=OWNER_EMAIL).first()
    organization = Organization.objects.filter(slug="seabright").first()
    if owner is None:
        return None
    with transaction.atomic():
        workbook = Workbook.objects.filter(owner=owner, name=WORKBOOK_NAME).first()
        if workbook is None:
            workbook = workbook_create(
                owner=owner,
                name=WORKBOOK_NAME,
                template_key="amazon_store",
                organization=organization,
                reporting_currency="CNY",
            )
    imported = set(
        workbook.datasets.filter(status=DatasetStatus.IMPORTED).values_list(
            "original_name", flat=True
        )
    )
    for name, period in DEMO_FILES:
        if name not in imported:
            dataset = _import(workbook, owner, name, period)
            if stdout is not None and dataset.status != DatasetStatus.IMPORTED:
                stdout.write(f"  workbook demo: {name} → {dataset.status}")
    if not workbook.targets.exists():
        _targets(workbook, owner)
    for candidate in share_candidates(workbook):
        if candidate.role == "coach" and not candidate.shared:
            workbook_share(
                workbook=workbook, user=owner, with_user_id=candidate.user.pk
            )
    if importlib.util.find_spec("workbook.demo_review") is not None:
        importlib.import_module("workbook.demo_review").seed(
            workbook=workbook, stdout=stdout
        )
    if not workbook.snapshots.exists():
        snapshot_create(
            workbook=workbook, user=owner, title="第 5 周作业 · 5 月目标与复盘"
        )
    if stdout is not None:
        stdout.write(
            f"Demo workbook: {workbook.name} ({workbook.datasets.count()} files, "
            f"{workbook.targets.count()} targets)"
        )
    return workbook
