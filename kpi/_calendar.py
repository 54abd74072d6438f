"""Periods: day, ISO week, month, quarter and year, with a fiscal-year start.

Period labels::

    2026-05-17      day
    2026-W20        ISO week (Monday to Sunday; week 1 holds the first Thursday)
    2026-05         month
    2026-Q2         calendar quarter
    FY2026-Q1       fiscal quarter
    2026            calendar year
    FY2026          fiscal year, named after the calendar year it ends in: with a
                    fiscal start in April, FY2026 runs 2025-04-01 to 2026-03-31
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta

from kpi._enums import Grain


class PeriodError(ValueError):
    """A period label that cannot be read."""


@dataclass(frozen=True, slots=True, order=True)
class Period:
    start: date
    end: date
    grain: Grain
    fiscal_start: int = 1

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        return _label(self.start, self.grain, self.fiscal_start)

    def _compute_label(self) -> str:
        s = self.start
        if self.grain is Grain.DAY:
            return s.isoformat()
        if self.grain is Grain.WEEK:
            year, week, _ = s.isocalendar()
            return f"{year}-W{week:02d}"
        if self.grain is Grain.MONTH:
            return f"{s.year:04d}-{s.month:02d}"
        if self.grain is Grain.QUARTER:
            if self.fiscal_start == 1:
                return f"{s.year:04d}-Q{(s.month - 1) // 3 + 1}"
            fy = _fiscal_year_of(s, self.fiscal_start)
            index = ((s.month - self.fiscal_start) % 12) // 3 + 1
            return f"FY{fy}-Q{index}"
        if self.fiscal_start == 1:
            return f"{s.year:04d}"
        return f"FY{_fiscal_year_of(s, self.fiscal_start)}"

    def __str__(self) -> str:
        return self.label

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods later (earlier when negative)."""
        if self.grain is Grain.DAY:
            day = self.start + timedelta(days=steps)
            return Period(day, day, self.grain, self.fiscal_start)
        if self.grain is Grain.WEEK:
            start = self.start + timedelta(weeks=steps)
            return Period(
                start, start + timedelta(days=6), self.grain, self.fiscal_start
            )
        months = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.YEAR: 12}[self.grain]
        start = _add_months(self.start, steps * months)
        end = _add_months(start, months) - timedelta(days=1)
        return Period(start, end, self.grain, self.fiscal_start)

    def previous(self) -> Period:
        return self.shift(-1)

    def last_year(self) -> Period:
        """The same period one year earlier (same ISO week number for weeks)."""
        if self.grain is Grain.DAY:
            try:
                day = self.start.replace(year=self.start.year - 1)
            except ValueError:  # 29 February
                day = self.start.replace(year=self.start.year - 1, day=28)
            return Period(day, day, self.grain, self.fiscal_start)
        if self.grain is Grain.WEEK:
            year, week, _ = self.start.isocalendar()
            week = min(week, date(year - 1, 12, 28).isocalendar()[1])
            start = date.fromisocalendar(year - 1, week, 1)
            return Period(
                start, start + timedelta(days=6), self.grain, self.fiscal_start
            )
        steps = {Grain.MONTH: 12, Grain.QUARTER: 4, Grain.YEAR: 1}[self.grain]
        return self.shift(-steps)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def elapsed_days(self, as_of: date) -> int:
        """Days of the period up to and including ``as_of``."""
        if as_of < self.start:
            return 0
        return min(self.days, (as_of - self.start).days + 1)

    def subperiods(self, grain: Grain) -> list[Period]:
        """The periods of ``grain`` that start inside this period."""
        first = period_containing(self.start, grain, self.fiscal_start)
        out = []
        current = first
        while current.start <= self.end:
            if current.start >= self.start:
                out.append(current)
            current = current.shift(1)
        return out


@functools.lru_cache(maxsize=4096)
def _label(start: date, grain: Grain, fiscal_start: int) -> str:
    return Period(start, start, grain, fiscal_start)._compute_label()


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _fiscal_year_of(day: date, fiscal_start: int) -> int:
    if fiscal_start == 1:
        return day.year
    return day.year + 1 if day.month >= fiscal_start else day.year


def _check_fiscal_start(fiscal_start: int) -> None:
    if not 1 <= fiscal_start <= 12:
        raise PeriodError(f"fiscal year start month must be 1-12, got {fiscal_start}")


def period_containing(day: date, grain: Grain, fiscal_start: int = 1) -> Period:
    _check_fiscal_start(fiscal_start)
    if grain is Grain.DAY:
        return Period(day, day, grain, fiscal_start)
    if grain is Grain.WEEK:
        start = day - timedelta(days=day.weekday())
        return Period(start, start + timedelta(days=6), grain, fiscal_start)
    if grain is Grain.MONTH:
        start = date(day.year, day.month, 1)
        return Period(
            start, _add_months(start, 1) - timedelta(days=1), grain, fiscal_start
        )
    offset = (day.month - fiscal_start) % (3 if grain is Grain.QUARTER else 12)
    start = _add_months(date(day.year, day.month, 1), -offset)
    length = 3 if grain is Grain.QUARTER else 12
    return Period(
        start, _add_months(start, length) - timedelta(days=1), grain, fiscal_start
    )


_PATTERNS: tuple[tuple[re.Pattern[str], Grain], ...] = (
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), Grain.DAY),
    (re.compile(r"(\d{4})-W(\d{2})"), Grain.WEEK),
    (re.compile(r"(\d{4})-(\d{2})"), Grain.MONTH),
    (re.compile(r"(FY)?(\d{4})-Q([1-4])"), Grain.QUARTER),
    (re.compile(r"(FY)?(\d{4})"), Grain.YEAR),
)


def parse_period(text: str, fiscal_start: int = 1) -> Period:
    """Read a period label (see the module docstring)."""
    _check_fiscal_start(fiscal_start)
    label = text.strip().upper()
    for pattern, grain in _PATTERNS:
        match = pattern.fullmatch(label)
        if not match:
            continue
        try:
            return _build(grain, match.groups(), fiscal_start)
        except ValueError as err:
            raise PeriodError(f"{text!r} is not a valid {grain.value}: {err}") from None
    raise PeriodError(
        f"{text!r} is not a period; use 2026-05-17, 2026-W20, 2026-05, 2026-Q2, "
        "FY2026-Q1, 2026 or FY2026"
    )


def _build(grain: Grain, groups: tuple[str | None, ...], fiscal_start: int) -> Period:
    if grain is Grain.DAY:
        y, m, d = (int(g or 0) for g in groups)
        return period_containing(date(y, m, d), grain, fiscal_start)
    if grain is Grain.WEEK:
        y, w = (int(g or 0) for g in groups)
        return period_containing(date.fromisocalendar(y, w, 1), grain, fiscal_start)
    if grain is Grain.MONTH:
        y, m = (int(g or 0) for g in groups)
        return period_containing(date(y, m, 1), grain, fiscal_start)
    fiscal = groups[0] == "FY"
    year = int(groups[1] or 0)
    if fiscal:
        first_month = date(year - 1 if fiscal_start > 1 else year, fiscal_start, 1)
    else:
        first_month = date(year, 1, 1)
    if grain is Grain.QUARTER:
        q = int(groups[2] or 1)
        start = _add_months(first_month, 3 * (q - 1))
        end = _add_months(start, 3) - timedelta(days=1)
        return Period(start, end, grain, fiscal_start if fiscal else 1)
    end = _add_months(first_month, 12) - timedelta(days=1)
    return Period(first_month, end, grain, fiscal_start if fiscal else 1)


def periods_between(first: Period, last: Period) -> list[Period]:
    """``first``, its successors, up to and including ``last`` (same grain)."""
    if first.grain is not last.grain:
        raise PeriodError("periods_between needs two periods of one grain")
    out = [first]
    while out[-1].start < last.start:
        out.append(out[-1].shift(1))
    return out
