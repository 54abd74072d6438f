"""Hypothesis properties: numbers round-trip, and no input makes a reader crash."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.readers import Mode, ReadOptions, ReadResult, detect, preview, read
from kpi.readers._values import parse_numbers

amounts = st.decimals(
    min_value=Decimal("-999999999.99"),
    max_value=Decimal("999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def _dot(value: Decimal) -> str:
    return f"{abs(value):,.2f}"


def _comma(value: Decimal) -> str:
    return _dot(value).replace(",", "_").replace(".", ",").replace("_", ".")


STYLES = {
    "plain": (".", lambda v: f"{v:.2f}"),
    "dollar": (".", lambda v: ("-" if v < 0 else "") + "$" + _dot(v)),
    "us_dollar": (".", lambda v: ("-" if v < 0 else "") + "US$" + _dot(v)),
    "pound": (".", lambda v: ("-" if v < 0 else "") + "£" + _dot(v)),
    "brackets": (".", lambda v: f"(${_dot(v)})" if v < 0 else f"${_dot(v)}"),
    "euro_de": (",", lambda v: ("-" if v < 0 else "") + _comma(v) + " €"),
    "thousands": (".", lambda v: ("-" if v < 0 else "") + _dot(v)),
}


@settings(deadline=None)
@given(amounts, st.sampled_from(sorted(STYLES)))
def test_money_round_trips(value: Decimal, style: str) -> None:
    decimal, render = STYLES[style]
    text = render(value)
    parsed, bad = parse_numbers(pd.Series([text], dtype=object), decimal=decimal)
    assert not bad[0], text
    assert round(float(parsed.iloc[0]), 2) == float(value), text


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False))
def test_percent_round_trips(value: Decimal) -> None:
    parsed, bad = parse_numbers(pd.Series([f"{value}%"], dtype=object))
    assert not bad[0]
    assert abs(float(parsed.iloc[0]) - float(value) / 100) < 1e-12


@settings(deadline=None)
@given(st.text(max_size=20))
def test_any_cell_is_a_number_a_blank_or_flagged(text: str) -> None:
    parsed, bad = parse_numbers(pd.Series([text], dtype=object))
    value = float(parsed.iloc[0])
    assert bad[0] or pd.isna(value) or isinstance(value, float)
    assert not (bad[0] and not pd.isna(value))


def _never_crashes(result: ReadResult) -> None:
    assert not any(e.reason_code == "internal_error" for e in result.errors), (
        result.errors
    )
    if result.fatal:
        assert result.facts.empty
        assert result.errors


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(["x.csv", "x.xlsx", "x.txt"]))
def test_random_bytes_never_crash(data: bytes, name: str) -> None:
    for mode in Mode:
        _never_crashes(read(data, name=name, mode=mode))
    detection = detect(data, name=name)
    assert detection.format is None or detection.confidence >= 0.7
    shown = preview(data, name=name)
    assert all(e.reason_code != "internal_error" for e in shown.errors)


HEADER = ["Day", "Campaign", "Currency code", "Cost", "Impr.", "Clicks"]
cells = st.one_of(
    st.text(max_size=8),
    st.decimals(min_value=-1000, max_value=100000, places=2).map(str),
    st.sampled_from(["--", "", "=1+1", "@x", "2026-05-01", "$1,234.50", "12%"]),
)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 1, 1)).map(str)
rows = st.lists(
    st.tuples(days, cells, st.sampled_from(["USD", "", "EUR"]), cells, cells, cells),
    min_size=1,
    max_size=15,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows)
def test_every_row_is_kept_or_rejected(body: list[tuple[str, ...]]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADER)
    writer.writerows(body)
    data = buf.getvalue().encode("utf-8")
    options = ReadOptions(today=date(2026, 7, 1), keep_lines=True)
    result = read(data, name="ads.csv", mode=Mode.SKIP_BAD_ROWS, options=options)
    _never_crashes(result)
    if result.fatal:
        return
    kept = 0 if result.lines is None else len(result.lines)
    assert kept + len(result.rejected_rows) == result.row_count
    assert set(result.rejected_rows) <= set(range(2, len(body) + 2))
