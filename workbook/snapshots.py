"""Snapshots: the workbook frozen at a moment (tree, targets, actuals, latest review).

A snapshot is written once and never updated; it copies values, not references,
so later edits to the live workbook leave it as it was.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import User
from workbook.models import Snapshot, TargetValue, WeeklyReview, Workbook
from workbook.targets import segment_from_key


def _targets(workbook: Workbook) -> list[dict[str, Any]]:
    out = []
    for node, period, segment, value in (
        TargetValue.objects.filter(workbook=workbook)
        .order_by("node_key", "period", "segment")
        .values_list("node_key", "period", "segment", "value")
    ):
        item: dict[str, Any] = {"node": node, "period": period, "value": float(value)}
        if segment:
            item["segment"] = segment_from_key(segment)
        out.append(item)
    return out


def _clean(value: Any) -> Any:
    """JSON-safe: NaN/inf become None, tuples lists, enums their value."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "value") and isinstance(getattr(value, "value", None), str):
        return value.value
    return value


def evaluation_summary(
    workbook: Workbook, *, period_label: str | None = None
) -> dict[str, Any]:
    """The evaluation of ``period_label`` (default: the latest period with data), as
    JSON (the one place that decides what a snapshot's 'actuals' are)."""
    try:
        from workbook.evaluation import EvaluationError, evaluate_workbook
    except ImportError:  # pragma: no cover - the insight side not there yet
        return _minimal_summary(workbook)
    try:
        evaluation = evaluate_workbook(
            workbook=workbook, period_label=period_label, with_health=False
        )
    except (EvaluationError, ValueError) as err:
        return {"error": str(err)}
    result = evaluation.result.as_dict()
    freshness = evaluation.freshness
    result["last_fact_day"] = (
        freshness.last_day.isoformat() if freshness.last_day else None
    )
    return _clean(result)


def _minimal_summary(workbook: Workbook) -> dict[str, Any]:
    import kpi
    from workbook.facts import facts_frame, fx_frame
    from workbook.targets import target_book

    facts = facts_frame(workbook)
    if facts.empty:
        return {"nodes": [], "period": None}
    last = facts["end"].max()
    period = kpi.period_containing(
        last, kpi.Grain.MONTH, workbook.fiscal_year_start_month
    )
    engine = kpi.workbook_from_data(workbook.document)
    result = kpi.evaluate_tree(
        engine.tree,
        engine.library,
        kpi.prepare_cube(
            engine.tree,
            engine.library,
            facts,
            [period, period.previous()],
            fx_rates=fx_frame(workbook),
            reporting_currency=workbook.reporting_currency,
        ),
        period,
        targets=target_book(workbook),
    )
    return _clean(result.as_dict())


def latest_review(workbook: Workbook) -> dict[str, Any]:
    review = (
        WeeklyReview.objects.filter(workbook=workbook)
        .prefetch_related("findings", "action_items")
        .order_by("-period")
        .first()
    )
    if review is None:
        return {}
    return {
        "period": review.period,
        "status": review.status,
        "summary": review.summary,
        "findings": [
            {
                "node": f.node_key,
                "status": f.status,
                "actual": f.actual,
                "target": f.target,
                "driver": f.driver_key,
                "driver_effect": f.driver_effect,
                "cause": f.cause,
            }
            for f in review.findings.all()
        ],
        "action_items": [
            {
                "description": a.description,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "status": a.status,
            }
            for a in review.action_items.all()
        ],
    }


@transaction.atomic
def snapshot_create(*, workbook: Workbook, user: User, title: str) -> Snapshot:
    if workbook.owner_id != user.pk:
        raise PermissionDenied
    title = title.strip()
    if not title:
        raise ValidationError("title")
    document = copy.deepcopy(workbook.document)
    document["name"] = workbook.name
    document["targets"] = _targets(workbook)
    review = latest_review(workbook)
    return Snapshot.objects.create(
        workbook=workbook,
        title=title,
        document=_clean(document),
        # the review's period, so the numbers and the review talk about the same month
        actuals=evaluation_summary(workbook, period_label=review.get("period")),
        review=_clean(review),
        created_by=user,
    )
