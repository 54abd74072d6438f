"""Attribution has no residual: effects always add up to the total change."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kpi import lmdi_effects, shapley_effects
from kpi._formula import evaluate_scalar
from kpi._parser import parse_formula

positive = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False)
non_negative = st.one_of(st.just(0.0), positive)
any_sign = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False)


def magnitude(x: np.ndarray) -> float:
    """Float error grows with the size of the terms added, which may cancel."""
    return float(np.abs(x.prod(axis=1)).sum())


def shapes() -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(1, 8), st.integers(1, 5))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_lmdi_effects_sum_to_the_change(data: st.DataObject) -> None:
    shape = data.draw(shapes())
    x0 = data.draw(arrays(np.float64, shape, elements=non_negative))
    xt = data.draw(arrays(np.float64, shape, elements=non_negative))
    effects = lmdi_effects(x0, xt)
    change = xt.prod(axis=1).sum() - x0.prod(axis=1).sum()
    scale = max(1.0, magnitude(x0), magnitude(xt), float(np.abs(effects).sum()))
    assert np.isfinite(effects).all()
    assert abs(effects.sum() - change) <= 1e-9 * scale


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_lmdi_with_negative_values_still_adds_up(data: st.DataObject) -> None:
    shape = data.draw(st.tuples(st.integers(1, 4), st.integers(1, 4)))
    x0 = data.draw(arrays(np.float64, shape, elements=any_sign))
    xt = data.draw(arrays(np.float64, shape, elements=any_sign))
    effects = lmdi_effects(x0, xt)
    change = xt.prod(axis=1).sum() - x0.prod(axis=1).sum()
    scale = max(1.0, magnitude(x0), magnitude(xt), float(np.abs(effects).sum()))
    assert abs(effects.sum() - change) <= 1e-9 * scale


FORMULAS = [
    "a + b - c",
    "a * b * c",
    "(a - b) / c",
    "safe_div(a, c, 0) + b",
    "max(a, b) - min(b, c)",
    "if(a > b, a * c, b - c)",
    "abs(a - b) * c",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(FORMULAS),
    st.tuples(positive, positive, positive),
    st.tuples(positive, positive, positive),
)
def test_shapley_effects_sum_to_the_change(
    text: str, base: tuple[float, ...], current: tuple[float, ...]
) -> None:
    expression = parse_formula(text)
    names = ("a", "b", "c")
    b = dict(zip(names, base, strict=True))
    c = dict(zip(names, current, strict=True))
    effects = shapley_effects(lambda v: evaluate_scalar(expression, v), b, c)
    before = evaluate_scalar(expression, b)
    after = evaluate_scalar(expression, c)
    assert effects is not None and before is not None and after is not None
    total = after - before
    # float tolerance scales with the terms added up, which may cancel
    scale = max(
        1.0, abs(after), abs(before), math.fsum(abs(v) for v in effects.values())
    )
    assert abs(math.fsum(effects.values()) - total) <= 1e-9 * scale
