"""Evaluation: attainment, gap, pace, forecast, status, identity checks."""

from __future__ import annotations

from datetime import date

import pytest

from kpi import (
    ChildLink,
    Decomposition,
    Direction,
    MetricNode,
    Status,
    StatusThresholds,
    Target,
    attainment,
    build_tree,
    evaluate_tree,
    gap,
    last_year_shares,
    load_library,
    parse_period,
    prepare_cube,
)
from tests.kpi.helpers import fact, facts

LIBRARY = load_library()
MAY = parse_period("2026-05")


@pytest.mark.parametrize(
    ("actual", "target", "direction", "band", "expected"),
    [
        (110, 100, Direction.HIGHER, None, 1.1),
        (90, 100, Direction.HIGHER, None, 0.9),
        (0, 100, Direction.HIGHER, None, 0.0),
        (0.25, 0.20, Direction.LOWER, None, 0.75),
        (0.15, 0.20, Direction.LOWER, None, 1.25),
        (0.0, 0.20, Direction.LOWER, None, 2.0),
        (45, None, Direction.BAND, (30, 60), 1.0),
        (30, None, Direction.BAND, (30, 60), 1.0),
        (15, None, Direction.BAND, (30, 60), 0.5),
        (90, None, Direction.BAND, (30, 60), 0.5),
        (80, 100, Direction.BAND, None, 0.8),
        (120, 100, Direction.BAND, None, 0.8),
        (None, 100, Direction.HIGHER, None, None),
        (50, None, Direction.HIGHER, None, None),
        (50, 0, Direction.HIGHER, None, None),
        (50, -10, Direction.LOWER, None, None),
    ],
)
def test_attainment(
    actual: float | None,
    target: float | None,
    direction: Direction,
    band: tuple[float, float] | None,
    expected: float | None,
) -> None:
    result = attainment(actual, target, direction, band)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    ("actual", "target", "band", "expected"),
    [
        (110, 100, None, 10),
        (45, None, (30, 60), 0),
        (20, None, (30, 60), -10),
        (75, None, (30, 60), 15),
        (None, 100, None, None),
    ],
)
def test_gap(
    actual: float | None,
    target: float | None,
    band: tuple[float, float] | None,
    expected: float | None,
) -> None:
    direction = Direction.BAND if band else Direction.HIGHER
    assert gap(actual, target, direction, band) == expected


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (1.2, Status.ON_TRACK),
        (1.0, Status.ON_TRACK),
        (0.95, Status.AT_RISK),
        (0.9, Status.AT_RISK),
        (0.89, Status.OFF_TRACK),
        (None, Status.NO_TARGET),
    ],
)
def test_status_thresholds(value: float | None, status: Status) -> None:
    assert StatusThresholds().status(value) is status


def test_thresholds_are_configurable_and_checked() -> None:
    assert StatusThresholds(0.95, 0.8).status(0.96) is Status.ON_TRACK
    with pytest.raises(ValueError):
        StatusThresholds(0.8, 0.9)


def store_tree() -> object:
    nodes = [
        MetricNode(
            "sales",
            "销售额",
            "Sales",
            metric="ordered_product_sales",
            decomposition=Decomposition.MULTIPLICATIVE,
            children=(ChildLink("sessions"), ChildLink("cvr"), ChildLink("asp")),
        ),
        MetricNode("sessions", metric="sessions"),
        MetricNode("cvr", metric="unit_session_percentage"),
        MetricNode("asp", metric="average_selling_price"),
        MetricNode("acos", metric="acos"),
        MetricNode("cover", metric="days_of_cover"),
    ]
    return build_tree("sales", nodes, LIBRARY)


def daily(days: range, month: int, units: float = 10, price: float = 20) -> list:
    rows = []
    for d in days:
        day = f"2026-{month:02d}-{d:02d}"
        rows += [
            fact(day, "sessions", 100),
            fact(day, "units_ordered", units),
            fact(day, "ordered_product_sales", units * price, "USD"),
        ]
    return rows


def test_pace_and_forecast_mid_month() -> None:
    tree = store_tree()
    data = facts(*daily(range(1, 31), 4), *daily(range(1, 11), 5))
    cube = prepare_cube(
        tree, LIBRARY, data, [MAY, MAY.previous()], reporting_currency="USD"
    )
    targets = [Target("sales", "2026-05", 6200.0), Target("cvr", "2026-05", 0.12)]
    result = evaluate_tree(tree, LIBRARY, cube, MAY, targets=targets)
    sales = result.nodes["sales"]
    assert result.as_of == date(2026, 5, 10)
    assert sales.actual == 2000
    assert sales.elapsed == pytest.approx(10 / 31)
    assert sales.expected_to_date == pytest.approx(2000)
    assert sales.pace == pytest.approx(1.0)
    assert sales.forecast == pytest.approx(6200)
    assert sales.attainment == pytest.approx(2000 / 6200)
    assert sales.status is Status.ON_TRACK  # judged on the forecast mid-period
    cvr = result.nodes["cvr"]
    assert cvr.forecast == pytest.approx(0.1), "ratios are not run-rated"
    assert cvr.status is Status.OFF_TRACK
    assert sales.prior == 6000
    assert sales.mismatch == pytest.approx(0.0)


def test_closed_period_is_judged_on_the_actual() -> None:
    tree = store_tree()
    data = facts(*daily(range(1, 32), 5))
    cube = prepare_cube(
        tree, LIBRARY, data, [MAY, MAY.previous()], reporting_currency="USD"
    )
    result = evaluate_tree(
        tree,
        LIBRARY,
        cube,
        MAY,
        targets=[Target("sales", "2026-05", 6500.0)],
        as_of=date(2026, 6, 3),
    )
    sales = result.nodes["sales"]
    assert sales.elapsed == 1.0
    assert sales.attainment == pytest.approx(6200 / 6500)
    assert sales.status is Status.AT_RISK


def test_missing_data_and_targets_are_reported() -> None:
    tree = store_tree()
    data = facts(*daily(range(1, 11), 5))
    cube = prepare_cube(
        tree, LIBRARY, data, [MAY, MAY.previous()], reporting_currency="USD"
    )
    result = evaluate_tree(tree, LIBRARY, cube, MAY)
    assert result.nodes["acos"].status is Status.NO_DATA
    assert ("缺少数据", "no data for an input") in result.nodes["acos"].reasons
    assert result.nodes["sessions"].status is Status.NO_TARGET
    assert result.attributions["sales"].reason == "node has no prior period value"


def test_band_metric_is_judged_against_its_band() -> None:
    tree = store_tree()
    rows = [*daily(range(1, 32), 5), fact("2026-05-31", "inventory_units", 3100)]
    cube = prepare_cube(
        tree, LIBRARY, facts(*rows), [MAY, MAY.previous()], reporting_currency="USD"
    )
    result = evaluate_tree(tree, LIBRARY, cube, MAY)
    cover = result.nodes["cover"]
    assert cover.actual == pytest.approx(3100 / (310 / 31))
    assert cover.target_band == (30.0, 60.0)
    assert cover.attainment == pytest.approx(2 - 310 / 60)
    assert cover.gap == pytest.approx(310 - 60)


def test_identity_mismatch_is_reported_with_its_size() -> None:
    tree = store_tree()
    rows = [
        *daily(range(1, 11), 5),
        fact("2026-05-01", "ordered_product_sales", 50, "USD", platform="shopify"),
    ]
    cube = prepare_cube(
        tree, LIBRARY, facts(*rows), [MAY, MAY.previous()], reporting_currency="USD"
    )
    sales = evaluate_tree(tree, LIBRARY, cube, MAY).nodes["sales"]
    assert sales.mismatch == pytest.approx(0.0)  # asp is recomputed from the same sums
    nodes = [
        MetricNode(
            "gmv",
            metric="gmv",
            decomposition=Decomposition.ADDITIVE,
            children=(ChildLink("us"),),
        ),
        MetricNode("us", metric="gmv", segment=(("platform", "amazon"),)),
    ]
    gmv_tree = build_tree("gmv", nodes, LIBRARY)
    rows = [
        fact("2026-05-01", "ordered_product_sales", 100, "USD", platform="amazon"),
        fact("2026-05-01", "ordered_product_sales", 40, "USD", platform="shopify"),
    ]
    cube = prepare_cube(
        gmv_tree, LIBRARY, facts(*rows), [MAY, MAY.previous()], reporting_currency="USD"
    )
    gmv = evaluate_tree(gmv_tree, LIBRARY, cube, MAY).nodes["gmv"]
    assert gmv.composed == 100
    assert gmv.mismatch == 40


def test_segment_filter_and_contradicting_node_segment() -> None:
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
    rows = [
        fact("2026-05-01", "ordered_product_sales", 100, "USD", platform="amazon"),
        fact("2026-05-01", "ordered_product_sales", 40, "USD", platform="shopify"),
    ]
    cube = prepare_cube(
        tree,
        LIBRARY,
        facts(*rows),
        [MAY],
        segment={"platform": "amazon"},
        reporting_currency="USD",
    )
    result = evaluate_tree(
        tree, LIBRARY, cube, MAY, segment={"platform": "amazon"}, attribute=None
    )
    assert result.nodes["gmv"].actual == 100
    assert result.nodes["amazon"].actual == 100
    assert result.nodes["shopify"].actual is None


def test_seasonal_pace_from_last_year() -> None:
    tree = store_tree()
    last_may = []
    for d in range(1, 32):
        units = 30 if d <= 10 else 10  # front-loaded month
        day = f"2025-05-{d:02d}"
        last_may += [
            fact(day, "sessions", 100),
            fact(day, "units_ordered", units),
            fact(day, "ordered_product_sales", units * 20, "USD"),
        ]
    data = facts(*last_may, *daily(range(1, 11), 5))
    shares = last_year_shares(
        tree, LIBRARY, data, MAY, date(2026, 5, 10), reporting_currency="USD"
    )
    assert shares["sales"] == pytest.approx(300 / 510)
    cube = prepare_cube(
        tree, LIBRARY, data, [MAY, MAY.previous()], reporting_currency="USD"
    )
    result = evaluate_tree(
        tree,
        LIBRARY,
        cube,
        MAY,
        elapsed_share=shares,
        targets=[Target("sales", "2026-05", 6000.0)],
    )
    assert result.nodes["sales"].expected_to_date == pytest.approx(6000 * 300 / 510)


def test_evaluation_as_dict_is_json_ready() -> None:
    import json

    tree = store_tree()
    cube = prepare_cube(
        tree,
        LIBRARY,
        facts(*daily(range(1, 11), 5)),
        [MAY, MAY.previous()],
        reporting_currency="USD",
    )
    data = evaluate_tree(tree, LIBRARY, cube, MAY).as_dict()
    assert json.loads(json.dumps(data))["nodes"][0]["key"] == "sales"


def test_formula_node_using_days_in_period() -> None:
    """The operations template: days of cover = stock / (units / days)."""
    from kpi import load_template

    workbook = load_template("operations_inventory")
    rows = []
    for month, days, units in (("04", 30, 10.0), ("05", 31, 12.0)):
        for d in range(1, days + 1):
            day = f"2026-{month}-{d:02d}"
            rows += [fact(day, "sessions", 100), fact(day, "units_ordered", units)]
        rows.append(fact(f"2026-{month}-{days}", "inventory_units", 600))
    from kpi import evaluate_workbook

    result = evaluate_workbook(workbook, "2026-05", facts=facts(*rows))
    cover = result.nodes["days_of_cover"]
    assert cover.actual == pytest.approx(600 / (12 * 31 / 31))
    assert cover.composed == pytest.approx(cover.actual)
    assert cover.target_band == (30.0, 60.0)
    attribution = result.attributions["days_of_cover"]
    assert attribution.defined, attribution.reason
    effects = {e.key: e.value for e in attribution.effects}
    assert set(effects) == {"inventory_units", "units_sold", "days_in_period"}
    assert sum(effects.values()) == pytest.approx(50 - 60)


def test_node_trend_over_the_cubes_periods() -> None:
    from kpi import node_trend, periods_between

    tree = store_tree()
    data = facts(*daily(range(1, 31), 4), *daily(range(1, 11), 5))
    months = periods_between(parse_period("2026-03"), parse_period("2026-05"))
    cube = prepare_cube(tree, LIBRARY, data, months, reporting_currency="USD")
    trend = node_trend(tree, LIBRARY, cube, "sales")
    assert [(p.label, v) for p, v in trend] == [
        ("2026-03", None),
        ("2026-04", 6000.0),
        ("2026-05", 2000.0),
    ]
