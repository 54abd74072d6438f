"""The workbook's numbers for one period, as the dashboard, review, exports and
snapshots read them.

"Load first, then compute": `evaluate_workbook` reads the facts, FX rates and
targets in one query each, then hands kpi/ plain frames. Everything the pages
need afterwards (attribution of any node, trends, breakdowns) is computed from
the same cube, never with another query.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from django.core.cache import cache
from django.utils import timezone

import kpi
from kpi import facts as kpi_facts
from workbook.facts import facts_frame, fx_frame
from workbook.models import Workbook
from workbook.targets import target_book

TREND_LENGTH = 12
"""Periods shown in a trend chart (the chosen one and the ones before it)."""

SEGMENT_PICKER_FIELDS = ("platform", "marketplace", "category")
DATA_HEALTH_CODES = {"stale_data", "outlier", "missing_days", "identity_mismatch"}


class EvaluationError(ValueError):
    """The workbook cannot be evaluated (its document or the period is unreadable)."""


@dataclass(frozen=True, slots=True)
class Freshness:
    """How recent the data is: the last day with a fact, and whether it is stale."""

    last_day: date | None
    today: date
    stale_days: int

    @property
    def days_behind(self) -> int | None:
        return None if self.last_day is None else (self.today - self.last_day).days

    @property
    def is_stale(self) -> bool:
        behind = self.days_behind
        return behind is None or behind > self.stale_days


@dataclass(frozen=True, slots=True)
class TrendPoint:
    period: kpi.Period
    actual: float | None
    target: float | None


@dataclass(frozen=True, slots=True)
class SegmentValue:
    field: str
    value: str
    actual: float | None
    prior: float | None
    target: float | None


@dataclass
class WorkbookEvaluation:
    """One period of one workbook: the tree, each node's result, and what the
    drill-down needs (attribution, trend, segment breakdown) on demand."""

    workbook_id: int
    name: str
    period: kpi.Period
    segment: dict[str, str]
    versus: str
    across: str | None
    settings: kpi.Settings
    tree: kpi.MetricTree
    library: kpi.Library
    targets: kpi.TargetBook
    cube: kpi.Cube
    result: kpi.TreeEvaluation
    freshness: Freshness
    findings: list[kpi.Finding]
    periods: list[kpi.Period]
    data_periods: list[kpi.Period]
    segment_options: dict[str, list[str]]
    _attributions: dict[tuple[str, str], kpi.Attribution] = field(
        default_factory=dict, repr=False
    )

    @property
    def nodes(self) -> Mapping[str, kpi.NodeResult]:
        return self.result.nodes

    @property
    def root(self) -> str:
        return self.tree.root

    @property
    def as_of(self) -> date:
        return self.result.as_of

    def ordered(self) -> list[tuple[int, kpi.NodeResult]]:
        """(depth, result) for the reachable nodes, parents before children."""
        return [
            (self.tree.depth(node.key), self.result.nodes[node.key])
            for node in self.tree.walk()
        ]

    def attribution(self, key: str, versus: str | None = None) -> kpi.Attribution:
        versus = versus or self.versus
        memo = (key, versus)
        if memo not in self._attributions:
            self._attributions[memo] = kpi.attribute_gap(
                self.tree,
                self.library,
                self.cube,
                self.targets,
                key,
                self.period,
                self.segment,
                versus,  # type: ignore[arg-type]
                self.across if versus == "prior" else None,
            )
        return self._attributions[memo]

    def main_driver(self, key: str, versus: str = "target") -> kpi.Effect | None:
        """The child whose effect pulled the node furthest the wrong way."""
        attribution = self.attribution(key, versus)
        if not attribution.defined or not attribution.effects:
            return None
        node = self.result.nodes[key]
        sign = -1.0 if node.direction is kpi.Direction.LOWER else 1.0
        effects = [e for e in attribution.effects if e.key is not None]
        if not effects:
            return None
        worst = min(effects, key=lambda e: sign * e.value)
        return worst if sign * worst.value < 0 else None

    def trend(self, key: str) -> list[TrendPoint]:
        segment = kpi.segment_of(self.segment)
        values = kpi.node_trend(self.tree, self.library, self.cube, key, segment)
        points = []
        for period, value in values:
            if period > self.period or period not in self.periods:
                continue
            target = self.targets.get(self.tree, self.library, key, period, segment)
            points.append(
                TrendPoint(period, value, None if target is None else target.point)
            )
        return points

    def breakdown(self, key: str) -> list[SegmentValue]:
        """The node by each value of ``across`` (needs an evaluation with across)."""
        if not self.across:
            return []
        out = []
        for value in self.segment_options.get(self.across, []):
            seg = kpi.segment_of({**self.segment, self.across: value})
            try:
                series = dict(
                    kpi.node_trend(self.tree, self.library, self.cube, key, seg)
                )
            except KeyError:
                continue
            actual = series.get(self.period)
            prior = series.get(self.period.previous())
            target = self.targets.get(self.tree, self.library, key, self.period, seg)
            if actual is None and prior is None:
                continue
            out.append(
                SegmentValue(
                    self.across,
                    value,
                    actual,
                    prior,
                    None if target is None else target.point,
                )
            )
        return sorted(out, key=lambda s: -(s.actual or 0.0))

    def findings_for(self, key: str) -> list[kpi.Finding]:
        return [f for f in self.findings if f.node == key]


@functools.lru_cache(maxsize=64)
def _parsed(document_json: str) -> kpi.Workbook:
    import json

    return kpi.workbook_from_data(json.loads(document_json))


def parse_document(workbook: Workbook) -> kpi.Workbook:
    """The workbook's tree and settings (parsed once per version of the document)."""
    import json

    document = dict(workbook.document or {})
    document["targets"] = []
    try:
        return _parsed(json.dumps(document, sort_keys=True))
    except kpi.WorkbookError as err:
        raise EvaluationError(str(err)) from None


@dataclass(frozen=True, slots=True)
class NodeLabels:
    """Names and units of a workbook's nodes, for pages that show stored numbers."""

    tree: kpi.MetricTree
    library: kpi.Library

    def label(self, key: str, language: str) -> str:
        node = self.tree.nodes.get(key)
        if node is None:
            return key
        zh, en = node.name_zh, node.name_en
        if node.metric and node.metric in self.library.metrics:
            metric = self.library.metrics[node.metric]
            zh, en = zh or metric.name_zh, en or metric.name_en
        chinese = (language or "").lower().startswith("zh")
        return (zh or en or key) if chinese else (en or zh or key)

    def unit(self, key: str) -> kpi.Unit:
        node = self.tree.nodes.get(key)
        if node is None:
            return kpi.Unit.COUNT
        if node.unit is not None:
            return node.unit
        if node.metric and node.metric in self.library.metrics:
            return self.library.metrics[node.metric].unit
        return kpi.Unit.COUNT


def node_labels(workbook: Workbook) -> NodeLabels:
    parsed = parse_document(workbook)
    return NodeLabels(parsed.tree, parsed.library)


def available_periods(
    facts: pd.DataFrame, grain: kpi.Grain, fiscal_start: int
) -> list[kpi.Period]:
    """Periods of the workbook's grain from the first to the last day with data."""
    if facts.empty:
        return []
    first = pd.Timestamp(facts["start"].min()).date()
    last = pd.Timestamp(facts["end"].max()).date()
    return kpi.periods_between(
        kpi.period_containing(first, grain, fiscal_start),
        kpi.period_containing(last, grain, fiscal_start),
    )


def default_period_label(workbook: Workbook, facts: pd.DataFrame) -> str:
    parsed = parse_document(workbook)
    grain = kpi.Grain(workbook.period_grain)
    periods = available_periods(facts, grain, workbook.fiscal_year_start_month)
    if periods:
        return periods[-1].label
    today = timezone.localdate()
    return kpi.period_containing(today, grain, parsed.settings.fiscal_year_start).label


def _segment_options(facts: pd.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in SEGMENT_PICKER_FIELDS:
        if name not in facts.columns or facts.empty:
            out[name] = []
            continue
        values = sorted({str(v) for v in facts[name].dropna().unique() if v})
        out[name] = values[:50]
    return out


def _data_findings(
    parsed: kpi.Workbook,
    facts: pd.DataFrame,
    fx: pd.DataFrame,
    targets: kpi.TargetBook,
    period: kpi.Period,
) -> list[kpi.Finding]:
    """Data checks (stale data, outliers, missing days, identity), cached on a
    fingerprint of what they read: they cost more than the evaluation itself."""
    fingerprint = hashlib.sha256(
        repr(
            (
                id(parsed),
                period.label,
                len(facts),
                float(facts["value"].sum()),
                str(facts["end"].max()),
                len(fx),
                sorted(
                    repr((t.node, t.period, t.segment, t.value, t.low, t.high))
                    for t in targets
                ),
                timezone.localdate().isoformat(),
            )
        ).encode()
    ).hexdigest()
    key = f"workbook:data-findings:{fingerprint}"
    found = cache.get(key)
    if found is not None:
        return list(found)
    findings = [
        f
        for f in kpi.check_health(
            parsed.tree,
            parsed.library,
            targets=targets,
            facts=facts,
            period=period,
            settings=parsed.settings.health,
            fx_rates=fx if not fx.empty else None,
            reporting_currency=parsed.settings.reporting_currency,
        )
        if f.code in DATA_HEALTH_CODES
    ]
    cache.set(key, findings, 600)
    return findings


def evaluate_workbook(
    *,
    workbook: Workbook,
    period_label: str | None = None,
    segment: Mapping[str, str] | None = None,
    versus: str = "prior",
    across: str | None = None,
    with_health: bool = True,
    today: date | None = None,
) -> WorkbookEvaluation:
    """Evaluate the workbook for one period (default: the latest with data).

    Three queries: facts, FX rates, targets. ``across`` (a segment field) also
    prepares the breakdown by that field and the attribution across it.
    Raises `EvaluationError` for an unreadable document or period label.
    """
    parsed = parse_document(workbook)
    settings = parsed.settings
    facts = facts_frame(workbook)
    fx = fx_frame(workbook)
    targets = target_book(workbook)
    segment = {k: v for k, v in (segment or {}).items() if v}
    if versus not in ("prior", "target"):
        raise EvaluationError(f"unknown comparison {versus!r}")
    if across is not None and across not in kpi_facts.SEGMENT_FIELDS:
        raise EvaluationError(f"unknown segment field {across!r}")
    label = period_label or default_period_label(workbook, facts)
    try:
        period = kpi.parse_period(label, workbook.fiscal_year_start_month)
    except kpi.PeriodError as err:
        raise EvaluationError(str(err)) from None
    trend = [period.shift(-i) for i in range(TREND_LENGTH, -1, -1)]
    if not facts.empty:
        facts = kpi_facts.validate_facts(facts)
    cube = kpi.prepare_cube(
        parsed.tree,
        parsed.library,
        facts,
        trend,
        segment=segment,
        across=across,
        fx_rates=fx if not fx.empty else None,
        reporting_currency=settings.reporting_currency,
        validate=False,
    )
    result = kpi.evaluate_tree(
        parsed.tree,
        parsed.library,
        cube,
        period,
        targets=targets,
        segment=segment,
        thresholds=settings.status_thresholds,
        attribute=None,
        across=across,
    )
    findings: list[kpi.Finding] = []
    if with_health and not facts.empty:
        findings = _data_findings(parsed, facts, fx, targets, period)
    last_day = None if facts.empty else pd.Timestamp(facts["end"].max()).date()
    freshness = Freshness(
        last_day=last_day,
        today=today or timezone.localdate(),
        stale_days=settings.stale_days,
    )
    return WorkbookEvaluation(
        workbook_id=workbook.pk,
        name=workbook.name,
        period=period,
        segment=segment,
        versus=versus,
        across=across,
        settings=settings,
        tree=parsed.tree,
        library=parsed.library,
        targets=targets,
        cube=cube,
        result=result,
        freshness=freshness,
        findings=findings,
        periods=trend[1:],
        data_periods=available_periods(
            facts, kpi.Grain(workbook.period_grain), workbook.fiscal_year_start_month
        ),
        segment_options=_segment_options(facts),
    )
