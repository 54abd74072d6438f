"""Targets of a workbook: stored as `TargetValue` rows, read as a `kpi.TargetBook`.

Shared contract: the dashboard and review read targets only through `target_book`;
the targets grid writes them only through the services in this module, which keep
the audit trail (`TargetChange`) and the optimistic `version`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction

import kpi
from accounts.models import User
from workbook.models import TargetChange, TargetSource, TargetValue, Workbook


def segment_key(segment: Mapping[str, str] | None) -> str:
    """The stored form of a segment filter: "" for all, else "field=value;..." sorted."""
    if not segment:
        return ""
    return ";".join(
        f"{field}={value}" for field, value in sorted(segment.items()) if value
    )


def segment_from_key(key: str) -> dict[str, str]:
    if not key:
        return {}
    return dict(part.split("=", 1) for part in key.split(";") if "=" in part)


def target_book(workbook: Workbook) -> kpi.TargetBook:
    """Every target of the workbook in one query."""
    rows = TargetValue.objects.filter(workbook=workbook).values_list(
        "node_key", "period", "segment", "value"
    )
    return kpi.TargetBook(
        (
            kpi.Target(
                node=node,
                period=period,
                value=float(value),
                segment=tuple(sorted(segment_from_key(segment).items())),
            )
            for node, period, segment, value in rows
        ),
        fiscal_start=workbook.fiscal_year_start_month,
    )


@transaction.atomic
def targets_load(
    *,
    workbook: Workbook,
    user: User | None,
    targets: Iterable[Mapping[str, object]],
    source: str = TargetSource.TEMPLATE,
) -> int:
    """Write targets from a workbook document (template or file), with history."""
    count = 0
    for item in targets:
        value = item.get("value")
        if value is None:
            continue
        segment = segment_key(item.get("segment") or {})  # type: ignore[arg-type]
        node, period = str(item["node"]), str(item["period"])
        new = Decimal(str(value))
        existing = TargetValue.objects.filter(
            workbook=workbook, node_key=node, period=period, segment=segment
        ).first()
        if existing is None:
            TargetValue.objects.create(
                workbook=workbook,
                node_key=node,
                period=period,
                segment=segment,
                value=new,
                updated_by=user,
            )
            old = None
        else:
            old = existing.value
            existing.value, existing.version = new, existing.version + 1
            existing.updated_by = user
            existing.save()
        TargetChange.objects.create(
            workbook=workbook,
            node_key=node,
            period=period,
            segment=segment,
            old_value=old,
            new_value=new,
            source=source,
            changed_by=user,
        )
        count += 1
    return count
