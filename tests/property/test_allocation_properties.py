"""Allocation always sums back to the parent target."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from kpi import allocate_even, allocate_weights, solve_factor

totals = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
keys = st.lists(
    st.text("abcdefgh", min_size=1, max_size=4), min_size=1, max_size=30, unique=True
)


@settings(max_examples=300, deadline=None)
@given(totals, keys)
def test_even_allocation_sums_back(total: float, names: list[str]) -> None:
    parts = allocate_even(total, names)
    assert math.isclose(math.fsum(parts.values()), total, rel_tol=1e-12, abs_tol=1e-6)


@settings(max_examples=300, deadline=None)
@given(
    totals,
    st.dictionaries(
        st.text("abcdefgh", min_size=1, max_size=4),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
        min_size=1,
        max_size=30,
    ),
)
def test_weighted_allocation_sums_back(total: float, weights: dict[str, float]) -> None:
    if math.fsum(weights.values()) <= 0:
        return
    parts = allocate_weights(total, weights)
    assert math.isclose(math.fsum(parts.values()), total, rel_tol=1e-12, abs_tol=1e-6)
    assert set(parts) == set(weights)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-(10**11), 10**11),
    keys,
    st.integers(0, 4),
)
def test_rounded_allocation_sums_back_exactly(
    units: int, names: list[str], decimals: int
) -> None:
    total = units / 10**decimals
    parts = allocate_even(total, names, decimals)
    scaled = [round(v * 10**decimals) for v in parts.values()]
    assert sum(scaled) == units
    assert max(scaled) - min(scaled) <= 1


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=1, max_value=1e9),
    st.lists(st.floats(min_value=1e-3, max_value=1e4), min_size=1, max_size=4),
)
def test_solved_factor_reproduces_the_target(
    target: float, others: list[float]
) -> None:
    named = {f"f{i}": v for i, v in enumerate(others)}
    free = solve_factor(target, named)
    assert math.isclose(free * math.prod(others), target, rel_tol=1e-9)


@settings(max_examples=500, deadline=None)
@given(
    st.integers(-(10**11), 10**11),
    st.lists(
        st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=30
    ),
    st.integers(0, 3),
)
def test_rounded_weighted_allocation_sums_back_exactly(
    units: int, weights: list[float], decimals: int
) -> None:
    if math.fsum(weights) <= 0:
        return
    total = units / 10**decimals
    named = {f"k{i}": w for i, w in enumerate(weights)}
    parts = allocate_weights(total, named, decimals)
    scaled = [round(v * 10**decimals) for v in parts.values()]
    assert sum(scaled) == units
    whole = math.fsum(weights)
    for value, weight in zip(parts.values(), weights, strict=True):
        assert abs(value - total * (weight / whole)) <= 10**-decimals + 1e-6 * abs(
            total
        )
