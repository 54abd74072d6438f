"""Periods written in file names, for reports that carry no date column."""

from __future__ import annotations

import re
from datetime import date

from kpi.readers._model import Period

__all__ = ["guess_period"]

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
_D = r"(20\d{2})[-_.]?(\d{2})[-_.]?(\d{2})"


def _day(y: str, m: str, d: str) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except ValueError:
        return None


def guess_period(name: str) -> Period | None:
    """``..._2026-05.csv`` -> May 2026; also ranges, days, quarters, ``2026年5月``."""
    stem = name.rsplit("/", 1)[-1].lower()
    if m := re.search(_D + r"\s*(?:-|_|to|~|\.\.|至)+\s*" + _D, stem):
        first, last = _day(m[1], m[2], m[3]), _day(m[4], m[5], m[6])
        if first and last and first <= last:
            return Period(first, last)
    m = re.search(r"(?<!\d)" + _D + r"(?!\d)", stem)
    if m and (day := _day(m[1], m[2], m[3])):
        return Period(day, day)
    if m := re.search(r"(?<!\d)(20\d{2})[-_ ]?q([1-4])(?![a-z0-9])", stem):
        return Period.parse(f"{m[1]}-Q{m[2]}")
    for pattern in (
        r"(?<!\d)(20\d{2})\s*年\s*(\d{1,2})\s*月",
        r"(?<!\d)(20\d{2})[-_.]?(\d{2})(?!\d)",
    ):
        m = re.search(pattern, stem)
        if m and 1 <= int(m[2]) <= 12:
            return Period.month(int(m[1]), int(m[2]))
    for m in re.finditer(r"([a-z]+)[-_ ]?(20\d{2})|(20\d{2})[-_ ]?([a-z]+)", stem):
        word = m[1] or m[4]
        year = m[2] or m[3]
        if word in _MONTHS:
            return Period.month(int(year), _MONTHS[word])
    return None
