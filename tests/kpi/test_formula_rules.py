"""Formula checks (names, calls, units, cycles) and evaluation rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kpi import FormulaError, Unit, check_formula, parse_formula
from kpi._formula import CellFlag, evaluate, evaluate_scalar, formula_order

UNITS = {
    "ad_spend": Unit.MONEY,
    "ad_sales": Unit.MONEY,
    "acos": Unit.PERCENT,
    "roas": Unit.RATIO,
    "units": Unit.COUNT,
    "sessions": Unit.COUNT,
    "stock": Unit.COUNT,
    "hours": Unit.HOURS,
}


@pytest.mark.parametrize(
    ("text", "message", "start", "end"),
    [
        ("ad_spend / ad_sale", "unknown metric 'ad_sale'", 11, 18),
        (
            "safe_div",
            "unknown metric 'safe_div'; safe_div is a function, call it as "
            "safe_div(...)",
            0,
            8,
        ),
        (
            "sqrt(units)",
            "unknown function 'sqrt'; use one of abs, if, max, min, safe_div",
            0,
            4,
        ),
        ("abs(units, units)", "abs() takes 1 arguments, got 2", 0, 17),
        ("safe_div(units)", "safe_div() takes 2 to 3 arguments, got 1", 0, 15),
        (
            "if(units, 1, 0)",
            "if() needs a comparison as its condition, e.g. if(a > b, a, b)",
            3,
            8,
        ),
        (
            "max(units > 1, 2)",
            "a comparison is only allowed as if()'s condition",
            10,
            11,
        ),
        (
            "if(units > 1, units > 2, 0)",
            "a comparison is only allowed as if()'s condition",
            20,
            21,
        ),
        ("ad_spend + acos", "unit mismatch: cannot add money and a ratio", 9, 10),
        ("units - ad_spend", "unit mismatch: cannot subtract count and money", 6, 7),
        (
            "if(ad_spend > units, 1, 0)",
            "unit mismatch: cannot compare money and count",
            12,
            13,
        ),
        (
            "if(units > 1, ad_spend, units)",
            "unit mismatch: cannot choose between money and count",
            24,
            29,
        ),
        (
            "max(ad_spend, hours)",
            "unit mismatch: cannot compare money and hours",
            14,
            19,
        ),
        ("units + acos", "unit mismatch: cannot add count and a ratio", 6, 7),
    ],
)
def test_check_errors(text: str, message: str, start: int, end: int) -> None:
    with pytest.raises(FormulaError) as err:
        check_formula(text, UNITS)
    assert (err.value.message, err.value.start, err.value.end) == (message, start, end)


@pytest.mark.parametrize(
    ("text", "dimension"),
    [
        ("ad_spend / ad_sales", (0, 0, 0, 0)),
        ("ad_spend / units", (1, -1, 0, 0)),
        ("units / sessions", (0, 0, 0, 0)),
        ("ad_spend + ad_sales * 2", (1, 0, 0, 0)),
        ("1 - acos", (0, 0, 0, 0)),
        ("stock / (units / days_in_period)", (0, 0, 1, 0)),
        ("safe_div(ad_sales, ad_spend, 0)", (0, 0, 0, 0)),
        ("if(acos > 0.3, ad_spend, ad_sales)", (1, 0, 0, 0)),
        ("abs(-ad_spend)", (1, 0, 0, 0)),
        ("2 * 3", None),
    ],
)
def test_dimension_inference(text: str, dimension: tuple[int, ...] | None) -> None:
    checked = check_formula(text, UNITS)
    assert checked.dimension == dimension


def test_names_are_collected() -> None:
    assert check_formula("safe_div(ad_spend, ad_sales) + acos", UNITS).names == {
        "ad_spend",
        "ad_sales",
        "acos",
    }


def arr(*values: float) -> np.ndarray:
    return np.array(values, dtype=np.float64)


@pytest.mark.parametrize(
    ("text", "inputs", "values", "flags"),
    [
        (
            "a / b",
            {"a": arr(1, 1, 0, math.nan), "b": arr(4, 0, 0, 1)},
            [0.25, math.nan, math.nan, math.nan],
            [
                0,
                CellFlag.DIVISION_BY_ZERO,
                CellFlag.DIVISION_BY_ZERO,
                CellFlag.MISSING_INPUT,
            ],
        ),
        (
            "safe_div(a, b)",
            {"a": arr(1, 1), "b": arr(4, 0)},
            [0.25, math.nan],
            [0, CellFlag.NO_VALUE],
        ),
        ("safe_div(a, b, 0)", {"a": arr(1, 1), "b": arr(4, 0)}, [0.25, 0.0], [0, 0]),
        ("-a + b * 2", {"a": arr(1, 2), "b": arr(3, 4)}, [5.0, 6.0], [0, 0]),
        ("min(a, b)", {"a": arr(1, 5), "b": arr(3, 4)}, [1.0, 4.0], [0, 0]),
        ("max(a, b, 10)", {"a": arr(1, 50), "b": arr(3, 4)}, [10.0, 50.0], [0, 0]),
        (
            "min(a, b)",
            {"a": arr(math.nan), "b": arr(1)},
            [math.nan],
            [CellFlag.MISSING_INPUT],
        ),
        ("abs(a)", {"a": arr(-2, 3)}, [2.0, 3.0], [0, 0]),
        ("if(a > b, a, b)", {"a": arr(1, 5), "b": arr(3, 4)}, [3.0, 5.0], [0, 0]),
        ("if(a == b, 1, 0)", {"a": arr(1, 5), "b": arr(1, 4)}, [1.0, 0.0], [0, 0]),
        ("if(a != b, 1, 0)", {"a": arr(1, 5), "b": arr(1, 4)}, [0.0, 1.0], [0, 0]),
        ("if(a <= b, 1, 0)", {"a": arr(1, 5), "b": arr(1, 4)}, [1.0, 0.0], [0, 0]),
        ("if(a >= b, 1, 0)", {"a": arr(0, 5), "b": arr(1, 4)}, [0.0, 1.0], [0, 0]),
        ("if(a < b, 1, 0)", {"a": arr(0, 5), "b": arr(1, 4)}, [1.0, 0.0], [0, 0]),
        ("if(a > 0, b / a, 0)", {"a": arr(0), "b": arr(4)}, [0.0], [0]),
        (
            "if(a > b, 1, 0)",
            {"a": arr(math.nan), "b": arr(1)},
            [math.nan],
            [CellFlag.MISSING_INPUT],
        ),
        ("a * 1e308 * 10", {"a": arr(10)}, [math.nan], [CellFlag.OVERFLOW]),
        ("a / b", {"a": arr(-1), "b": arr(0)}, [math.nan], [CellFlag.DIVISION_BY_ZERO]),
    ],
)
def test_evaluation_rules(
    text: str, inputs: dict[str, np.ndarray], values: list[float], flags: list[int]
) -> None:
    shape = next(iter(inputs.values())).shape
    result = evaluate(parse_formula(text), inputs, shape)
    np.testing.assert_array_equal(result.values, np.array(values))
    assert [int(f) for f in result.flags] == [int(f) for f in flags]
    assert not np.isinf(result.values).any()


def test_scalar_evaluation_gives_none_for_no_value() -> None:
    assert evaluate_scalar(parse_formula("a / b"), {"a": 1.0, "b": 0.0}) is None
    assert evaluate_scalar(parse_formula("a / b"), {"a": 1.0, "b": 4.0}) == 0.25


def test_formula_order_and_cycles() -> None:
    texts = {"c": "a + b", "b": "a * 2", "d": "c / b"}
    order = formula_order({k: parse_formula(v) for k, v in texts.items()}, texts)
    assert order.index("b") < order.index("c") < order.index("d")
    cyclic = {"x": "y + 1", "y": "z * 2", "z": "x / 3"}
    with pytest.raises(FormulaError) as err:
        formula_order({k: parse_formula(v) for k, v in cyclic.items()}, cyclic)
    assert err.value.message == "formulas refer to each other: x → y → z → x"
    assert err.value.text == "z = x / 3"
    assert err.value.caret_line() == "    ^"


@pytest.mark.parametrize(
    ("text", "unit", "problem"),
    [
        ("ad_spend / ad_sales", None, None),
        ("acos = ad_spend / ad_sales", Unit.PERCENT, None),
        ("acos = ad_spend / / ad_sales", None, ("unexpected '/'", 18)),
        ("ad_spend / ad_sale", None, ("unknown metric 'ad_sale'", 11)),
        (
            "ad_spend / clicks",
            Unit.PERCENT,
            ("the formula gives money / count, not percent", 0),
        ),
        ("", None, ("the formula is empty", 0)),
    ],
)
def test_live_validation_never_raises(
    text: str, unit: Unit | None, problem: tuple[str, int] | None
) -> None:
    from kpi import load_library

    error = load_library().validate(text, unit=unit)
    if problem is None:
        assert error is None
    else:
        assert error is not None
        assert error.message.startswith(problem[0])
        assert error.start == problem[1]


def test_live_validation_with_node_children() -> None:
    from kpi import load_library

    names = {"profit": Unit.MONEY, "net": Unit.MONEY}
    library = load_library()
    assert library.validate("profit / net", names=names, unit=Unit.PERCENT) is None
    error = library.validate("profit / sessions", names=names)
    assert error is not None and error.message == "unknown metric 'sessions'"
