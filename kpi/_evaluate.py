"""Evaluating a tree for a period: actual, target, gap, attainment, pace,
forecast, status, and the attribution of each node's change to its children."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from kpi._aggregate import ALL, Cube, Segment, aggregate, merge_segments, segment_of
from kpi._attribution import (
    MAX_SHAPLEY_INPUTS,
    Attribution,
    Method,
    additive_effects,
    multiplicative_attribution,
    shapley_effects,
    undefined,
    with_unreconciled,
)
from kpi._calendar import Period
from kpi._enums import Decomposition, Direction, Grain, Status, Unit
from kpi._formula import CellFlag, describe_flags, evaluate, evaluate_scalar
from kpi._library import Library
from kpi._targets import Target, TargetBook
from kpi._tree import (
    MetricTree,
    is_time_additive,
    node_band,
    node_direction,
    node_formula,
    node_unit,
)

Versus = Literal["prior", "target"]


@dataclass(frozen=True, slots=True)
class StatusThresholds:
    """Attainment at or above ``on_track`` is on track, at or above ``at_risk``
    at risk, below it off track. During a period the forecast's attainment
    decides; after the period, the actual's."""

    on_track: float = 1.0
    at_risk: float = 0.9

    def __post_init__(self) -> None:
        if not (math.isfinite(self.on_track) and math.isfinite(self.at_risk)):
            raise ValueError("status thresholds must be finite")
        if self.at_risk > self.on_track:
            raise ValueError("the at-risk threshold must not exceed the on-track one")

    def status(self, attainment: float | None) -> Status:
        if attainment is None:
            return Status.NO_TARGET
        if attainment >= self.on_track:
            return Status.ON_TRACK
        if attainment >= self.at_risk:
            return Status.AT_RISK
        return Status.OFF_TRACK


def attainment(
    actual: float | None,
    target: float | None,
    direction: Direction,
    band: tuple[float, float] | None = None,
) -> float | None:
    """How far the actual is toward the target; 1.0 means target met exactly.

    * higher is better: actual / target
    * lower is better:  2 − actual / target (inverted; finite even at actual 0)
    * band [low, high]: 1 inside; below, actual / low; above, 2 − actual / high
    The target (or the band edge used) must be > 0, else there is no attainment.
    """
    if actual is None:
        return None
    if direction is Direction.BAND and band is not None:
        low, high = band
        if low <= actual <= high:
            return 1.0
        if actual < low:
            return actual / low if low > 0 else None
        return 2.0 - actual / high if high > 0 else None
    if target is None or target <= 0:
        return None
    if direction is Direction.HIGHER:
        return actual / target
    if direction is Direction.LOWER:
        return 2.0 - actual / target
    return actual / target if actual <= target else 2.0 - actual / target


def gap(
    actual: float | None,
    target: float | None,
    direction: Direction,
    band: tuple[float, float] | None = None,
) -> float | None:
    """Actual minus target; for a band, the distance outside it (0 inside)."""
    if actual is None:
        return None
    if direction is Direction.BAND and band is not None:
        low, high = band
        return (
            actual - low if actual < low else (actual - high if actual > high else 0.0)
        )
    if target is None:
        return None
    return actual - target


@dataclass(frozen=True)
class NodeResult:
    key: str
    name_zh: str
    name_en: str
    unit: Unit
    direction: Direction
    period: str
    actual: float | None
    target: float | None
    target_band: tuple[float, float] | None
    gap: float | None
    attainment: float | None
    elapsed: float
    expected_to_date: float | None
    pace: float | None
    forecast: float | None
    forecast_attainment: float | None
    status: Status
    prior: float | None
    change: float | None
    composed: float | None
    mismatch: float | None
    flags: int = 0
    reasons: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["unit"] = self.unit.value
        out["direction"] = self.direction.value
        out["status"] = self.status.value
        out["target_band"] = list(self.target_band) if self.target_band else None
        out["reasons"] = [{"zh": zh, "en": en} for zh, en in self.reasons]
        return out


@dataclass(frozen=True)
class TreeEvaluation:
    period: Period
    segment: Segment
    as_of: date
    nodes: Mapping[str, NodeResult]
    attributions: Mapping[str, Attribution] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.label,
            "segment": dict(self.segment),
            "as_of": self.as_of.isoformat(),
            "nodes": [n.as_dict() for n in self.nodes.values()],
            "attributions": {
                k: attribution_dict(a) for k, a in self.attributions.items()
            },
        }


def attribution_dict(a: Attribution) -> dict[str, Any]:
    return {
        "node": a.node,
        "versus": a.versus,
        "method": a.method.value,
        "base": a.base,
        "current": a.current,
        "total": a.total,
        "effects": [{"key": e.key, "value": e.value} for e in a.effects],
        "by_segment": {k: dict(v) for k, v in a.by_segment.items()},
        "reason": a.reason,
        "note": a.note,
    }


# ------------------------------------------------------------------- cubes
def cube_segments(
    tree: MetricTree, segment: Segment, across: Sequence[Segment] = ()
) -> list[Segment]:
    out: dict[Segment, None] = {}
    for node in tree.nodes.values():
        for extra in (ALL, *across):
            merged = merge_segments(node.segment, segment)
            if merged is None:
                continue
            merged = merge_segments(merged, extra)
            if merged is not None:
                out[merged] = None
    return list(out)


def across_values(facts: pd.DataFrame, field_name: str) -> list[Segment]:
    column = facts[field_name].astype("string").fillna("")
    values = sorted(str(v) for v in column.unique())
    return [((field_name, v),) for v in values]


def prepare_cube(
    tree: MetricTree,
    library: Library,
    facts: pd.DataFrame,
    periods: Iterable[Period],
    *,
    segment: Mapping[str, str] | Segment | None = None,
    across: str | None = None,
    fx_rates: pd.DataFrame | None = None,
    reporting_currency: str | None = None,
    validate: bool = True,
) -> Cube:
    """Aggregate what the tree needs for ``periods`` once, to evaluate many times."""
    seg = segment_of(segment)
    splits = across_values(facts, across) if across else []
    metrics = sorted({n.metric for n in tree.nodes.values() if n.metric})
    return aggregate(
        facts,
        list(dict.fromkeys(periods)),
        library,
        segments=cube_segments(tree, seg, splits),
        metrics=metrics,
        fx_rates=fx_rates,
        reporting_currency=reporting_currency,
        validate=validate,
    )


class _Values:
    """Node values on a cube, memoised, composing metric-less nodes.

    Use :meth:`of` to share one instance per (cube, tree, library): evaluating
    month after month then reuses each month's values as the next one's prior.
    """

    @classmethod
    def of(cls, tree: MetricTree, library: Library, cube: Cube) -> _Values:
        key = ("values", id(tree), id(library))
        found = cube.memo.get(key)
        if (
            isinstance(found, _Values)
            and found.tree is tree
            and found.library is library
        ):
            return found
        made = cls(tree, library, cube)
        cube.memo[key] = made
        return made

    def __init__(self, tree: MetricTree, library: Library, cube: Cube) -> None:
        self.tree = tree
        self.library = library
        self.cube = cube
        self.seg_index = {s: i for i, s in enumerate(cube.segments)}
        self.period_index = {p: i for i, p in enumerate(cube.periods)}
        self.days = np.array([p.days for p in cube.periods], dtype=np.float64)
        self.arrays: dict[
            tuple[str, Segment],
            tuple[np.ndarray, np.ndarray, list[float | None], list[int]],
        ] = {}
        self.composed_arrays: dict[
            tuple[str, Segment], tuple[np.ndarray, np.ndarray]
        ] = {}
        self._splits: dict[tuple[Segment, Segment, str], list[Segment]] = {}
        self._previous: dict[Period, Period] = {}

    def previous(self, period: Period) -> Period:
        """The previous period, as the cube's own object when it holds it (so
        memo look-ups hit by identity)."""
        if period not in self._previous:
            before = period.previous()
            p = self.period_index.get(before)
            self._previous[period] = before if p is None else self.cube.periods[p]
        return self._previous[period]

    def splits(self, node_segment: Segment, seg: Segment, across: str) -> list[Segment]:
        """The cube's segments that split ``seg`` along ``across`` and do not
        contradict the node's own segment."""
        key = (node_segment, seg, across)
        if key not in self._splits:
            self._splits[key] = [
                s
                for s in self.cube.segments
                if len(s) == len(seg) + 1
                and merge_segments(s, seg) == s
                and any(f == across for f, _ in s)
                and merge_segments(node_segment, s) is not None
            ]
        return self._splits[key]

    def series(
        self, key: str, segment: Segment
    ) -> tuple[np.ndarray, np.ndarray, list[float | None], list[int]]:
        """The node's values and flags over all the cube's periods (arrays and
        plain lists, NaN/None where there is no value), computed once."""
        memo_key = (key, segment)
        found = self.arrays.get(memo_key)
        if found is not None:
            return found
        node = self.tree.nodes[key]
        n = len(self.cube.periods)
        merged = merge_segments(node.segment, segment)
        values: np.ndarray
        flags: np.ndarray
        missing = np.full(n, int(CellFlag.MISSING_INPUT), dtype=np.int64)
        if merged is None:
            values, flags = np.full(n, np.nan), missing
        elif node.metric is not None:
            s = self.seg_index.get(merged)
            if s is None:
                values, flags = np.full(n, np.nan), missing
            else:
                values = self.cube.values[node.metric][s]
                flags = self.cube.flags[node.metric][s].astype(np.int64)
        else:
            values, flags = self.composed_series(key, segment)
        listed = [None if math.isnan(v) else v for v in values.tolist()]
        result = (values, flags, listed, [int(f) for f in flags.tolist()])
        self.arrays[memo_key] = result
        return result

    def composed_series(
        self, key: str, segment: Segment
    ) -> tuple[np.ndarray, np.ndarray]:
        """What the node's children give, over all periods (NaN if any child has
        no value)."""
        memo_key = (key, segment)
        found = self.composed_arrays.get(memo_key)
        if found is not None:
            return found
        node = self.tree.nodes[key]
        n = len(self.cube.periods)
        children = {c: self.series(c, segment) for c in node.child_keys}
        flags = np.zeros(n, dtype=np.int64)
        any_missing = np.zeros(n, dtype=bool)
        for arrays in children.values():
            flags |= arrays[1]
            any_missing |= np.isnan(arrays[0])
        if node.decomposition is Decomposition.ADDITIVE:
            values = np.zeros(n)
            for link in node.children:
                values = values + link.sign * children[link.key][0]
        elif node.decomposition is Decomposition.MULTIPLICATIVE:
            values = np.ones(n)
            for child in node.child_keys:
                values = values * children[child][0]
        else:
            checked = node_formula(self.tree, key, self.library)
            inputs = {c: a[0] for c, a in children.items()}
            inputs["days_in_period"] = self.days
            result = evaluate(checked.expression, inputs, (n,))
            values = result.values
            flags |= result.flags.astype(np.int64)
        values = np.where(any_missing, np.nan, values)
        flags = np.where(any_missing, flags | int(CellFlag.MISSING_INPUT), flags)
        out = (np.asarray(values, dtype=np.float64), flags)
        self.composed_arrays[memo_key] = out
        return out

    def get(
        self, key: str, segment: Segment, period: Period
    ) -> tuple[float | None, int]:
        p = self.period_index.get(period)
        if p is None:
            return None, int(CellFlag.MISSING_INPUT)
        _, _, values, flags = self.series(key, segment)
        return values[p], flags[p]

    def composed(
        self, key: str, segment: Segment, period: Period
    ) -> tuple[float | None, int]:
        p = self.period_index.get(period)
        if p is None:
            return None, int(CellFlag.MISSING_INPUT)
        values, flags = self.composed_series(key, segment)
        v = float(values[p])
        return (None if math.isnan(v) else v), int(flags[p])


# --------------------------------------------------------------- evaluation
def evaluate_tree(
    tree: MetricTree,
    library: Library,
    cube: Cube,
    period: Period,
    *,
    targets: TargetBook | Iterable[Target] = (),
    segment: Mapping[str, str] | Segment | None = None,
    as_of: date | None = None,
    thresholds: StatusThresholds = StatusThresholds(),
    attribute: Versus | None = "prior",
    across: str | None = None,
    elapsed_share: Mapping[str, float] | None = None,
) -> TreeEvaluation:
    """Evaluate every node (reachable ones first, then orphans) for ``period``.

    ``cube`` must hold ``period`` (and its previous period for attribution vs
    prior); build it with :func:`prepare_cube`. ``as_of`` defaults to the last
    day with data (capped to the period end). ``elapsed_share`` overrides, per
    node, the share of the period's value expected by ``as_of`` (seasonality
    weights); the default is linear in days.
    """
    seg = segment_of(segment)
    book = targets if isinstance(targets, TargetBook) else TargetBook(targets)
    values = _Values.of(tree, library, cube)
    if as_of is None:
        as_of = min(cube.last_fact_day or period.end, period.end)
    days_done = period.elapsed_days(as_of)
    linear = days_done / period.days
    prior_period = values.previous(period)
    results: dict[str, NodeResult] = {}
    ordered = [*tree.walk(), *(tree.nodes[k] for k in tree.orphans())]
    for node in ordered:
        results[node.key] = _evaluate_node(
            tree,
            library,
            values,
            book,
            node.key,
            period,
            prior_period,
            seg,
            linear,
            thresholds,
            (elapsed_share or {}).get(node.key),
        )
    attributions: dict[str, Attribution] = {}
    if attribute is not None:
        for node in ordered:
            if node.decomposition is Decomposition.NONE:
                continue
            attributions[node.key] = attribute_gap(
                tree, library, values, book, node.key, period, seg, attribute, across
            )
    return TreeEvaluation(period, seg, as_of, results, attributions)


def _evaluate_node(
    tree: MetricTree,
    library: Library,
    values: _Values,
    book: TargetBook,
    key: str,
    period: Period,
    prior_period: Period,
    seg: Segment,
    linear: float,
    thresholds: StatusThresholds,
    share: float | None,
) -> NodeResult:
    node = tree.nodes[key]
    direction = node_direction(tree, key, library)
    actual, flags = values.get(key, seg, period)
    prior, _ = values.get(key, seg, prior_period)
    reasons = list(describe_flags(flags)) if actual is None else []
    composed: float | None = None
    mismatch: float | None = None
    if node.metric is not None and node.decomposition is not Decomposition.NONE:
        composed, _ = values.composed(key, seg, period)
        if composed is not None and actual is not None:
            mismatch = actual - composed
    target = book.get(tree, library, key, period, seg)
    band = (target.band if target else None) or node_band(tree, key, library)
    point = target.point if target else None
    att = attainment(actual, point, direction, band)
    if actual is not None and target is None and direction is not Direction.BAND:
        reasons.append(("未设定目标", "no target"))
    elif actual is not None and att is None:
        reasons.append(
            ("目标需大于 0 才能计算达成率", "target must be > 0 for attainment")
        )
    additive = is_time_additive(tree, key, library)
    elapsed = linear if share is None else share
    expected = forecast = pace = forecast_att = None
    if actual is not None and elapsed > 0:
        if additive:
            forecast = actual / elapsed
            if point is not None:
                expected = point * elapsed
                pace = attainment(actual, expected, direction, None)
        else:
            forecast = actual
            expected = point
            pace = att
        forecast_att = attainment(forecast, point, direction, band)
    if actual is None:
        status = Status.NO_DATA
    elif target is None and not (direction is Direction.BAND and band):
        status = Status.NO_TARGET
    else:
        status = thresholds.status(att if elapsed >= 1 else forecast_att)
    return NodeResult(
        key=key,
        name_zh=node.name_zh,
        name_en=node.name_en,
        unit=node_unit(tree, key, library),
        direction=direction,
        period=period.label,
        actual=actual,
        target=point,
        target_band=band,
        gap=gap(actual, point, direction, band),
        attainment=att,
        elapsed=elapsed,
        expected_to_date=expected,
        pace=pace,
        forecast=forecast,
        forecast_attainment=forecast_att,
        status=status,
        prior=prior,
        change=None if actual is None or prior is None else actual - prior,
        composed=composed,
        mismatch=mismatch,
        flags=flags,
        reasons=tuple(reasons),
    )


# -------------------------------------------------------------- attribution
def attribute_gap(
    tree: MetricTree,
    library: Library,
    values: _Values | Cube,
    book: TargetBook | Iterable[Target],
    key: str,
    period: Period,
    segment: Mapping[str, str] | Segment | None = None,
    versus: Versus = "prior",
    across: str | None = None,
) -> Attribution:
    """Split the node's change (vs the previous period, or vs its target) into
    its children's contributions. Effects add up to the change exactly; a node
    whose own value disagrees with its children gets an explicit unreconciled
    effect (key ``None``)."""
    if isinstance(values, Cube):
        values = _Values.of(tree, library, values)
    if not isinstance(book, TargetBook):
        book = TargetBook(book)
    seg = segment_of(segment)
    node = tree.nodes[key]
    method = {
        Decomposition.ADDITIVE: Method.ADDITIVE,
        Decomposition.MULTIPLICATIVE: Method.LMDI,
        Decomposition.FORMULA: Method.SHAPLEY,
    }.get(node.decomposition)
    if method is None:
        return undefined(key, versus, Method.ADDITIVE, "node has no children")
    current, _ = values.get(key, seg, period)

    previous = values.previous(period)

    def base_of(child: str) -> float | None:
        if versus == "prior":
            return values.get(child, seg, previous)[0]
        t = book.get(tree, library, child, period, seg)
        return None if t is None else t.point

    base = base_of(key)
    if current is None or base is None:
        what = (
            "actual"
            if current is None
            else ("prior period" if versus == "prior" else "target")
        )
        return undefined(key, versus, method, f"node has no {what} value")
    child_now: dict[str, float] = {}
    child_base: dict[str, float] = {}
    for child in node.child_keys:
        now = values.get(child, seg, period)[0]
        before = base_of(child)
        if now is None or before is None:
            missing = (
                "actual"
                if now is None
                else ("prior" if versus == "prior" else "target")
            )
            return undefined(
                key, versus, method, f"child {child!r} has no {missing} value"
            )
        child_now[child] = now
        child_base[child] = before
    if method is Method.ADDITIVE:
        signs = {c.key: c.sign for c in node.children}
        effects = additive_effects(child_base, child_now, signs)
        return with_unreconciled(key, versus, method, base, current, effects)
    if method is Method.LMDI:
        factors = list(node.child_keys)
        x0 = np.array([[child_base[c] for c in factors]])
        xt = np.array([[child_now[c] for c in factors]])
        labels = ["all"]
        note = ""
        if across and versus == "prior":
            split = _split_rows(values, node.segment, factors, seg, period, across)
            if isinstance(split, str):
                note = split
            elif split:
                labels, x0, xt = split
        result = multiplicative_attribution(
            key, versus, factors, x0, xt, labels, base, current
        )
        if note:
            result = replace(result, note=note)
        return result
    checked = node_formula(tree, key, library)
    if "days_in_period" in checked.names:
        # the calendar is a driver too: 30 April days vs 31 May days
        base_period = period if versus == "target" else previous
        child_base["days_in_period"] = float(base_period.days)
        child_now["days_in_period"] = float(period.days)
    if len(child_base) > MAX_SHAPLEY_INPUTS:
        return undefined(
            key,
            versus,
            method,
            f"Shapley attribution supports up to {MAX_SHAPLEY_INPUTS} children",
        )
    shapley = shapley_effects(
        lambda inputs: evaluate_scalar(checked.expression, inputs),
        child_base,
        child_now,
    )
    if shapley is None:
        return undefined(
            key,
            versus,
            method,
            "the formula has no value for some mix of base and current inputs",
        )
    return with_unreconciled(key, versus, method, base, current, shapley)


def _split_rows(
    values: _Values,
    node_segment: Segment,
    factors: list[str],
    seg: Segment,
    period: Period,
    across: str,
) -> tuple[list[str], np.ndarray, np.ndarray] | str | None:
    """Factor values per segment of ``across``; a segment missing in one period
    counts as zeros there (it appeared or disappeared)."""
    split = values.splits(node_segment, seg, across)
    labels: list[str] = []
    old_rows: list[list[float]] = []
    new_rows: list[list[float]] = []
    previous = values.previous(period)
    for s in split:
        now = [values.get(c, s, period)[0] for c in factors]
        old = [values.get(c, s, previous)[0] for c in factors]
        now_missing = all(v is None for v in now)
        old_missing = all(v is None for v in old)
        if now_missing and old_missing:
            continue
        if (any(v is None for v in now) and not now_missing) or (
            any(v is None for v in old) and not old_missing
        ):
            label = dict(s)[across]
            return (
                f"segment {across}={label!r} lacks some factors; decomposed on totals"
            )
        labels.append(dict(s)[across])
        new_rows.append([0.0 if v is None else v for v in now])
        old_rows.append([0.0 if v is None else v for v in old])
    if not labels:
        return None
    return labels, np.array(old_rows), np.array(new_rows)


def node_trend(
    tree: MetricTree,
    library: Library,
    cube: Cube,
    key: str,
    segment: Mapping[str, str] | Segment | None = None,
) -> list[tuple[Period, float | None]]:
    """The node's value in each of the cube's periods (for trend charts)."""
    values = _Values.of(tree, library, cube)
    _, _, listed, _ = values.series(key, segment_of(segment))
    return list(zip(cube.periods, listed, strict=True))


def last_year_shares(
    tree: MetricTree,
    library: Library,
    facts: pd.DataFrame,
    period: Period,
    as_of: date,
    *,
    segment: Mapping[str, str] | Segment | None = None,
    fx_rates: pd.DataFrame | None = None,
    reporting_currency: str | None = None,
) -> dict[str, float]:
    """Per time-additive metric node: the share of last year's same period that
    had accrued by the same day — seasonality weights for pace."""
    last = period.last_year()
    days = last.subperiods(Grain.DAY)
    offset = period.elapsed_days(as_of)
    if offset <= 0:
        return {}
    cube = prepare_cube(
        tree,
        library,
        facts,
        days,
        segment=segment,
        fx_rates=fx_rates,
        reporting_currency=reporting_currency,
    )
    vals = _Values(tree, library, cube)
    seg = segment_of(segment)
    out: dict[str, float] = {}
    for node in tree.walk():
        if not is_time_additive(tree, node.key, library) or node.metric is None:
            continue
        series = [vals.get(node.key, seg, d)[0] for d in days]
        if any(v is None for v in series):
            continue
        total = math.fsum(v for v in series if v is not None)
        if total <= 0:
            continue
        done = math.fsum(v for v in series[:offset] if v is not None)
        out[node.key] = done / total
    return out


__all__ = [
    "NodeResult",
    "StatusThresholds",
    "TreeEvaluation",
    "attainment",
    "attribute_gap",
    "evaluate_tree",
    "gap",
    "last_year_shares",
    "node_trend",
    "prepare_cube",
]
