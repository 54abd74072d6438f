"""The facts frame: the one shape every reader produces and the engine aggregates.

A fact is one number for one metric over an inclusive day range on one segment.
Long format keeps readers independent of the metric library: a reader only has to
name the metric key, the engine decides how it aggregates.

Columns (``FACT_COLUMNS``):

========== ================ =====================================================
column     dtype            meaning
========== ================ =====================================================
start      datetime64 day   first day the fact covers (inclusive)
end        datetime64 day   last day the fact covers (inclusive); daily: = start
platform   string           e.g. ``amazon``, ``shopify``; missing = ``""``
marketplace string          site, e.g. ``amazon.com``, ``US``; missing = ``""``
category   string
sku        string
campaign   string
team       string
owner      string
metric     string           metric key from the library, e.g. ``ad_spend``
value      float64          finite number
currency   string           ISO 4217 code for money (``USD``), ``""`` otherwise
========== ================ =====================================================

The FX rates frame (``FX_COLUMNS``): ``month`` (first day of the month, datetime64),
``currency``, ``quote`` (the reporting currency, e.g. ``CNY``) and ``rate`` (units of
``quote`` per one unit of ``currency``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "FACT_COLUMNS",
    "FX_COLUMNS",
    "SEGMENT_FIELDS",
    "FactProblem",
    "FactsError",
    "empty_facts",
    "empty_fx_rates",
    "fx_rates_from_wide",
    "validate_facts",
    "validate_fx_rates",
]

SEGMENT_FIELDS: tuple[str, ...] = (
    "platform",
    "marketplace",
    "category",
    "sku",
    "campaign",
    "team",
    "owner",
)
FACT_COLUMNS: tuple[str, ...] = (
    "start",
    "end",
    *SEGMENT_FIELDS,
    "metric",
    "value",
    "currency",
)
FX_COLUMNS: tuple[str, ...] = ("month", "currency", "quote", "rate")

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_METRIC_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class FactProblem:
    """One bad row: ``row`` is the frame's positional row (``-1`` for the frame)."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = "frame" if self.row < 0 else f"row {self.row}"
        return f"{where}, column {self.column!r}: {self.reason}"


class FactsError(ValueError):
    """A facts or FX frame that does not follow the contract."""

    def __init__(self, problems: Sequence[FactProblem]) -> None:
        self.problems: tuple[FactProblem, ...] = tuple(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = len(self.problems) - 5
        suffix = f" (and {more} more)" if more > 0 else ""
        super().__init__(f"invalid facts: {shown}{suffix}")


def empty_facts() -> pd.DataFrame:
    """A facts frame with no rows and the contract's dtypes."""
    frame = pd.DataFrame(
        {
            "start": pd.Series([], dtype="datetime64[s]"),
            "end": pd.Series([], dtype="datetime64[s]"),
            **{f: pd.Series([], dtype="string") for f in SEGMENT_FIELDS},
            "metric": pd.Series([], dtype="string"),
            "value": pd.Series([], dtype="float64"),
            "currency": pd.Series([], dtype="string"),
        }
    )
    return frame


def empty_fx_rates() -> pd.DataFrame:
    """An FX rates frame with no rows and the contract's dtypes."""
    return pd.DataFrame(
        {
            "month": pd.Series([], dtype="datetime64[s]"),
            "currency": pd.Series([], dtype="string"),
            "quote": pd.Series([], dtype="string"),
            "rate": pd.Series([], dtype="float64"),
        }
    )


def _missing_columns(df: pd.DataFrame, wanted: Sequence[str]) -> list[FactProblem]:
    return [
        FactProblem(-1, col, "column is missing") for col in wanted if col not in df
    ]


def _as_days(values: pd.Series, column: str, problems: list[FactProblem]) -> pd.Series:
    converted = pd.to_datetime(values, errors="coerce")
    for pos in np.flatnonzero(converted.isna().to_numpy()):
        problems.append(FactProblem(int(pos), column, "not a date"))
    if isinstance(converted.dtype, pd.DatetimeTZDtype):
        converted = converted.dt.tz_localize(None)
    floored = converted.dt.floor("D")
    moved = (floored != converted) & converted.notna()
    for pos in np.flatnonzero(moved.to_numpy()):
        problems.append(FactProblem(int(pos), column, "has a time of day; use days"))
    return floored.astype("datetime64[s]")


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype("string").fillna("").str.strip()


def validate_facts(df: pd.DataFrame) -> pd.DataFrame:
    """Check a facts frame and return it normalised to the contract's dtypes.

    Raises :class:`FactsError` listing every bad row (row, column, reason). Values
    must be finite: NaN or infinity in data is a reader bug, not a number.
    Whether a negative value makes sense depends on the metric; the engine checks
    that against the library when it aggregates.
    """
    problems = _missing_columns(df, FACT_COLUMNS)
    if problems:
        raise FactsError(problems)
    frame = df.loc[:, list(FACT_COLUMNS)].reset_index(drop=True).copy()
    frame["start"] = _as_days(frame["start"], "start", problems)
    frame["end"] = _as_days(frame["end"], "end", problems)
    backwards = (frame["end"] < frame["start"]).to_numpy()
    for pos in np.flatnonzero(backwards):
        problems.append(FactProblem(int(pos), "end", "end is before start"))
    for field in (*SEGMENT_FIELDS, "metric", "currency"):
        frame[field] = _as_text(frame[field])
    bad_key = ~frame["metric"].str.fullmatch(_METRIC_KEY.pattern).fillna(False)
    for pos in np.flatnonzero(bad_key.to_numpy(dtype=bool)):
        problems.append(FactProblem(int(pos), "metric", "not a metric key"))
    frame["currency"] = frame["currency"].str.upper()
    bad_ccy = (frame["currency"] != "") & ~frame["currency"].str.fullmatch(
        _CURRENCY.pattern
    ).fillna(False)
    for pos in np.flatnonzero(bad_ccy.to_numpy(dtype=bool)):
        problems.append(FactProblem(int(pos), "currency", "not an ISO 4217 code"))
    values = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    for pos in np.flatnonzero(~np.isfinite(values.to_numpy())):
        problems.append(FactProblem(int(pos), "value", "not a finite number"))
    frame["value"] = values
    if problems:
        raise FactsError(sorted(problems, key=lambda p: (p.row, p.column)))
    return frame


def validate_fx_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Check an FX rates frame and return it normalised.

    A rate must be finite and positive, ``month`` must be a month start, and each
    (month, currency, quote) may appear only once.
    """
    problems = _missing_columns(df, FX_COLUMNS)
    if problems:
        raise FactsError(problems)
    frame = df.loc[:, list(FX_COLUMNS)].reset_index(drop=True).copy()
    month = pd.to_datetime(frame["month"].astype("string"), errors="coerce")
    for pos in np.flatnonzero(month.isna().to_numpy()):
        problems.append(FactProblem(int(pos), "month", "not a month"))
    not_start = month.notna() & (month != month.dt.to_period("M").dt.start_time)
    for pos in np.flatnonzero(not_start.to_numpy(dtype=bool)):
        problems.append(FactProblem(int(pos), "month", "not the first day of a month"))
    frame["month"] = month.astype("datetime64[s]")
    for field in ("currency", "quote"):
        frame[field] = _as_text(frame[field]).str.upper()
        bad = ~frame[field].str.fullmatch(_CURRENCY.pattern).fillna(False)
        for pos in np.flatnonzero(bad.to_numpy(dtype=bool)):
            problems.append(FactProblem(int(pos), field, "not an ISO 4217 code"))
    rate = pd.to_numeric(frame["rate"], errors="coerce").astype("float64")
    arr = rate.to_numpy()
    for pos in np.flatnonzero(~np.isfinite(arr) | (arr <= 0)):
        problems.append(FactProblem(int(pos), "rate", "rate must be finite and > 0"))
    frame["rate"] = rate
    dup = frame.duplicated(["month", "currency", "quote"], keep="first")
    for pos in np.flatnonzero(dup.to_numpy(dtype=bool)):
        problems.append(FactProblem(int(pos), "month", "duplicate rate for the month"))
    if problems:
        raise FactsError(sorted(problems, key=lambda p: (p.row, p.column)))
    return frame


def fx_rates_from_wide(df: pd.DataFrame, quote: str = "CNY") -> pd.DataFrame:
    """Turn ``month,currency,rate_to_CNY`` (the sample file's layout) into the frame."""
    rate_col = f"rate_to_{quote}"
    if rate_col not in df:
        raise FactsError([FactProblem(-1, rate_col, "column is missing")])
    frame = pd.DataFrame(
        {
            "month": df["month"].astype("string"),
            "currency": df["currency"],
            "quote": quote,
            "rate": df[rate_col],
        }
    )
    return validate_fx_rates(frame)
