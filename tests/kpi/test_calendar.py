"""Periods: labels, ISO weeks, fiscal years, shifting."""

from __future__ import annotations

from datetime import date

import pytest

from kpi import Grain, PeriodError, parse_period
from kpi._calendar import period_containing, periods_between


@pytest.mark.parametrize(
    ("label", "fiscal", "start", "end", "grain"),
    [
        ("2026-05-17", 1, date(2026, 5, 17), date(2026, 5, 17), Grain.DAY),
        ("2026-W01", 1, date(2025, 12, 29), date(2026, 1, 4), Grain.WEEK),
        ("2026-W53", 1, date(2026, 12, 28), date(2027, 1, 3), Grain.WEEK),
        ("2020-W53", 1, date(2020, 12, 28), date(2021, 1, 3), Grain.WEEK),
        ("2026-02", 1, date(2026, 2, 1), date(2026, 2, 28), Grain.MONTH),
        ("2024-02", 1, date(2024, 2, 1), date(2024, 2, 29), Grain.MONTH),
        ("2026-Q2", 1, date(2026, 4, 1), date(2026, 6, 30), Grain.QUARTER),
        ("2026", 1, date(2026, 1, 1), date(2026, 12, 31), Grain.YEAR),
        ("FY2026", 4, date(2025, 4, 1), date(2026, 3, 31), Grain.YEAR),
        ("FY2026-Q1", 4, date(2025, 4, 1), date(2025, 6, 30), Grain.QUARTER),
        ("FY2026-Q4", 4, date(2026, 1, 1), date(2026, 3, 31), Grain.QUARTER),
        ("fy2026", 1, date(2026, 1, 1), date(2026, 12, 31), Grain.YEAR),
        (" 2026-05 ", 1, date(2026, 5, 1), date(2026, 5, 31), Grain.MONTH),
    ],
)
def test_parse(label: str, fiscal: int, start: date, end: date, grain: Grain) -> None:
    period = parse_period(label, fiscal)
    assert (period.start, period.end, period.grain) == (start, end, grain)


@pytest.mark.parametrize(
    "label",
    ["2026-13", "2026-02-30", "2026-W54", "2025-W53", "May 2026", "", "2026-Q5"],
)
def test_bad_labels(label: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(label)


def test_fiscal_start_must_be_a_month() -> None:
    with pytest.raises(PeriodError, match="1-12"):
        parse_period("2026", 13)


@pytest.mark.parametrize(
    ("label", "fiscal", "previous", "last_year"),
    [
        ("2026-03-01", 1, "2026-02-28", "2025-03-01"),
        ("2024-02-29", 1, "2024-02-28", "2023-02-28"),
        ("2026-W01", 1, "2025-W52", "2025-W01"),
        ("2026-W53", 1, "2026-W52", "2025-W52"),
        ("2026-01", 1, "2025-12", "2025-01"),
        ("2026-Q1", 1, "2025-Q4", "2025-Q1"),
        ("FY2026-Q1", 4, "FY2025-Q4", "FY2025-Q1"),
        ("FY2026", 4, "FY2025", "FY2025"),
    ],
)
def test_shifting(label: str, fiscal: int, previous: str, last_year: str) -> None:
    period = parse_period(label, fiscal)
    assert period.previous().label == previous
    assert period.last_year().label == last_year
    assert parse_period(period.label, fiscal) == period


def test_containing_and_subperiods() -> None:
    assert period_containing(date(2026, 5, 17), Grain.WEEK).label == "2026-W20"
    assert period_containing(date(2026, 2, 17), Grain.QUARTER, 4).label == "FY2026-Q4"
    quarter = parse_period("2026-Q2")
    assert [p.label for p in quarter.subperiods(Grain.MONTH)] == [
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert len(parse_period("2026-05").subperiods(Grain.DAY)) == 31
    months = periods_between(parse_period("2025-11"), parse_period("2026-02"))
    assert [p.label for p in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_elapsed_days() -> None:
    may = parse_period("2026-05")
    assert may.elapsed_days(date(2026, 4, 30)) == 0
    assert may.elapsed_days(date(2026, 5, 10)) == 10
    assert may.elapsed_days(date(2026, 7, 1)) == 31
