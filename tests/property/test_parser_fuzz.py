"""The parser never crashes: any text parses or raises FormulaError."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kpi import FormulaError, Unit, check_formula, parse_formula
from kpi._formula import evaluate_scalar

ALPHABET = st.sampled_from(
    [
        *"abcxyz_019 .+-*/(),<>=!%#（）×÷\t\n",
        *("safe_div", "if", "min", "max", "abs", "ad_spend", "ad_sales", "1e309"),
    ]
)
UNITS = {
    "ad_spend": Unit.MONEY,
    "ad_sales": Unit.MONEY,
    "a": Unit.COUNT,
    "b": Unit.COUNT,
    "c": Unit.PERCENT,
    "x": Unit.RATIO,
    "y": Unit.DAYS,
    "z": Unit.HOURS,
}


@settings(max_examples=1000, deadline=None)
@given(st.text())
def test_random_text_parses_or_raises_formula_error(text: str) -> None:
    try:
        parse_formula(text)
    except FormulaError as err:
        assert err.start is None or 0 <= err.start <= len(text)
        str(err)


@settings(max_examples=1000, deadline=None)
@given(st.lists(ALPHABET, max_size=25).map("".join))
def test_formula_like_text_checks_or_raises_formula_error(text: str) -> None:
    try:
        checked = check_formula(text, UNITS)
    except FormulaError as err:
        assert err.start is None or 0 <= err.start <= len(text)
        assert err.caret_line().strip("^ ") == ""
        return
    value = evaluate_scalar(
        checked.expression, dict.fromkeys([*UNITS, "days_in_period"], 0.0)
    )
    assert value is None or value == value  # never NaN, never raises
