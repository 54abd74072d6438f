"""Targets: allocation top-down, solving a factor, roll-up mismatches."""

from __future__ import annotations

import math

import pytest

from kpi import (
    ChildLink,
    Decomposition,
    MetricNode,
    Target,
    TargetBook,
    TargetError,
    allocate_even,
    allocate_seasonality,
    allocate_weights,
    build_tree,
    load_library,
    parse_period,
    rollup_mismatches,
    solve_factor,
    solve_factor_target,
)

LIBRARY = load_library()


@pytest.mark.parametrize(
    ("total", "keys", "decimals", "expected"),
    [
        (300.0, ["a", "b", "c"], None, [100.0, 100.0, 100.0]),
        (100.0, ["a", "b", "c"], 2, [33.34, 33.33, 33.33]),
        (0.05, ["a", "b"], 2, [0.03, 0.02]),
        (10.0, ["a"], 0, [10.0]),
    ],
)
def test_allocate_even(
    total: float, keys: list[str], decimals: int | None, expected: list[float]
) -> None:
    result = allocate_even(total, keys, decimals)
    assert list(result.values()) == pytest.approx(expected)
    assert math.fsum(result.values()) == pytest.approx(total)


@pytest.mark.parametrize(
    ("weights", "decimals", "expected"),
    [
        ({"us": 3.0, "uk": 1.0}, None, {"us": 75.0, "uk": 25.0}),
        ({"us": 1.0, "uk": 1.0, "de": 1.0}, 2, {"us": 33.34, "uk": 33.33, "de": 33.33}),
        ({"us": 1.0, "uk": 0.0}, None, {"us": 100.0, "uk": 0.0}),
    ],
)
def test_allocate_weights(
    weights: dict[str, float], decimals: int | None, expected: dict[str, float]
) -> None:
    assert allocate_weights(100.0, weights, decimals) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: allocate_weights(100, {"a": -1.0}), "must be a finite number >= 0"),
        (lambda: allocate_weights(100, {"a": math.nan}), "must be a finite number"),
        (lambda: allocate_weights(100, {"a": 0.0}), "weights add up to 0"),
        (lambda: allocate_weights(100, {}), "nothing to allocate to"),
        (lambda: allocate_even(math.inf, ["a"]), "not a finite number"),
        (lambda: allocate_even(1, []), "nothing to allocate to"),
        (lambda: solve_factor(100, {"a": 0.0}), "target of 'a' is 0"),
        (lambda: solve_factor(100, {"a": math.nan}), "not a finite number"),
    ],
)
def test_allocation_errors(call: object, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        call()  # type: ignore[operator]


def test_allocate_by_last_years_seasonality() -> None:
    last_year = {"2025-04": 100.0, "2025-05": 300.0, "2025-06": 100.0}
    result = allocate_seasonality(1000.0, parse_period("2026-Q2"), last_year)
    assert result == pytest.approx(
        {"2026-04": 200.0, "2026-05": 600.0, "2026-06": 200.0}
    )
    with pytest.raises(TargetError, match="no value for 2025-05"):
        allocate_seasonality(1000.0, parse_period("2026-Q2"), {"2025-04": 1.0})


def sales_tree() -> object:
    nodes = [
        MetricNode(
            "sales",
            metric="ordered_product_sales",
            decomposition=Decomposition.MULTIPLICATIVE,
            children=(ChildLink("sessions"), ChildLink("cvr"), ChildLink("asp")),
        ),
        MetricNode("sessions", metric="sessions"),
        MetricNode("cvr", metric="unit_session_percentage"),
        MetricNode("asp", metric="average_selling_price"),
        MetricNode(
            "gmv",
            metric="gmv",
            decomposition=Decomposition.ADDITIVE,
            children=(ChildLink("sales"), ChildLink("other")),
        ),
        MetricNode("other", metric="gmv", segment=(("platform", "shopify"),)),
    ]
    return build_tree("gmv", nodes, LIBRARY)


def test_solve_one_factor_of_a_multiplicative_node() -> None:
    tree = sales_tree()
    book = TargetBook(
        [
            Target("sales", "2026-05", 60000.0),
            Target("sessions", "2026-05", 20000.0),
            Target("asp", "2026-05", 25.0),
        ]
    )
    cvr = solve_factor_target(
        tree, "sales", "cvr", book, LIBRARY, parse_period("2026-05")
    )
    assert cvr == pytest.approx(60000 / (20000 * 25))
    with pytest.raises(TargetError, match="not multiplicative"):
        solve_factor_target(
            tree, "gmv", "sales", book, LIBRARY, parse_period("2026-05")
        )
    june = TargetBook(
        [Target("sales", "2026-06", 1.0), Target("sessions", "2026-06", 1.0)]
    )
    with pytest.raises(TargetError, match="child 'asp' has no target"):
        solve_factor_target(
            tree, "sales", "cvr", june, LIBRARY, parse_period("2026-06")
        )


def test_rollup_mismatch_is_flagged() -> None:
    tree = sales_tree()
    may = parse_period("2026-05")
    book = TargetBook(
        [
            Target("gmv", "2026-05", 100000.0),
            Target("sales", "2026-05", 60000.0),
            Target("other", "2026-05", 30000.0),
            Target("sessions", "2026-05", 20000.0),
            Target("cvr", "2026-05", 0.12),
            Target("asp", "2026-05", 25.0),
        ]
    )
    mismatches = {m.node: m for m in rollup_mismatches(tree, book, LIBRARY, may)}
    assert mismatches["gmv"].bottom_up == 90000.0
    assert mismatches["gmv"].difference == -10000.0
    assert "sales" not in mismatches, "20,000 × 12% × 25 = 60,000"
    off = TargetBook(
        [
            Target("sales", "2026-05", 70000.0),
            Target("sessions", "2026-05", 20000.0),
            Target("cvr", "2026-05", 0.12),
            Target("asp", "2026-05", 25.0),
        ]
    )
    [found] = rollup_mismatches(tree, off, LIBRARY, may)
    assert (found.node, found.top_down) == ("sales", 70000.0)
    assert found.bottom_up == pytest.approx(60000.0)


def test_quarter_target_sums_monthly_targets_of_additive_nodes() -> None:
    tree = sales_tree()
    book = TargetBook(
        [Target("sales", m, 100.0) for m in ("2026-04", "2026-05", "2026-06")]
        + [Target("cvr", m, 0.1) for m in ("2026-04", "2026-05", "2026-06")]
    )
    q2 = parse_period("2026-Q2")
    found = book.get(tree, LIBRARY, "sales", q2)
    assert found is not None and found.value == 300.0
    assert book.get(tree, LIBRARY, "cvr", q2) is None, "ratios do not add up"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": math.nan}, "value is not finite"),
        ({"value": None}, "needs a value or a band"),
        ({"value": None, "low": 60.0, "high": 30.0}, "low is above high"),
    ],
)
def test_bad_targets(kwargs: dict[str, float | None], message: str) -> None:
    with pytest.raises(TargetError, match=message):
        Target("x", "2026-05", **kwargs)  # type: ignore[arg-type]


def test_duplicate_targets_are_rejected() -> None:
    with pytest.raises(TargetError, match="two targets"):
        TargetBook([Target("x", "2026-05", 1.0), Target("x", "2026-05", 2.0)])
