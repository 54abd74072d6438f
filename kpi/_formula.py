"""Checking and evaluating parsed formulas.

Evaluation is vectorised: every name maps to a numpy array (all periods × all
segments at once) and each operator is one numpy call from ``OPERATORS``. A
missing value is NaN. A plain ``/`` by zero gives NaN and sets the
``DIVISION_BY_ZERO`` flag on that cell, never infinity; ``safe_div(a, b)`` gives
no value (NaN, flag ``NO_VALUE``) or its optional third argument.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import IntFlag

import numpy as np
import numpy.typing as npt

from kpi._enums import Unit
from kpi._errors import FormulaError
from kpi._parser import (
    Binary,
    Call,
    Compare,
    Expression,
    Name,
    Number,
    Unary,
    parse_formula,
    walk,
)

FloatArray = npt.NDArray[np.float64]
FlagArray = npt.NDArray[np.uint8]

#: Names every formula may use besides metric keys.
BUILTIN_NAMES: Mapping[str, Unit] = {"days_in_period": Unit.DAYS}

#: name -> (minimum arguments, maximum arguments)
FUNCTIONS: Mapping[str, tuple[int, int]] = {
    "safe_div": (2, 3),
    "min": (2, 16),
    "max": (2, 16),
    "abs": (1, 1),
    "if": (3, 3),
}


class CellFlag(IntFlag):
    """Why a computed cell has no value (bits, so causes combine)."""

    NONE = 0
    MISSING_INPUT = 1
    DIVISION_BY_ZERO = 2
    NO_VALUE = 4
    OVERFLOW = 8
    COARSE_DATA = 16
    NO_FX_RATE = 32
    NO_CURRENCY = 64


#: Reasons shown for a cell without value, Chinese and English.
FLAG_REASONS: Mapping[CellFlag, tuple[str, str]] = {
    CellFlag.MISSING_INPUT: ("缺少数据", "no data for an input"),
    CellFlag.DIVISION_BY_ZERO: ("除数为零", "division by zero"),
    CellFlag.NO_VALUE: ("safe_div 除数为零，无值", "safe_div by zero: no value"),
    CellFlag.OVERFLOW: ("数值溢出", "number too large"),
    CellFlag.COARSE_DATA: (
        "数据跨越期间边界，无法拆分",
        "data covers a longer range than the period and cannot be split",
    ),
    CellFlag.NO_FX_RATE: ("缺少当月汇率", "no FX rate for the month"),
    CellFlag.NO_CURRENCY: ("金额缺少币种", "money without a currency"),
}


def describe_flags(flags: int) -> list[tuple[str, str]]:
    """The (zh, en) reasons set in ``flags``."""
    return [text for flag, text in FLAG_REASONS.items() if flags & flag]


# ---------------------------------------------------------------- dimensions
# A dimension is the exponent of (money, count, days, hours). Percent and ratio
# are dimensionless; a literal number has no dimension and adapts.
Dim = tuple[int, int, int, int]
_DIMENSIONLESS: Dim = (0, 0, 0, 0)
UNIT_DIMENSIONS: Mapping[Unit, Dim] = {
    Unit.MONEY: (1, 0, 0, 0),
    Unit.COUNT: (0, 1, 0, 0),
    Unit.RATIO: _DIMENSIONLESS,
    Unit.PERCENT: _DIMENSIONLESS,
    Unit.DAYS: (0, 0, 1, 0),
    Unit.HOURS: (0, 0, 0, 1),
}


def describe_dim(dim: Dim | None) -> str:
    if dim is None:
        return "a plain number"
    names = ("money", "count", "days", "hours")
    top = [
        n if e == 1 else f"{n}^{e}" for n, e in zip(names, dim, strict=True) if e > 0
    ]
    bottom = [
        n if e == -1 else f"{n}^{-e}" for n, e in zip(names, dim, strict=True) if e < 0
    ]
    if not top and not bottom:
        return "a ratio"
    text = " × ".join(top) or "1"
    if bottom:
        text += " / " + " / ".join(bottom)
    return text


def unit_accepts(unit: Unit, dim: Dim | None) -> bool:
    """Whether a formula of dimension ``dim`` may be declared as ``unit``.

    Counts may be divided out freely (money per order is still money; units per
    session is a ratio), the money and time exponents must match exactly.
    """
    if dim is None:
        return unit in (Unit.RATIO, Unit.PERCENT, Unit.COUNT)
    want = UNIT_DIMENSIONS[unit]
    if unit is Unit.COUNT:
        return dim == want
    return (dim[0], dim[2], dim[3]) == (want[0], want[2], want[3])


# ----------------------------------------------------------------- checking
@dataclass(frozen=True, slots=True)
class CheckedFormula:
    """A parsed formula with its inputs and inferred dimension."""

    text: str
    expression: Expression
    names: frozenset[str]
    dimension: Dim | None


def names_in(expression: Expression) -> frozenset[str]:
    return frozenset(n.key for n in walk(expression) if isinstance(n, Name))


def check_formula(
    text: str, units: Mapping[str, Unit], *, expression: Expression | None = None
) -> CheckedFormula:
    """Parse and check ``text``: names known, calls well-formed, units agree.

    ``units`` maps every name the formula may use to its unit. Raises
    :class:`FormulaError` pointing at the first problem.
    """
    tree = expression if expression is not None else parse_formula(text)
    known = {**BUILTIN_NAMES, **units}
    for node in walk(tree):
        if isinstance(node, Name) and node.key not in known:
            hint = ""
            if node.key in FUNCTIONS:
                hint = f"; {node.key} is a function, call it as {node.key}(...)"
            raise FormulaError(
                f"unknown metric {node.key!r}{hint}", text, node.start, node.end
            )
        if isinstance(node, Call):
            _check_call(node, text)
    _check_compare_placement(tree, text, allowed=False)
    dim = _infer(tree, text, {k: UNIT_DIMENSIONS[u] for k, u in known.items()})
    return CheckedFormula(text, tree, names_in(tree), dim)


def _check_call(node: Call, text: str) -> None:
    if node.function not in FUNCTIONS:
        raise FormulaError(
            f"unknown function {node.function!r}; use one of "
            + ", ".join(sorted(FUNCTIONS)),
            text,
            node.start,
            node.name_end,
        )
    low, high = FUNCTIONS[node.function]
    count = len(node.args)
    if not low <= count <= high:
        want = str(low) if low == high else f"{low} to {high}"
        raise FormulaError(
            f"{node.function}() takes {want} arguments, got {count}",
            text,
            node.start,
            node.end,
        )


def _check_compare_placement(node: Expression, text: str, *, allowed: bool) -> None:
    if isinstance(node, Compare):
        if not allowed:
            raise FormulaError(
                "a comparison is only allowed as if()'s condition",
                text,
                node.op_start,
                node.op_start + len(node.op),
            )
        _check_compare_placement(node.left, text, allowed=False)
        _check_compare_placement(node.right, text, allowed=False)
    elif isinstance(node, Call):
        for i, arg in enumerate(node.args):
            _check_compare_placement(
                arg, text, allowed=node.function == "if" and i == 0
            )
        if node.function == "if" and not isinstance(node.args[0], Compare):
            arg = node.args[0]
            raise FormulaError(
                "if() needs a comparison as its condition, e.g. if(a > b, a, b)",
                text,
                arg.start,
                arg.end,
            )
    elif isinstance(node, Unary):
        _check_compare_placement(node.operand, text, allowed=False)
    elif isinstance(node, Binary):
        _check_compare_placement(node.left, text, allowed=False)
        _check_compare_placement(node.right, text, allowed=False)


def _same(
    left: Dim | None, right: Dim | None, text: str, start: int, end: int, what: str
) -> Dim | None:
    if left is None:
        return right
    if right is None or left == right:
        return left
    raise FormulaError(
        f"unit mismatch: cannot {what} {describe_dim(left)} and {describe_dim(right)}",
        text,
        start,
        end,
    )


def _combine(left: Dim | None, right: Dim | None, sign: int) -> Dim | None:
    if left is None and right is None:
        return None
    a = left or _DIMENSIONLESS
    b = right or _DIMENSIONLESS
    out = (
        a[0] + sign * b[0],
        a[1] + sign * b[1],
        a[2] + sign * b[2],
        a[3] + sign * b[3],
    )
    return out


def _infer(node: Expression, text: str, dims: Mapping[str, Dim]) -> Dim | None:
    if isinstance(node, Number):
        return None
    if isinstance(node, Name):
        return dims[node.key]
    if isinstance(node, Unary):
        return _infer(node.operand, text, dims)
    if isinstance(node, Binary):
        left = _infer(node.left, text, dims)
        right = _infer(node.right, text, dims)
        if node.op in "+-":
            verb = "add" if node.op == "+" else "subtract"
            return _same(left, right, text, node.op_start, node.op_start + 1, verb)
        return _combine(left, right, 1 if node.op == "*" else -1)
    if isinstance(node, Compare):
        left = _infer(node.left, text, dims)
        right = _infer(node.right, text, dims)
        _same(left, right, text, node.op_start, node.op_start + len(node.op), "compare")
        return _DIMENSIONLESS
    args = [_infer(a, text, dims) for a in node.args]
    if node.function == "safe_div":
        quotient = _combine(args[0], args[1], -1)
        if len(args) == 3:
            fallback = node.args[2]
            return _same(quotient, args[2], text, fallback.start, fallback.end, "mix")
        return quotient
    if node.function == "abs":
        return args[0]
    if node.function == "if":
        branch = node.args[2]
        return _same(args[1], args[2], text, branch.start, branch.end, "choose between")
    result = args[0]
    for arg, expr in zip(args[1:], node.args[1:], strict=True):
        result = _same(result, arg, text, expr.start, expr.end, "compare")
    return result


def formula_order(
    formulas: Mapping[str, Expression], texts: Mapping[str, str]
) -> list[str]:
    """Keys in an order where each formula comes after the formulas it uses.

    Raises :class:`FormulaError` naming the cycle (``a → b → a``) when formulas
    refer to each other, pointing at the name that closes the cycle.
    """
    order: list[str] = []
    state: dict[str, int] = {}
    for key in formulas:
        _visit(key, formulas, texts, state, order, [])
    return order


def _visit(
    key: str,
    formulas: Mapping[str, Expression],
    texts: Mapping[str, str],
    state: dict[str, int],
    order: list[str],
    path: list[str],
) -> None:
    if state.get(key) == 2 or key not in formulas:
        return
    if state.get(key) == 1:
        cycle = [*path[path.index(key) :], key]
        last = path[-1]
        spot = next(
            n for n in walk(formulas[last]) if isinstance(n, Name) and n.key == key
        )
        raise FormulaError(
            "formulas refer to each other: " + " → ".join(cycle),
            f"{last} = {texts[last]}",
            spot.start + len(last) + 3,
            spot.end + len(last) + 3,
        )
    state[key] = 1
    path.append(key)
    for name in sorted(names_in(formulas[key])):
        _visit(name, formulas, texts, state, order, path)
    path.pop()
    state[key] = 2
    order.append(key)


# --------------------------------------------------------------- evaluation
@dataclass(frozen=True, slots=True)
class Evaluated:
    values: FloatArray
    flags: FlagArray


def _divide(a: FloatArray, b: FloatArray) -> tuple[FloatArray, FlagArray]:
    zero = b == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(zero, np.nan, a / np.where(zero, 1.0, b))
    flags = np.where(zero & ~np.isnan(a), CellFlag.DIVISION_BY_ZERO, 0).astype(np.uint8)
    return out.astype(np.float64), flags


BinaryOp = Callable[[FloatArray, FloatArray], FloatArray]
OPERATORS: Mapping[str, BinaryOp] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
}
COMPARISONS: Mapping[str, Callable[[FloatArray, FloatArray], npt.NDArray[np.bool_]]] = {
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
    "==": np.equal,
    "!=": np.not_equal,
}


def evaluate(
    expression: Expression,
    inputs: Mapping[str, FloatArray | float],
    shape: tuple[int, ...],
) -> Evaluated:
    """Evaluate over arrays of one ``shape``; NaN inputs flag ``MISSING_INPUT``."""
    with np.errstate(over="ignore", invalid="ignore"):
        result = _eval(expression, inputs, shape)
    values = result.values
    overflow = np.isinf(values)
    if overflow.any():
        values = np.where(overflow, np.nan, values)
        flags = result.flags | np.where(overflow, CellFlag.OVERFLOW, 0).astype(np.uint8)
        return Evaluated(values, flags)
    return result


def _eval(
    node: Expression, inputs: Mapping[str, FloatArray | float], shape: tuple[int, ...]
) -> Evaluated:
    if isinstance(node, Number):
        return Evaluated(np.full(shape, node.value), np.zeros(shape, np.uint8))
    if isinstance(node, Name):
        raw = inputs[node.key]
        arr = np.broadcast_to(np.asarray(raw, dtype=np.float64), shape)
        missing = np.isnan(arr)
        return Evaluated(
            arr, np.where(missing, CellFlag.MISSING_INPUT, 0).astype(np.uint8)
        )
    if isinstance(node, Unary):
        inner = _eval(node.operand, inputs, shape)
        return inner if node.op == "+" else Evaluated(-inner.values, inner.flags)
    if isinstance(node, Binary):
        left = _eval(node.left, inputs, shape)
        right = _eval(node.right, inputs, shape)
        flags = left.flags | right.flags
        if node.op == "/":
            values, div_flags = _divide(left.values, right.values)
            return Evaluated(values, flags | div_flags)
        return Evaluated(OPERATORS[node.op](left.values, right.values), flags)
    if isinstance(node, Compare):
        left = _eval(node.left, inputs, shape)
        right = _eval(node.right, inputs, shape)
        truth = COMPARISONS[node.op](left.values, right.values).astype(np.float64)
        missing = np.isnan(left.values) | np.isnan(right.values)
        return Evaluated(np.where(missing, np.nan, truth), left.flags | right.flags)
    args = [_eval(a, inputs, shape) for a in node.args]
    return FUNCTION_TABLE[node.function](args)


def _safe_div(args: list[Evaluated]) -> Evaluated:
    a, b = args[0], args[1]
    values, div = _divide(a.values, b.values)
    flags = a.flags | b.flags
    no_value = div != 0
    if len(args) == 3:
        fallback = args[2]
        values = np.where(no_value, fallback.values, values)
        flags = np.where(no_value, flags | fallback.flags, flags).astype(np.uint8)
        return Evaluated(values, flags)
    return Evaluated(
        values, flags | np.where(no_value, CellFlag.NO_VALUE, 0).astype(np.uint8)
    )


def _reduce(fn: BinaryOp) -> Callable[[list[Evaluated]], Evaluated]:
    def apply(args: list[Evaluated]) -> Evaluated:
        values = args[0].values
        flags = args[0].flags
        for arg in args[1:]:
            values = fn(values, arg.values)
            flags = flags | arg.flags
        return Evaluated(values, flags)

    return apply


def _if(args: list[Evaluated]) -> Evaluated:
    cond, then, other = args
    chosen = np.where(cond.values == 1.0, then.values, other.values)
    flags = np.where(cond.values == 1.0, then.flags, other.flags) | cond.flags
    values = np.where(np.isnan(cond.values), np.nan, chosen)
    return Evaluated(values, flags.astype(np.uint8))


FUNCTION_TABLE: Mapping[str, Callable[[list[Evaluated]], Evaluated]] = {
    "safe_div": _safe_div,
    "min": _reduce(np.minimum),
    "max": _reduce(np.maximum),
    "abs": lambda args: Evaluated(np.abs(args[0].values), args[0].flags),
    "if": _if,
}


def evaluate_scalar(
    expression: Expression, inputs: Mapping[str, float]
) -> float | None:
    """One-cell evaluation; ``None`` when the cell has no value."""
    result = evaluate(expression, {k: np.float64(v) for k, v in inputs.items()}, ())
    value = float(result.values)
    return None if math.isnan(value) else value


def dependencies(
    expressions: Mapping[str, Expression], keys: Iterable[str]
) -> set[str]:
    """All names ``keys`` need, transitively, through ``expressions``."""
    seen: set[str] = set()
    stack = list(keys)
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        if key in expressions:
            stack.extend(names_in(expressions[key]))
    return seen
