"""The working state of one read: column lookup, typed columns, and the problem log.

A format reader asks the context for typed columns by logical name; the context finds
the header (after normalising), parses the cells, and records every bad cell with its
spreadsheet row, the header as written and a reason, marking the row as bad.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from kpi.facts import SEGMENT_FIELDS, empty_facts
from kpi.readers._model import Period, ReadOptions, ReasonCode, RowError, Severity
from kpi.readers._problems import problem
from kpi.readers._source import Grid, RawProblem, normalise_header
from kpi.readers._values import guess_decimal, parse_dates, parse_numbers

__all__ = [
    "MONEY_METRICS",
    "Columns",
    "ReadContext",
    "currency_suffix",
    "facts_from_lines",
    "per_unique",
    "strip_currency_suffix",
]

MONEY_METRICS = frozenset(
    {
        "ordered_product_sales",
        "ordered_product_sales_b2b",
        "refunds",
        "discounts",
        "shipping_revenue",
        "ad_spend",
        "ad_sales",
        "cogs",
        "platform_fees",
        "fulfilment_cost",
        "inventory_value",
    }
)

_FORMULA_START = ("=", "+", "-", "@")
_CURRENCY_SUFFIX = re.compile(r"\s*[(（]([a-z]{3}|rm|us\$|s\$)[)）]\s*$")


def strip_currency_suffix(header: str) -> str:
    """``total discount(sgd)`` -> ``total discount``; headers are normalised first."""
    return _CURRENCY_SUFFIX.sub("", header).strip()


def currency_suffix(headers: Sequence[str]) -> str:
    """The ISO code most money headers end with, e.g. ``(SGD)``; "" when none."""
    found: dict[str, int] = {}
    for head in headers:
        m = _CURRENCY_SUFFIX.search(normalise_header(head))
        if m and len(m[1]) == 3 and m[1].isalpha():
            found[m[1].upper()] = found.get(m[1].upper(), 0) + 1
    return max(found, key=lambda k: found[k]) if found else ""


@dataclass(frozen=True, slots=True)
class Columns:
    """Logical column name -> the header spellings it goes by (any language)."""

    aliases: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    forbidden: tuple[str, ...] = ()
    known: tuple[str, ...] = ()  # other headers of the format, for detection only
    numeric: tuple[str, ...] = ()  # plain-number columns (parsed in C when clean)

    def normalised(self, name: str) -> tuple[str, ...]:
        return tuple(normalise_header(a) for a in self.aliases[name])


class ReadContext:
    """One read of one grid; collects problems as readers ask for columns."""

    def __init__(
        self,
        grid: Grid,
        columns: Columns,
        options: ReadOptions,
        period: Period | None,
        filename: str,
    ) -> None:
        self.grid = grid
        self.columns = columns
        self.options = options
        self.period = period
        self.filename = filename
        self.errors: list[RowError] = [
            p for p in grid.problems if p.severity is Severity.ERROR
        ]
        self.warnings: list[RowError] = [
            p for p in grid.problems if p.severity is Severity.WARNING
        ]
        self.rejected_outside: list[int] = [p.row for p in self.errors if p.row]
        self.bad = np.zeros(len(grid.body), dtype=bool)
        self.error_count = len(self.errors)
        self.notes: list[str] = []
        self._positions: dict[str, list[int]] = {}
        for pos, head in enumerate(grid.header):
            self._positions.setdefault(normalise_header(head), []).append(pos)
        for pos, head in enumerate(grid.header):
            bare = strip_currency_suffix(normalise_header(head))
            if bare != normalise_header(head) and bare not in self._positions:
                self._positions[bare] = [pos]
        self._check_required()

    @property
    def today(self) -> date:
        return self.options.today or date.today()

    # ------------------------------------------------------------------ columns
    def position(self, name: str) -> int | None:
        for alias in self.columns.normalised(name):
            found = self._positions.get(alias)
            if found:
                if len(found) > 1:
                    raise RawProblem(
                        problem(
                            ReasonCode.DUPLICATE_COLUMN,
                            column=self.grid.header[found[0]],
                            value=self.grid.header[found[0]],
                        )
                    )
                return found[0]
        return None

    def has(self, name: str) -> bool:
        return self.position(name) is not None

    def header_of(self, name: str) -> str:
        pos = self.position(name)
        return (
            self.grid.header[pos] if pos is not None else self.columns.aliases[name][0]
        )

    def _check_required(self) -> None:
        for name in self.columns.required:
            if self.position(name) is None:
                raise RawProblem(
                    problem(
                        ReasonCode.MISSING_COLUMN,
                        column=self.columns.aliases[name][0],
                        value=" / ".join(self.columns.aliases[name][:2]),
                    )
                )

    def raw(self, name: str) -> pd.Series:
        """The cells as written ("" when empty); numbers parsed in C come back as text."""
        column = self._column(name)
        if column is None:
            return pd.Series("", index=self.grid.body.index, dtype=object)
        if column.dtype != object:
            return column.astype(object).where(column.notna(), "").astype(str)
        return column

    def _column(self, name: str) -> pd.Series | None:
        pos = self.position(name)
        if pos is None or pos not in self.grid.body.columns:
            return None
        column: pd.Series = self.grid.body[pos]
        return column

    def drop_rows(self, mask: np.ndarray) -> None:
        """Leave out rows that are not data (summary rows); call before parsing."""
        if not mask.any():
            return
        keep = ~mask
        self.grid.body = self.grid.body[keep].reset_index(drop=True)
        self.grid.rows = self.grid.rows[keep]
        self.bad = self.bad[keep]

    # ------------------------------------------------------------------ problems
    def reject(
        self,
        mask: np.ndarray,
        column: str,
        code: ReasonCode,
        values: pd.Series | None = None,
        detail: str = "",
    ) -> None:
        """Mark rows bad and log one problem per cell (up to ``max_errors``)."""
        positions = np.flatnonzero(mask)
        if len(positions) == 0:
            return
        self.bad[positions] = True
        self.error_count += len(positions)
        room = self.options.max_errors - len(self.errors)
        for pos in positions[: max(room, 0)]:
            value = "" if values is None else str(values.iloc[pos])
            self.errors.append(
                problem(
                    code,
                    row=int(self.grid.rows[pos]),
                    column=column,
                    value=value,
                    detail=detail,
                )
            )

    def reject_orders_with_bad_rows(self, order: pd.Series, column: str) -> None:
        """An order is imported whole or not at all (its totals sit on one row)."""
        if not self.bad.any():
            return
        bad_orders = pd.unique(order[self.bad])
        spread = order.isin(bad_orders).to_numpy() & ~self.bad
        self.reject(spread, column, ReasonCode.ORDER_HAS_BAD_ROW, order)

    def warn(
        self, mask: np.ndarray, column: str, code: ReasonCode, values: pd.Series
    ) -> None:
        positions = np.flatnonzero(mask)
        room = self.options.max_errors - len(self.warnings)
        for pos in positions[: max(room, 0)]:
            self.warnings.append(
                problem(
                    code,
                    row=int(self.grid.rows[pos]),
                    column=column,
                    value=str(values.iloc[pos]),
                    severity=Severity.WARNING,
                )
            )

    # ------------------------------------------------------------------ typed columns
    def text(self, name: str, required: bool = False) -> pd.Series:
        """Stripped text; formula-looking cells are kept verbatim and flagged."""
        raw = self.raw(name)
        codes, uniques = pd.factorize(raw)
        stripped = pd.Series(uniques, dtype=object).astype(str).str.strip()
        values = pd.Series(stripped.to_numpy(dtype=object)[codes], index=raw.index)
        if self.position(name) is None:
            return values
        if required:
            self.reject(
                (values == "").to_numpy(),
                self.header_of(name),
                ReasonCode.MISSING_VALUE,
            )
        looks = stripped.str.startswith(_FORMULA_START) & ~stripped.str.fullmatch(
            r"[-+]?\d[\d.,]*"
        )
        if looks.any():
            formula = np.isin(codes, np.flatnonzero(looks.to_numpy(dtype=bool)))
            self.warn(formula, self.header_of(name), ReasonCode.FORMULA_TEXT, values)
        return values

    def number(
        self,
        name: str,
        decimal: str | None = None,
        percent: bool = False,
        required: bool = False,
    ) -> pd.Series:
        """Numbers; ``decimal=None`` reads the column's own style (1,234.56 or 1.234,56)."""
        column = self._column(name)
        if column is not None and column.dtype.kind == "f":
            typed = column / 100.0 if percent else column
            if required:
                blank = typed.isna().to_numpy()
                self.reject(blank, self.header_of(name), ReasonCode.MISSING_VALUE)
            return typed
        raw = self.raw(name)
        if decimal is None:
            decimal = guess_decimal(raw)
        values, bad = parse_numbers(raw, decimal=decimal, percent=percent)
        self.reject(bad, self.header_of(name), ReasonCode.BAD_NUMBER, raw)
        if required and self.position(name) is not None:
            blank = values.isna().to_numpy() & ~bad
            self.reject(blank, self.header_of(name), ReasonCode.MISSING_VALUE)
        return values

    def dates(
        self,
        name: str,
        formats: Sequence[str],
        values: pd.Series | None = None,
        check_future: bool = True,
    ) -> pd.Series:
        raw = self.raw(name) if values is None else values
        days, bad, _ = parse_dates(raw, formats)
        column = self.header_of(name)
        self.reject(
            bad, column, ReasonCode.BAD_DATE, raw, detail=" / ".join(formats[:2])
        )
        blank = days.isna().to_numpy() & ~bad
        self.reject(blank, column, ReasonCode.MISSING_VALUE)
        if check_future:
            self.check_future(days, column)
        return days

    def check_future(self, days: pd.Series, column: str) -> None:
        limit = pd.Timestamp(self.today)
        future = (days > limit).fillna(False).to_numpy(dtype=bool)
        if future.any():
            shown = days.dt.strftime("%Y-%m-%d").fillna("")
            self.reject(
                future, column, ReasonCode.FUTURE_DATE, shown, detail=str(self.today)
            )


def per_unique(
    values: pd.Series, transform: Callable[[pd.Series], pd.Series]
) -> pd.Series:
    """Apply a text transform once per distinct value (status, site, currency)."""
    codes, uniques = pd.factorize(values)
    done = transform(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
    return pd.Series(done[codes], index=values.index)


def facts_from_lines(
    lines: pd.DataFrame | Sequence[pd.DataFrame],
    metrics: Sequence[str],
    money: frozenset[str] = MONEY_METRICS,
) -> pd.DataFrame:
    """Sum typed lines to facts at the lines' grain.

    ``lines`` carry ``start``, ``end``, any segment fields (missing ones become ""),
    ``currency`` and one float column per metric key. Counts lose the currency.
    """
    frames = [lines] if isinstance(lines, pd.DataFrame) else list(lines)
    keys = ["start", "end", *SEGMENT_FIELDS, "currency"]
    parts: list[pd.DataFrame] = []
    for frame in frames:
        present = list(dict.fromkeys(m for m in metrics if m in frame))
        if frame.empty or not present:
            continue
        constant: dict[str, Any] = {}
        varying: dict[str, pd.Series] = {}
        for key in keys:
            if key not in frame:
                constant[key] = ""
                continue
            column = frame[key]
            if key not in ("start", "end"):
                column = column.astype(object).where(column.notna(), "").astype(str)
            first = column.iloc[0]
            sample = column.iloc[:: max(len(column) // 64, 1)]
            if (sample == first).all() and (column == first).all():
                constant[key] = first
            else:
                varying[key] = column
        daily = "start" in varying and "end" in varying
        if daily and bool((varying["start"] == varying["end"]).all()):
            del varying["end"]  # one-day facts: group by the day once
        else:
            daily = False
        work = pd.DataFrame({**varying, **{m: frame[m] for m in present}})
        if varying:
            grouped = (
                work.groupby(list(varying), sort=False, dropna=False)[present]
                .sum(min_count=1)
                .reset_index()
            )
        else:
            grouped = work[present].sum(min_count=1).to_frame().T
        long = grouped.melt(
            id_vars=list(varying),
            value_vars=present,
            var_name="metric",
            value_name="value",
        ).dropna(subset=["value"])
        for key, value in constant.items():
            long[key] = value
        if daily:
            long["end"] = long["start"]
        parts.append(long)
    if not parts:
        return empty_facts()
    facts = pd.concat(parts, ignore_index=True)
    facts.loc[~facts["metric"].isin(money), "currency"] = ""
    summed: pd.DataFrame = facts.groupby(
        [*keys, "metric"], sort=True, dropna=False, as_index=False
    ).agg(value=("value", "sum"))
    return pd.DataFrame(
        {
            "start": pd.to_datetime(summed["start"]).astype("datetime64[s]"),
            "end": pd.to_datetime(summed["end"]).astype("datetime64[s]"),
            **{f: summed[f].astype("string") for f in SEGMENT_FIELDS},
            "metric": summed["metric"].astype("string"),
            "value": summed["value"].astype("float64").round(6),
            "currency": summed["currency"].astype("string"),
        }
    )
