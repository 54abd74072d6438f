"""Attribution: additive, LMDI-I and Shapley, all without residual."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kpi import (
    ChildLink,
    Decomposition,
    Method,
    MetricNode,
    Target,
    attribute_gap,
    build_tree,
    lmdi_effects,
    load_library,
    log_mean,
    parse_period,
    prepare_cube,
    shapley_effects,
)
from kpi._attribution import shapley_product
from tests.kpi.helpers import fact, facts

LIBRARY = load_library()


def test_lmdi_matches_the_lmdir_worked_example() -> None:
    """LMDI-I per Ang (2005), "The LMDI approach to decomposition analysis: a
    practical guide", Energy Policy 33, 867–871, eq. for V = Σᵢ Πₖ xₖᵢ:
    ΔVₖ = Σᵢ L(Vᵢᵀ, Vᵢ⁰) ln(xₖᵢᵀ/xₖᵢ⁰).

    Checked against the maintained R package LMDIR (M. K. Heun,
    github.com/MatthewHeun/LMDIR, tests/testthat/test_util.R, "Zij works as
    expected"): its simple example, years 1971 → 1972, two sub-categories ×
    three factors, gives Z = [[50.47438029, −25.23719014, 14.76280986],
    [19.31568569, 15.78206435, 24.90224996]].
    """
    x0 = np.array([[1.0, 10.0, 2.0], [4.0, 5.0, 3.0]])
    xt = np.array([[4.0, 5.0, 3.0], [5.0, 6.0, 4.0]])
    expected = np.array(
        [
            [50.47438029, -25.23719014, 14.76280986],
            [19.31568569, 15.78206435, 24.90224996],
        ]
    )
    effects = lmdi_effects(x0, xt)
    np.testing.assert_allclose(effects, expected, atol=5e-9)
    assert effects.sum() == pytest.approx(xt.prod(axis=1).sum() - x0.prod(axis=1).sum())


@pytest.mark.parametrize(
    ("x0", "xt", "expected", "case"),
    [
        # Ang, Zhang & Choi (1998) Table 2 / LMDIR Zij cases; Ang (2005) small-value limit
        ([0.0, 3.0], [2.0, 3.0], [6.0, 0.0], "case 1/3: segment appears"),
        ([2.0, 3.0], [0.0, 3.0], [-6.0, 0.0], "case 2/4: segment disappears"),
        ([0.0, 3.0], [0.0, 5.0], [0.0, 0.0], "cases 5-8: zero in both periods"),
        ([0.0, 0.0], [2.0, 3.0], [3.0, 3.0], "two zero factors share the new value"),
    ],
)
def test_lmdi_zero_values(
    x0: list[float], xt: list[float], expected: list[float], case: str
) -> None:
    effects = lmdi_effects(np.array([x0]), np.array([xt]))
    np.testing.assert_allclose(effects[0], expected, atol=1e-12, err_msg=case)


def test_lmdi_zero_rule_is_the_small_value_limit() -> None:
    """Ang (2005) recommends replacing zeros by a small δ; our closed form is its
    limit as δ → 0."""
    x0 = np.array([[1e-30, 3.0]])
    xt = np.array([[2.0, 3.0]])
    small = lmdi_effects(x0, xt)[0]
    exact = lmdi_effects(np.array([[0.0, 3.0]]), xt)[0]
    np.testing.assert_allclose(small, exact, rtol=0.02, atol=1e-9)


def test_negative_factors_fall_back_to_shapley() -> None:
    x0 = np.array([[-2.0, 3.0]])
    xt = np.array([[4.0, 5.0]])
    effects = lmdi_effects(x0, xt)[0]
    assert effects.sum() == pytest.approx(20 - -6)
    np.testing.assert_allclose(effects, shapley_product(x0[0], xt[0]))


def test_log_mean() -> None:
    assert log_mean(np.array([2.0]), np.array([2.0]))[0] == 2.0
    assert log_mean(np.array([60.0]), np.array([20.0]))[0] == pytest.approx(
        40 / math.log(3)
    )


def test_shapley_for_two_factors_is_the_midpoint_rule() -> None:
    effects = shapley_effects(
        lambda v: v["a"] * v["b"], {"a": 2.0, "b": 3.0}, {"a": 4.0, "b": 5.0}
    )
    assert effects == {"a": pytest.approx(2 * (3 + 5) / 2), "b": pytest.approx(2 * 3)}


def test_shapley_without_value_is_none() -> None:
    assert shapley_effects(lambda v: None, {"a": 1.0}, {"a": 2.0}) is None


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
            "profit",
            metric="contribution_profit",
            decomposition=Decomposition.ADDITIVE,
            children=(
                ChildLink("net"),
                ChildLink("cogs", -1),
                ChildLink("fees", -1),
                ChildLink("ful", -1),
                ChildLink("ads", -1),
            ),
        ),
        MetricNode("net", metric="net_sales"),
        MetricNode("cogs", metric="cogs"),
        MetricNode("fees", metric="platform_fees"),
        MetricNode("ful", metric="fulfilment_cost"),
        MetricNode("ads", metric="ad_spend"),
        MetricNode(
            "margin",
            metric="contribution_margin",
            decomposition=Decomposition.FORMULA,
            children=(ChildLink("profit"), ChildLink("net2")),
            formula="profit / net2",
        ),
        MetricNode("net2", metric="net_sales"),
        MetricNode(
            "root",
            decomposition=Decomposition.FORMULA,
            children=(ChildLink("sales"), ChildLink("margin")),
            formula="sales * margin",
            unit=None,
        ),
    ]
    return build_tree("root", nodes, LIBRARY)


def channel(
    day: str,
    platform: str,
    sessions: float,
    units: float,
    price: float,
    cost_share: float,
) -> list[dict[str, object]]:
    sales = units * price
    return [
        fact(day, "sessions", sessions, platform=platform),
        fact(day, "units_ordered", units, platform=platform),
        fact(day, "ordered_product_sales", sales, "USD", platform=platform),
        fact(day, "refunds", sales * 0.02, "USD", platform=platform),
        fact(day, "discounts", sales * 0.01, "USD", platform=platform),
        fact(day, "cogs", sales * cost_share, "USD", platform=platform),
        fact(day, "platform_fees", sales * 0.15, "USD", platform=platform),
        fact(day, "fulfilment_cost", sales * 0.1, "USD", platform=platform),
        fact(day, "ad_spend", sales * 0.08, "USD", platform=platform),
    ]


DATA = facts(
    *channel("2026-04-10", "amazon", 1000, 100, 30, 0.3),
    *channel("2026-04-10", "shopify", 500, 20, 50, 0.25),
    *channel("2026-05-10", "amazon", 1200, 130, 29, 0.3),
    *channel("2026-05-10", "shopify", 400, 22, 55, 0.28),
    *channel("2026-05-10", "tiktok_shop", 300, 10, 20, 0.4),
)
MAY = parse_period("2026-05")


@pytest.mark.parametrize("across", [None, "platform"])
@pytest.mark.parametrize("node", ["sales", "profit", "margin", "root"])
def test_effects_add_up_to_the_change(node: str, across: str | None) -> None:
    tree = sales_tree()
    cube = prepare_cube(
        tree,
        LIBRARY,
        DATA,
        [MAY, MAY.previous()],
        across=across,
        reporting_currency="USD",
    )
    result = attribute_gap(tree, LIBRARY, cube, [], node, MAY, across=across)
    assert result.defined, result.reason
    assert result.total is not None and result.current is not None
    assert result.base is not None
    assert result.total == pytest.approx(result.current - result.base)
    assert math.fsum(e.value for e in result.effects) == pytest.approx(
        result.total, rel=1e-12, abs=1e-9
    )
    assert all(e.key is not None for e in result.effects), "identities hold here"


def test_lmdi_across_segments_uses_each_segments_weights() -> None:
    tree = sales_tree()
    cube = prepare_cube(
        tree,
        LIBRARY,
        DATA,
        [MAY, MAY.previous()],
        across="platform",
        reporting_currency="USD",
    )
    result = attribute_gap(tree, LIBRARY, cube, [], "sales", MAY, across="platform")
    assert result.method is Method.LMDI
    assert set(result.by_segment["sessions"]) == {"amazon", "shopify", "tiktok_shop"}
    # TikTok Shop appears in May: all its sales go to the factors that were zero
    tiktok = {
        k: result.by_segment[k]["tiktok_shop"] for k in ("sessions", "cvr", "asp")
    }
    assert sum(tiktok.values()) == pytest.approx(10 * 20)
    amazon_x0 = [1000, 0.1, 30]
    amazon_xt = [1200, 130 / 1200, 29]
    expected = lmdi_effects(np.array([amazon_x0]), np.array([amazon_xt]))[0]
    assert result.by_segment["sessions"]["amazon"] == pytest.approx(expected[0])


def test_additive_effects_are_signed_changes() -> None:
    tree = sales_tree()
    cube = prepare_cube(
        tree, LIBRARY, DATA, [MAY, MAY.previous()], reporting_currency="USD"
    )
    result = attribute_gap(tree, LIBRARY, cube, [], "profit", MAY)
    effects = {e.key: e.value for e in result.effects}
    april_cogs = 100 * 30 * 0.3 + 20 * 50 * 0.25
    may_cogs = 130 * 29 * 0.3 + 22 * 55 * 0.28 + 10 * 20 * 0.4
    assert effects["cogs"] == pytest.approx(-(may_cogs - april_cogs))


def test_attribution_against_target() -> None:
    tree = sales_tree()
    cube = prepare_cube(tree, LIBRARY, DATA, [MAY], reporting_currency="USD")
    targets = [
        Target("sales", "2026-05", 6000.0),
        Target("sessions", "2026-05", 2000.0),
        Target("cvr", "2026-05", 0.1),
        Target("asp", "2026-05", 30.0),
    ]
    result = attribute_gap(tree, LIBRARY, cube, targets, "sales", MAY, versus="target")
    assert result.base == 6000.0
    assert math.fsum(e.value for e in result.effects) == pytest.approx(result.total)


def test_unreconciled_effect_shows_a_broken_identity() -> None:
    nodes = [
        MetricNode(
            "gmv",
            metric="gmv",
            decomposition=Decomposition.ADDITIVE,
            children=(ChildLink("amazon"), ChildLink("shopify")),
        ),
        MetricNode("amazon", metric="gmv", segment=(("platform", "amazon"),)),
        MetricNode("shopify", metric="gmv", segment=(("platform", "shopify"),)),
    ]
    tree = build_tree("gmv", nodes, LIBRARY)
    cube = prepare_cube(
        tree, LIBRARY, DATA, [MAY, MAY.previous()], reporting_currency="USD"
    )
    result = attribute_gap(tree, LIBRARY, cube, [], "gmv", MAY)
    unreconciled = [e for e in result.effects if e.key is None]
    assert unreconciled and unreconciled[0].value == pytest.approx(10 * 20)
    assert math.fsum(e.value for e in result.effects) == pytest.approx(result.total)


def test_missing_base_makes_attribution_undefined() -> None:
    tree = sales_tree()
    cube = prepare_cube(tree, LIBRARY, DATA, [MAY], reporting_currency="USD")
    result = attribute_gap(tree, LIBRARY, cube, [], "sales", MAY, versus="target")
    assert not result.defined
    assert result.reason == "node has no target value"
