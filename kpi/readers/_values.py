"""Cell values as exports write them: money with symbols, separators, percents, dates.

All parsers are vectorised over a Series of text and return the parsed values plus a
mask of cells that held something that is not a value (blanks and ``--`` are missing,
not bad).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

__all__ = [
    "MISSING_TOKENS",
    "currency_from_symbols",
    "guess_decimal",
    "parse_dates",
    "parse_number",
    "parse_numbers",
]

MISSING_TOKENS = frozenset(
    {"", "--", "-", "—", "–", "n/a", "N/A", "NA", "null", "None"}
)

_CURRENCY_TOKENS = (
    r"US\$|CA\$|AU\$|NZ\$|HK\$|SG\$|S\$|C\$|A\$|R\$|MX\$|\$|£|€|¥|￥|₹|"
    r"RMB|CNY|USD|GBP|EUR|SGD|JPY|CAD|AUD|MYR|RM|PHP|₱|THB|฿|VND|₫|IDR|Rp|元"
)
_NUMBER = re.compile(
    r"^\s*(?P<neg>[-−(])?\s*(?:" + _CURRENCY_TOKENS + r")?\s*(?P<neg2>[-−])?\s*"
    r"(?P<num>\d[\d,.\s\u00a0\u202f']*|[.,]\d+)\s*(?:" + _CURRENCY_TOKENS + r")?\s*"
    r"(?P<pct>%)?\s*\)?\s*$"
)
_DOT_STYLE = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$|^\d+(\.\d+)?$|^\.\d+$")
_COMMA_STYLE = re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)?$|^\d+(,\d+)?$|^,\d+$")
_SYMBOLS: tuple[tuple[str, str], ...] = (
    ("US$", "USD"),
    ("S$", "SGD"),
    ("SG$", "SGD"),
    ("CA$", "CAD"),
    ("C$", "CAD"),
    ("AU$", "AUD"),
    ("A$", "AUD"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("¥", "CNY"),
    ("￥", "CNY"),
    ("RM", "MYR"),
    ("₱", "PHP"),
    ("$", "USD"),
)


def _parse_distinct(
    cells: pd.Series, decimal: str, percent: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Values and bad flags for distinct cell texts (the slow, careful path)."""
    text = cells.astype(object).fillna("").astype(str)
    missing = text.str.strip().isin(MISSING_TOKENS).to_numpy()
    parts = text.str.extract(_NUMBER)
    num = parts["num"].fillna("").str.replace(r"[\s\u00a0\u202f']", "", regex=True)
    if decimal == ",":
        ok_shape = num.str.match(_COMMA_STYLE)
        num = num.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        ok_shape = num.str.match(_DOT_STYLE)
        num = num.str.replace(",", "", regex=False)
    shaped = ok_shape.fillna(False).astype(bool)
    parsed = pd.to_numeric(num.where(shaped, None), errors="coerce").astype("float64")
    negative = parts["neg"].notna() | parts["neg2"].notna()
    parsed = parsed.where(~negative, -parsed)
    if percent:
        parsed = parsed / 100.0
    else:
        parsed = parsed.where(parts["pct"].isna(), parsed / 100.0)
    values = np.array(parsed, dtype="float64")
    values[missing] = np.nan
    bad = np.isnan(values) & ~missing
    return values, bad


def parse_numbers(
    values: pd.Series, decimal: str = ".", percent: bool = False
) -> tuple[pd.Series, np.ndarray]:
    """Numbers (NaN where missing) and the mask of cells that are not numbers.

    ``decimal`` is ``"."`` (``1,234.56``) or ``","`` (``1.234,56``), as the format
    or marketplace implies. ``12.34%`` gives ``0.1234`` whatever ``percent`` says;
    ``percent=True`` also reads a bare ``12.34`` in a percent column as ``0.1234``.
    Plain numbers go through pandas in one pass; everything else is parsed once per
    distinct text.
    """
    result = np.full(len(values), np.nan, dtype="float64")
    bad = np.zeros(len(values), dtype=bool)
    if decimal == "." and not percent:
        fast = pd.to_numeric(values, errors="coerce")
        result = np.array(fast, dtype="float64")
        todo = np.isnan(result)
    else:
        todo = np.ones(len(values), dtype=bool)
    if not todo.any():
        return pd.Series(result, index=values.index), bad
    codes, uniques = pd.factorize(values[todo])
    distinct, distinct_bad = _parse_distinct(
        pd.Series(uniques, dtype=object), decimal, percent
    )
    result[todo] = np.where(codes >= 0, distinct[codes], np.nan)
    bad[todo] = np.where(codes >= 0, distinct_bad[codes], False)
    return pd.Series(result, index=values.index), bad


def parse_number(text: str, decimal: str = ".") -> float | None:
    """One cell; ``None`` when missing or not a number."""
    values, bad = parse_numbers(pd.Series([text], dtype=object), decimal=decimal)
    value = float(values.iloc[0])
    if bad[0] or np.isnan(value):
        return None
    return value


def guess_decimal(values: pd.Series) -> str:
    """``","`` when the cells read as ``1.234,56`` rather than ``1,234.56``."""
    sample = values.astype(object).fillna("").astype(str).head(500)
    comma = dot = 0
    for cell in sample:
        m = _NUMBER.match(cell)
        if not m or not m["num"]:
            continue
        num = re.sub(r"[\s\u00a0\u202f']", "", m["num"])
        if re.fullmatch(r"\d{1,3}(\.\d{3})+,\d+|\d+,\d{1,2}", num):
            comma += 1
        elif re.fullmatch(r"\d{1,3}(,\d{3})+\.\d+|\d+\.\d{1,2}|\d{1,3}(,\d{3})+", num):
            dot += 1
    return "," if comma > dot else "."


def currency_from_symbols(values: pd.Series) -> str:
    """The ISO code the money cells are written in (``$1.00`` -> USD), or ""."""
    sample = values.astype(object).fillna("").astype(str).head(200)
    for cell in sample:
        cell = cell.strip()
        if not cell:
            continue
        for symbol, code in _SYMBOLS:
            if symbol in cell:
                return code
        if m := re.search(r"\b(USD|GBP|EUR|SGD|CNY|JPY|CAD|AUD|MYR|PHP|THB)\b", cell):
            return m[1]
    return ""


def parse_dates(
    values: pd.Series, formats: Sequence[str]
) -> tuple[pd.Series, np.ndarray, str]:
    """Days (time of day dropped), the mask of bad cells, and the format used.

    The file's format is the candidate that reads the most cells; cells it cannot
    read are tried with the other candidates in order (Excel re-saves mix formats).
    """
    text = values.astype(object).fillna("").astype(str).str.strip()
    missing = text.isin(MISSING_TOKENS).to_numpy()
    best: pd.Series | None = None
    best_fmt = formats[0] if formats else ""
    best_count = -1
    attempts: list[tuple[str, pd.Series]] = []
    sample = text[~missing]
    for fmt in formats:
        head = sample.head(200)
        parsed_head = pd.to_datetime(head, format=fmt, errors="coerce")
        count = int(parsed_head.notna().sum())
        attempts.append((fmt, parsed_head))
        if count > best_count:
            best_count, best_fmt = count, fmt
    best = pd.to_datetime(text.where(~missing, None), format=best_fmt, errors="coerce")
    if best.isna().to_numpy()[~missing].any():
        for fmt, _ in attempts:
            if fmt == best_fmt:
                continue
            holes = best.isna().to_numpy() & ~missing
            if not holes.any():
                break
            filled = pd.to_datetime(text[holes], format=fmt, errors="coerce")
            best.loc[holes] = filled
    if isinstance(best.dtype, pd.DatetimeTZDtype):
        best = best.dt.tz_localize(None)
    days = best.dt.normalize().astype("datetime64[s]")
    bad = days.isna().to_numpy() & ~missing
    return days, bad, best_fmt
