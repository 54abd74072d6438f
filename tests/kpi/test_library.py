"""The metric library: every definition is complete and computes what it says."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from kpi import Aggregation, Direction, LibraryError, Unit, load_library
from kpi._formula import evaluate
from kpi._library import library_from_data

LIBRARY = load_library()

CONTRACT_BASE_KEYS = [
    "ordered_product_sales", "ordered_product_sales_b2b", "refunds", "discounts",
    "shipping_revenue", "ad_spend", "ad_sales", "cogs", "platform_fees",
    "fulfilment_cost", "inventory_value", "units_ordered", "units_ordered_b2b",
    "order_items", "order_items_b2b", "orders", "sessions", "sessions_b2b",
    "page_views", "page_views_b2b", "buy_box_page_views", "impressions", "clicks",
    "ad_orders", "ad_units", "refunded_units", "cancelled_orders", "late_shipments",
    "shipped_orders", "defective_orders", "listings_updated", "new_products_launched",
    "headcount", "inventory_units", "inbound_units",
]  # fmt: skip


def test_library_has_at_least_forty_metrics() -> None:
    assert len(LIBRARY) >= 40


@pytest.mark.parametrize("key", CONTRACT_BASE_KEYS)
def test_readers_contract_keys_are_base_metrics(key: str) -> None:
    assert LIBRARY[key].is_base


@pytest.mark.parametrize(
    ("key", "aggregation"),
    [
        ("inventory_value", Aggregation.LAST),
        ("inventory_units", Aggregation.LAST),
        ("inbound_units", Aggregation.LAST),
        ("headcount", Aggregation.LAST),
        ("ad_spend", Aggregation.SUM),
        ("sessions", Aggregation.SUM),
    ],
)
def test_stock_levels_take_the_last_value(key: str, aggregation: Aggregation) -> None:
    assert LIBRARY[key].aggregation is aggregation


@pytest.mark.parametrize("key", list(LIBRARY))
def test_every_metric_is_complete(key: str) -> None:
    metric = LIBRARY[key]
    for text in (
        metric.name_zh,
        metric.name_en,
        metric.definition_zh,
        metric.definition_en,
        metric.owner_role,
    ):
        assert text.strip()
    assert metric.source, "every metric says which data fields it comes from"
    if metric.aggregation is Aggregation.FORMULA:
        assert metric.formula
        assert LIBRARY.base_inputs(key) <= {k for k in LIBRARY if LIBRARY[k].is_base}
    else:
        assert metric.formula is None
    if metric.direction is Direction.BAND and metric.band is not None:
        assert metric.band[0] <= metric.band[1]


SAMPLE = {
    "ordered_product_sales": 188474.28, "ordered_product_sales_b2b": 22415.19,
    "refunds": 3000.0, "discounts": 2000.0, "shipping_revenue": 500.0,
    "units_ordered": 5552.0, "orders": 4215.0, "order_items": 4548.0,
    "sessions": 43134.0, "page_views": 58983.0, "buy_box_page_views": 56000.0,
    "ad_spend": 17837.94, "ad_sales": 60000.0, "impressions": 2_000_000.0,
    "clicks": 20000.0, "ad_orders": 1500.0, "cogs": 50000.0, "platform_fees": 28000.0,
    "fulfilment_cost": 30000.0, "inventory_units": 9000.0, "inventory_value": 90000.0,
    "sku_days_in_stock": 700.0, "sku_days_listed": 744.0, "refunded_units": 111.0,
    "cancelled_orders": 45.0, "shipped_orders": 4100.0, "late_shipments": 41.0,
    "defective_orders": 12.0, "response_hours": 360.0, "messages_answered": 120.0,
    "headcount": 12.0, "days_in_period": 31.0,
}  # fmt: skip
NET = 188474.28 - 3000.0 - 2000.0
CP = NET - 50000.0 - 28000.0 - 30000.0 - 17837.94


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("gmv", 188474.28),
        ("net_sales", NET),
        ("unit_session_percentage", 5552 / 43134),
        ("order_item_session_percentage", 4548 / 43134),
        ("buy_box_percentage", 56000 / 58983),
        ("aov", 188474.28 / 4215),
        ("average_selling_price", 188474.28 / 5552),
        ("units_per_order", 5552 / 4215),
        ("b2b_sales_share", 22415.19 / 188474.28),
        ("acos", 17837.94 / 60000),
        ("tacos", 17837.94 / 188474.28),
        ("roas", 60000 / 17837.94),
        ("ctr", 20000 / 2_000_000),
        ("cpc", 17837.94 / 20000),
        ("ad_cvr", 1500 / 20000),
        ("cpa", 17837.94 / 1500),
        ("ad_sales_share", 60000 / 188474.28),
        ("gross_profit", NET - 50000),
        ("gross_margin", (NET - 50000) / NET),
        ("contribution_profit", CP),
        ("contribution_margin", CP / NET),
        ("days_of_cover", 9000 / (5552 / 31)),
        ("sell_through", 5552 / (5552 + 9000)),
        ("inventory_turnover", 50000 / 90000),
        ("in_stock_rate", 700 / 744),
        ("refund_rate", 111 / 5552),
        ("cancellation_rate", 45 / (4215 + 45)),
        ("late_shipment_rate", 41 / 4100),
        ("order_defect_rate", 12 / 4215),
        ("response_time", 360 / 120),
        ("revenue_per_head", 188474.28 / 12),
    ],
)
def test_metric_definitions(key: str, expected: float) -> None:
    inputs: dict[str, Any] = {k: np.array([v]) for k, v in SAMPLE.items()}
    for name in LIBRARY.order:
        result = evaluate(LIBRARY.expressions[name], inputs, (1,))
        inputs[name] = result.values
    assert math.isclose(float(inputs[key][0]), expected, rel_tol=1e-12)


def test_every_derived_metric_is_tested() -> None:
    tested = {
        "gmv", "net_sales", "unit_session_percentage", "order_item_session_percentage",
        "buy_box_percentage", "aov", "average_selling_price", "units_per_order",
        "b2b_sales_share", "acos", "tacos", "roas", "ctr", "cpc", "ad_cvr", "cpa",
        "ad_sales_share", "gross_profit", "gross_margin", "contribution_profit",
        "contribution_margin", "days_of_cover", "sell_through", "inventory_turnover",
        "in_stock_rate", "refund_rate", "cancellation_rate", "late_shipment_rate",
        "order_defect_rate", "response_time", "revenue_per_head",
    }  # fmt: skip
    assert {k for k in LIBRARY if not LIBRARY[k].is_base} == tested


def metric(**overrides: Any) -> dict[str, Any]:
    base = {
        "key": "x", "name_zh": "甲", "name_en": "X", "unit": "count",
        "direction": "higher", "aggregation": "sum", "level": "role",
        "owner_role": "store_operator", "definition_zh": "甲", "definition_en": "X",
        "source": ["report"],
    }  # fmt: skip
    base.update(overrides)
    return base


@pytest.mark.parametrize(
    ("metrics", "message"),
    [
        ([metric(unit="euros")], "unit 'euros' is not one of money, count"),
        ([metric(name_zh="")], "name_zh is missing"),
        ([metric(aggregation="formula")], "aggregation is formula but there is no"),
        ([metric(formula="1")], "a base metric (sum/last) cannot have a formula"),
        ([metric(), metric()], "defined twice"),
        ([metric(key="Bad")], "key must be lower_snake_case"),
        ([metric(key="days_in_period")], "is a reserved name"),
        ([metric(band=[5, 1])], "band must be [low, high]"),
        ([metric(key="y", aggregation="formula", formula="x +")], "the formula ends"),
        ([metric(key="y", aggregation="formula", formula="z")], "unknown metric 'z'"),
        (
            [
                metric(),
                metric(key="m", unit="money"),
                metric(key="y", aggregation="formula", formula="x + m"),
            ],
            "unit mismatch: cannot add count and money",
        ),
        (
            [
                metric(),
                metric(key="m", unit="money"),
                metric(key="y", aggregation="formula", formula="m / x", unit="percent"),
            ],
            "unit is percent but the formula gives money / count",
        ),
        (
            [
                metric(key="a", aggregation="formula", formula="b + 1"),
                metric(key="b", aggregation="formula", formula="a + 1"),
            ],
            "formulas refer to each other: a → b → a",
        ),
    ],
)
def test_library_validation(metrics: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(LibraryError) as err:
        library_from_data({"metrics": metrics})
    assert message in str(err.value)


def test_library_check_for_live_validation() -> None:
    assert LIBRARY.check("ad_spend / ad_sales").names == {"ad_spend", "ad_sales"}
    assert LIBRARY["acos"].unit is Unit.PERCENT
    assert LIBRARY["acos"].direction is Direction.LOWER
