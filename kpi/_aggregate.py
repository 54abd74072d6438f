"""Facts → a cube of metric values by segment × period.

Rules (see docs/kpi-engine.md, 计算口径):

* A fact counts toward a period when its whole day range lies inside the period.
  A fact that only overlaps the period (a monthly report asked for a week) makes
  that metric's cell undefined (``COARSE_DATA``) instead of guessing a split.
* ``sum`` metrics add facts; ``last`` metrics take, per full segment, the facts
  with the latest end day in the period, then add segments.
* No fact for a base metric in a cell means no value (``MISSING_INPUT``), not 0.
* Money is converted per channel (platform × marketplace, plus any finer segment
  the workbook uses) and calendar month: the local total × the month's rate,
  rounded half away from zero to 0.01 of the reporting currency.
* Derived metrics are recomputed from the aggregated inputs of each cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from kpi._calendar import Period, period_containing, periods_between
from kpi._enums import Aggregation, Grain, Unit
from kpi._formula import CellFlag, FlagArray, FloatArray, evaluate, names_in
from kpi._library import Library
from kpi.facts import SEGMENT_FIELDS, FactProblem, FactsError, validate_facts

Segment = tuple[tuple[str, str], ...]
ALL: Segment = ()


def segment_of(mapping: Mapping[str, str] | Segment | None) -> Segment:
    """A segment filter in canonical form: sorted (field, value) pairs."""
    if not mapping:
        return ALL
    pairs = mapping.items() if isinstance(mapping, Mapping) else mapping
    out = tuple(sorted((str(k), str(v)) for k, v in pairs))
    for field_name, _ in out:
        if field_name not in SEGMENT_FIELDS:
            raise ValueError(
                f"unknown segment field {field_name!r}; use one of "
                + ", ".join(SEGMENT_FIELDS)
            )
    return out


def merge_segments(a: Segment, b: Segment) -> Segment | None:
    """Both filters at once; ``None`` when they contradict each other."""
    merged = dict(a)
    for k, v in b:
        if merged.get(k, v) != v:
            return None
        merged[k] = v
    return tuple(sorted(merged.items()))


def convert_money(local: FloatArray, rate: FloatArray) -> FloatArray:
    """local × rate rounded half away from zero to 0.01, in decimal arithmetic.

    Binary floats cannot hold 0.01 steps exactly, so each amount (a sum of
    facts, taken to 6 decimals) and its rate are multiplied as decimals; the
    README's totals come out to the cent.
    """
    out = np.empty(len(local), dtype=np.float64)
    for i, (amount, r) in enumerate(zip(local.tolist(), rate.tolist(), strict=True)):
        product = Decimal(repr(round(amount, 6))) * Decimal(repr(r))
        out[i] = float(product.quantize(_CENT, rounding=ROUND_HALF_UP))
    return out


_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Cube:
    """Values of metrics for every (segment, period) cell; NaN = no value."""

    periods: tuple[Period, ...]
    segments: tuple[Segment, ...]
    values: Mapping[str, FloatArray]
    flags: Mapping[str, FlagArray]
    last_fact_day: date | None
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)

    def index(self, segment: Segment, period: Period) -> tuple[int, int]:
        return self.segments.index(segment), self.periods.index(period)

    def value(self, metric: str, segment: Segment, period: Period) -> float | None:
        s, p = self.index(segment, period)
        v = float(self.values[metric][s, p])
        return None if np.isnan(v) else v

    def flag(self, metric: str, segment: Segment, period: Period) -> int:
        s, p = self.index(segment, period)
        return int(self.flags[metric][s, p])

    def to_frame(self) -> pd.DataFrame:
        """Long form: period, segment fields, metric, value, flags."""
        rows = []
        for metric, arr in self.values.items():
            flags = self.flags[metric]
            for s, segment in enumerate(self.segments):
                seg = dict(segment)
                for p, period in enumerate(self.periods):
                    v = float(arr[s, p])
                    rows.append(
                        {
                            "period": period.label,
                            **{f: seg.get(f, "") for f in SEGMENT_FIELDS},
                            "metric": metric,
                            "value": None if np.isnan(v) else v,
                            "flags": int(flags[s, p]),
                        }
                    )
        return pd.DataFrame(rows)


def _day_numbers(values: pd.Series) -> np.ndarray:
    return np.asarray(values.to_numpy(dtype="datetime64[D]").astype(np.int64))


def _day_number(day: date) -> int:
    return int(np.datetime64(day, "D").astype(np.int64))


def aggregate(
    facts: pd.DataFrame,
    periods: Sequence[Period],
    library: Library,
    *,
    segments: Iterable[Segment] = (ALL,),
    metrics: Iterable[str] | None = None,
    fx_rates: pd.DataFrame | None = None,
    reporting_currency: str | None = None,
    validate: bool = True,
) -> Cube:
    """Aggregate ``facts`` into a :class:`Cube` for ``periods`` × ``segments``.

    ``metrics`` limits the work to these metrics and what they need (default:
    the whole library). Negative values for metrics that cannot be negative
    (every base metric in the library) raise :class:`FactsError` naming the rows.
    """
    frame = validate_facts(facts) if validate else facts
    periods = tuple(periods)
    segs = tuple(dict.fromkeys(segment_of(s) for s in segments))
    wanted = list(library) if metrics is None else list(metrics)
    for key in wanted:
        if key not in library:
            raise KeyError(f"unknown metric {key!r}")
    needed: set[str] = set()
    for key in wanted:
        needed |= _closure(library, key)
    base = sorted(k for k in needed if library[k].is_base)
    derived = [k for k in library.order if k in needed]
    shape = (len(segs), len(periods))

    values: dict[str, FloatArray] = {}
    flags: dict[str, FlagArray] = {}
    frame = frame[frame["metric"].isin(base)]
    _reject_negative(frame)
    last_day: date | None = None
    if len(frame):
        last_day = pd.Timestamp(frame["end"].max()).date()
    base_values, base_flags = _aggregate_base(
        frame, periods, segs, library, base, fx_rates, reporting_currency
    )
    values.update(base_values)
    flags.update(base_flags)

    days = np.broadcast_to(np.array([p.days for p in periods], dtype=np.float64), shape)
    inputs: dict[str, FloatArray] = {"days_in_period": np.asarray(days)}
    inputs.update(values)
    for key in derived:
        expression = library.expressions[key]
        result = evaluate(expression, inputs, shape)
        inherited = np.zeros(shape, np.uint8)
        for name in names_in(expression):
            if name in flags:
                inherited |= np.where(np.isnan(inputs[name]), flags[name], 0).astype(
                    np.uint8
                )
        values[key] = result.values
        flags[key] = (result.flags | inherited).astype(np.uint8)
        inputs[key] = result.values
    keep = set(wanted) | set(base)
    return Cube(
        periods,
        segs,
        {k: v for k, v in values.items() if k in keep or k in needed},
        {k: v for k, v in flags.items() if k in keep or k in needed},
        last_day,
    )


def _closure(library: Library, key: str) -> set[str]:
    out: set[str] = set()
    stack = [key]
    while stack:
        name = stack.pop()
        if name in out or name not in library:
            continue
        out.add(name)
        if name in library.expressions:
            stack.extend(names_in(library.expressions[name]))
    return out


def _reject_negative(frame: pd.DataFrame) -> None:
    negative = np.flatnonzero(frame["value"].to_numpy() < 0)
    if len(negative):
        problems = [
            FactProblem(
                int(frame.index[int(i)]),
                "value",
                f"{frame['metric'].iloc[i]} cannot be negative "
                f"({frame['value'].iloc[i]:g})",
            )
            for i in negative
        ]
        raise FactsError(problems)


def _aggregate_base(
    frame: pd.DataFrame,
    periods: tuple[Period, ...],
    segs: tuple[Segment, ...],
    library: Library,
    base: list[str],
    fx_rates: pd.DataFrame | None,
    reporting_currency: str | None,
) -> tuple[dict[str, FloatArray], dict[str, FlagArray]]:
    n_s, n_p, n_m = len(segs), len(periods), len(base)
    totals = np.zeros((n_s, n_p, n_m))
    present = np.zeros((n_s, n_p, n_m), dtype=bool)
    flag_out = np.zeros((n_s, n_p, n_m), dtype=np.uint8)
    if len(frame) == 0 or n_p == 0:
        return _split(base, totals, present, flag_out)

    fine = sorted({f for s in segs for f, _ in s} | {"platform", "marketplace"})
    starts = _day_numbers(frame["start"])
    ends = _day_numbers(frame["end"])
    metric_codes = pd.Index(base).get_indexer(pd.Index(frame["metric"]))
    is_last = np.array([library[k].aggregation is Aggregation.LAST for k in base])[
        metric_codes
    ]

    parts: list[pd.DataFrame] = []
    for p_idx, inside, overlap_pairs in _assign_periods(periods, starts, ends):
        for p, rows in overlap_pairs:
            _mark(
                frame.iloc[rows],
                segs,
                fine,
                flag_out,
                p,
                metric_codes[rows],
                CellFlag.COARSE_DATA,
            )
        if not inside.any():
            continue
        sub = frame[inside].assign(_p=p_idx[inside], _m=metric_codes[inside])
        last_rows = is_last[inside]
        if last_rows.any():
            stock = sub[last_rows]
            latest = stock.groupby(
                ["_p", *SEGMENT_FIELDS, "metric", "currency"], sort=False
            )["end"].transform("max")
            sub = pd.concat([sub[~last_rows], stock[stock["end"] == latest]])
        parts.append(sub)
    if not parts:
        return _split(base, totals, present, flag_out)
    assigned = pd.concat(parts, ignore_index=True)
    assigned["_month"] = assigned["start"].dt.to_period("M").dt.start_time
    spans_months = (
        assigned["start"].dt.to_period("M") != assigned["end"].dt.to_period("M")
    ).to_numpy()
    money = np.array([library[k].unit is Unit.MONEY for k in base])[
        assigned["_m"].to_numpy()
    ]
    assigned["_flag"] = np.uint8(0)
    currency = assigned["currency"].to_numpy(dtype=object)
    needs_fx = money & (currency != "") & (currency != (reporting_currency or ""))
    if reporting_currency is None:
        needs_fx[:] = False
    no_ccy = money & (currency == "") & (reporting_currency is not None)
    assigned.loc[no_ccy, "_flag"] = np.uint8(CellFlag.NO_CURRENCY)
    assigned.loc[needs_fx & spans_months, "_flag"] = np.uint8(CellFlag.COARSE_DATA)

    keys = ["_p", "_m", *fine, "currency", "_month"]
    grouped = assigned.groupby(keys, sort=False, observed=True).agg(
        value=("value", "sum"), flag=("_flag", "max")
    )
    grouped = grouped.reset_index()
    g_money = np.array([library[k].unit is Unit.MONEY for k in base])[
        grouped["_m"].to_numpy()
    ]
    g_ccy = grouped["currency"].to_numpy(dtype=object)
    convert = g_money & (g_ccy != "") & (g_ccy != (reporting_currency or ""))
    if reporting_currency is None:
        convert[:] = False
    if convert.any():
        rates = _rate_lookup(fx_rates, reporting_currency or "")
        months = grouped["_month"].to_numpy()
        rate = np.array(
            [
                rates.get((m, c), np.nan) if conv else 1.0
                for m, c, conv in zip(months, g_ccy, convert, strict=True)
            ]
        )
        missing_rate = convert & np.isnan(rate)
        local = grouped["value"].to_numpy()
        converted = local.copy()
        todo = convert & ~missing_rate
        converted[todo] = convert_money(local[todo], rate[todo])
        grouped["value"] = converted
        grouped.loc[missing_rate, "flag"] = np.uint8(CellFlag.NO_FX_RATE)
    values = grouped["value"].to_numpy()
    flag_col = grouped["flag"].to_numpy(dtype=np.uint8)
    p_idx = grouped["_p"].to_numpy()
    m_idx = grouped["_m"].to_numpy()
    for s, segment in enumerate(segs):
        match = np.ones(len(grouped), dtype=bool)
        for field_name, wanted in segment:
            match &= grouped[field_name].to_numpy(dtype=object) == wanted
        if not match.any():
            continue
        np.add.at(totals[s], (p_idx[match], m_idx[match]), values[match])
        present[s][p_idx[match], m_idx[match]] = True
        np.bitwise_or.at(flag_out[s], (p_idx[match], m_idx[match]), flag_col[match])
    if reporting_currency is None:
        _flag_mixed_currency(grouped, segs, g_money, flag_out)
    return _split(base, totals, present, flag_out)


def _assign_periods(
    periods: tuple[Period, ...], starts: np.ndarray, ends: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, list[tuple[int, np.ndarray]]]]:
    """Which period holds each fact, in passes of non-overlapping periods.

    Each pass gives (period index per fact, mask of facts inside a period of the
    pass, [(period, rows of facts that only overlap it)]). Sorted, disjoint
    periods (the usual month list) take one vectorised pass.
    """
    order = sorted(range(len(periods)), key=lambda i: periods[i].start)
    passes: list[list[int]] = []
    for i in order:
        for group in passes:
            if periods[group[-1]].end < periods[i].start:
                group.append(i)
                break
        else:
            passes.append([i])
    out = []
    for group in passes:
        lo = np.array([_day_number(periods[i].start) for i in group])
        hi = np.array([_day_number(periods[i].end) for i in group])
        first = np.searchsorted(lo, starts, side="right") - 1
        last = np.searchsorted(lo, ends, side="right") - 1
        valid = first >= 0
        safe_first = np.where(valid, first, 0)
        inside = valid & (first == last) & (ends <= hi[safe_first])
        p_idx = np.array(group)[safe_first]
        overlap_pairs: list[tuple[int, np.ndarray]] = []
        candidates = np.flatnonzero(~inside & (last >= 0))
        if len(candidates):
            for j, pos in enumerate(group):
                rows = candidates[
                    (starts[candidates] <= hi[j]) & (ends[candidates] >= lo[j])
                ]
                if len(rows):
                    overlap_pairs.append((pos, rows))
        out.append((p_idx, inside, overlap_pairs))
    return out


def _flag_mixed_currency(
    grouped: pd.DataFrame,
    segs: tuple[Segment, ...],
    money: np.ndarray,
    flag_out: np.ndarray,
) -> None:
    """Without a reporting currency, a cell adding two currencies has no value."""
    sub = grouped[money]
    for s, segment in enumerate(segs):
        match = np.ones(len(sub), dtype=bool)
        for field_name, wanted in segment:
            match &= sub[field_name].to_numpy(dtype=object) == wanted
        counts = sub[match].groupby(["_p", "_m"])["currency"].nunique()
        mixed = counts[counts > 1].reset_index()
        for p, m in zip(mixed["_p"], mixed["_m"], strict=True):
            flag_out[s, int(p), int(m)] |= np.uint8(CellFlag.NO_FX_RATE)


def _mark(
    rows: pd.DataFrame,
    segs: tuple[Segment, ...],
    fine: list[str],
    flag_out: np.ndarray,
    p: int,
    codes: np.ndarray,
    flag: CellFlag,
) -> None:
    for s, segment in enumerate(segs):
        match = np.ones(len(rows), dtype=bool)
        for field_name, wanted in segment:
            match &= rows[field_name].to_numpy(dtype=object) == wanted
        flag_out[s, p, codes[match]] |= np.uint8(flag)


def _rate_lookup(
    fx_rates: pd.DataFrame | None, quote: str
) -> dict[tuple[object, str], float]:
    if fx_rates is None or len(fx_rates) == 0:
        return {}
    sub = fx_rates[fx_rates["quote"] == quote]
    months = pd.to_datetime(sub["month"]).to_numpy()
    return {
        (m, str(c)): float(r)
        for m, c, r in zip(months, sub["currency"], sub["rate"], strict=True)
    }


def _split(
    base: list[str], totals: np.ndarray, present: np.ndarray, flag_out: np.ndarray
) -> tuple[dict[str, FloatArray], dict[str, FlagArray]]:
    values: dict[str, FloatArray] = {}
    flags: dict[str, FlagArray] = {}
    for i, key in enumerate(base):
        bad = flag_out[:, :, i] != 0
        ok = present[:, :, i] & ~bad
        values[key] = np.where(ok, totals[:, :, i], np.nan).astype(np.float64)
        missing = ~present[:, :, i] & ~bad
        flags[key] = (
            flag_out[:, :, i] | np.where(missing, CellFlag.MISSING_INPUT, 0)
        ).astype(np.uint8)
    return values, flags


def aggregate_frame(
    facts: pd.DataFrame,
    grain: Grain,
    library: Library,
    *,
    by: Sequence[str] = (),
    metrics: Iterable[str] | None = None,
    fx_rates: pd.DataFrame | None = None,
    reporting_currency: str | None = None,
    fiscal_start: int = 1,
) -> pd.DataFrame:
    """Facts → a wide frame: one row per period × combination of ``by`` fields
    (as found in the data), one column per metric; NaN where there is no value.
    """
    frame = validate_facts(facts)
    for field_name in by:
        if field_name not in SEGMENT_FIELDS:
            raise ValueError(f"unknown segment field {field_name!r}")
    if len(frame) == 0:
        return pd.DataFrame(columns=["period", *by])
    first = period_containing(
        pd.Timestamp(frame["start"].min()).date(), grain, fiscal_start
    )
    last = period_containing(
        pd.Timestamp(frame["end"].max()).date(), grain, fiscal_start
    )
    periods = periods_between(first, last)
    combos = frame[list(by)].drop_duplicates().to_dict("records") if by else [{}]
    segments = [segment_of({str(k): str(v) for k, v in c.items()}) for c in combos]
    cube = aggregate(
        frame,
        periods,
        library,
        segments=segments,
        metrics=metrics,
        fx_rates=fx_rates,
        reporting_currency=reporting_currency,
        validate=False,
    )
    rows = []
    for s, segment in enumerate(cube.segments):
        seg = dict(segment)
        for p, period in enumerate(cube.periods):
            row: dict[str, object] = {"period": period.label}
            row.update({f: seg.get(f, "") for f in by})
            for key, arr in cube.values.items():
                row[key] = float(arr[s, p])
            rows.append(row)
    return pd.DataFrame(rows)
