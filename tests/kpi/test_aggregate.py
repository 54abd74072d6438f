"""Aggregation rules: ratio of sums, last values, coverage, currency conversion."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from kpi import CellFlag, Grain, aggregate, aggregate_frame, load_library, parse_period
from kpi.facts import FactsError, fx_rates_from_wide
from tests.kpi.helpers import fact, facts

LIBRARY = load_library()
MAY = parse_period("2026-05")
US = (("marketplace", "US"), ("platform", "amazon"))


def test_month_acos_is_sum_of_spend_over_sum_of_sales_not_mean_of_days() -> None:
    data = facts(
        fact("2026-05-01", "ad_spend", 10, "USD"),
        fact("2026-05-01", "ad_sales", 100, "USD"),
        fact("2026-05-02", "ad_spend", 90, "USD"),
        fact("2026-05-02", "ad_sales", 300, "USD"),
    )
    cube = aggregate(data, [MAY], LIBRARY, metrics=["acos"], reporting_currency="USD")
    assert cube.value("acos", (), MAY) == pytest.approx(100 / 400)
    assert cube.value("acos", (), MAY) != pytest.approx((10 / 100 + 90 / 300) / 2)


def test_ratios_recompute_at_every_level() -> None:
    data = facts(
        fact("2026-05-01", "units_ordered", 10, platform="amazon"),
        fact("2026-05-01", "sessions", 100, platform="amazon"),
        fact("2026-05-01", "units_ordered", 30, platform="shopify"),
        fact("2026-05-01", "sessions", 1000, platform="shopify"),
    )
    segments = [(), (("platform", "amazon"),), (("platform", "shopify"),)]
    cube = aggregate(
        data, [MAY], LIBRARY, segments=segments, metrics=["unit_session_percentage"]
    )
    assert cube.value("unit_session_percentage", (), MAY) == pytest.approx(40 / 1100)
    assert cube.value("unit_session_percentage", segments[1], MAY) == pytest.approx(0.1)
    assert cube.value("unit_session_percentage", segments[2], MAY) == pytest.approx(
        0.03
    )


def test_last_takes_each_segments_latest_value() -> None:
    data = facts(
        fact("2026-05-01", "inventory_units", 100, sku="A"),
        fact("2026-05-31", "inventory_units", 80, sku="A"),
        fact("2026-05-20", "inventory_units", 50, sku="B"),
        fact("2026-05-03", "inventory_units", 70, sku="B"),
        fact("2026-06-01", "inventory_units", 999, sku="A"),
    )
    cube = aggregate(data, [MAY], LIBRARY, metrics=["inventory_units"])
    assert cube.value("inventory_units", (), MAY) == 130


def test_no_fact_means_no_value_not_zero() -> None:
    data = facts(fact("2026-05-01", "ad_spend", 10, "USD"))
    cube = aggregate(data, [MAY], LIBRARY, metrics=["acos"], reporting_currency="USD")
    assert cube.value("acos", (), MAY) is None
    assert cube.flag("acos", (), MAY) & CellFlag.MISSING_INPUT
    empty = parse_period("2026-07")
    cube = aggregate(data, [empty], LIBRARY, metrics=["ad_spend"])
    assert cube.value("ad_spend", (), empty) is None


def test_explicit_zero_denominator_is_marked_not_infinite() -> None:
    data = facts(
        fact("2026-05-01", "ad_spend", 10, "USD"),
        fact("2026-05-01", "ad_sales", 0, "USD"),
    )
    cube = aggregate(
        data, [MAY], LIBRARY, metrics=["acos", "roas"], reporting_currency="USD"
    )
    assert cube.value("acos", (), MAY) is None
    assert cube.flag("acos", (), MAY) & CellFlag.DIVISION_BY_ZERO
    assert cube.value("roas", (), MAY) == 0.0


def test_coarse_fact_makes_a_shorter_period_undefined() -> None:
    data = facts(fact("2026-05-01", "sessions", 3100, end="2026-05-31"))
    week = parse_period("2026-W20")
    cube = aggregate(data, [MAY, week], LIBRARY, metrics=["sessions"])
    assert cube.value("sessions", (), MAY) == 3100
    assert cube.value("sessions", (), week) is None
    assert cube.flag("sessions", (), week) & CellFlag.COARSE_DATA


def test_quarter_adds_months_and_days() -> None:
    data = facts(
        fact("2026-04-01", "sessions", 10, end="2026-04-30"),
        fact("2026-05-02", "sessions", 5),
        fact("2026-06-30", "sessions", 1),
    )
    q2 = parse_period("2026-Q2")
    assert (
        aggregate(data, [q2], LIBRARY, metrics=["sessions"]).value("sessions", (), q2)
        == 16
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [(-1.0, "units_ordered cannot be negative (-1)")],
)
def test_negative_base_values_are_rejected(value: float, message: str) -> None:
    data = facts(fact("2026-05-01", "units_ordered", value))
    with pytest.raises(
        FactsError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        aggregate(data, [MAY], LIBRARY)


def test_nan_values_are_rejected() -> None:
    with pytest.raises(FactsError, match="not a finite number"):
        aggregate(facts(fact("2026-05-01", "sessions", math.nan)), [MAY], LIBRARY)


SAMPLE_MAY = [
    ("amazon", "US", "USD", 188474.28, 1308633.47),
    ("amazon", "UK", "GBP", 36763.92, 343051.49),
    ("amazon", "DE", "EUR", 59644.72, 485185.94),
    ("shopify", "US", "USD", 54784.76, 380387.02),
    ("tiktok_shop", "US", "USD", 56580.04, 392852.19),
    ("shopee", "SG", "SGD", 20522.80, 110792.34),
]
FX = fx_rates_from_wide(
    pd.DataFrame(
        {
            "month": ["2026-05"] * 4,
            "currency": ["USD", "GBP", "EUR", "SGD"],
            "rate_to_CNY": [6.9433, 9.3312, 8.1346, 5.3985],
        }
    )
)


def sample_facts() -> pd.DataFrame:
    rows = []
    for platform, market, currency, local, _ in SAMPLE_MAY:
        # split each channel's month over two days to exercise the monthly rule
        rows.append(
            fact(
                "2026-05-01",
                "ordered_product_sales",
                round(local / 3, 2),
                currency,
                platform=platform,
                marketplace=market,
            )
        )
        rows.append(
            fact(
                "2026-05-31",
                "ordered_product_sales",
                round(local - round(local / 3, 2), 2),
                currency,
                platform=platform,
                marketplace=market,
            )
        )
    return facts(*rows)


def test_conversion_matches_the_sample_readme() -> None:
    """Seabright Home README: May 2026 GMV in CNY is ¥3,020,902.45, each channel's
    month total × the month's rate rounded to 0.01 CNY."""
    segments = [()] + [
        ((("marketplace", m), ("platform", p))) for p, m, *_ in SAMPLE_MAY
    ]
    cube = aggregate(
        sample_facts(),
        [MAY],
        LIBRARY,
        segments=segments,
        metrics=["gmv"],
        fx_rates=FX,
        reporting_currency="CNY",
    )
    for (platform, _market, _, _, cny), segment in zip(
        SAMPLE_MAY, segments[1:], strict=True
    ):
        assert cube.value("gmv", segment, MAY) == pytest.approx(cny, abs=1e-6), platform
    assert cube.value("gmv", (), MAY) == pytest.approx(3020902.45, abs=1e-6)


def test_missing_fx_rate_marks_the_cell() -> None:
    data = facts(fact("2026-06-01", "ad_spend", 10, "USD"))
    june = parse_period("2026-06")
    cube = aggregate(
        data,
        [june],
        LIBRARY,
        metrics=["ad_spend"],
        fx_rates=FX,
        reporting_currency="CNY",
    )
    assert cube.value("ad_spend", (), june) is None
    assert cube.flag("ad_spend", (), june) & CellFlag.NO_FX_RATE


def test_money_without_currency_is_marked() -> None:
    data = facts(fact("2026-05-01", "ad_spend", 10))
    cube = aggregate(
        data,
        [MAY],
        LIBRARY,
        metrics=["ad_spend"],
        fx_rates=FX,
        reporting_currency="CNY",
    )
    assert cube.value("ad_spend", (), MAY) is None
    assert cube.flag("ad_spend", (), MAY) & CellFlag.NO_CURRENCY


def test_mixed_currencies_without_reporting_currency_are_marked() -> None:
    data = facts(
        fact("2026-05-01", "ad_spend", 10, "USD", platform="a"),
        fact("2026-05-01", "ad_spend", 10, "EUR", platform="b"),
    )
    cube = aggregate(
        data, [MAY], LIBRARY, metrics=["ad_spend"], segments=[(), (("platform", "a"),)]
    )
    assert cube.value("ad_spend", (), MAY) is None
    assert cube.value("ad_spend", (("platform", "a"),), MAY) == 10


def test_reporting_currency_facts_are_not_rounded() -> None:
    data = facts(fact("2026-05-01", "ad_spend", 10.005, "CNY"))
    cube = aggregate(
        data, [MAY], LIBRARY, metrics=["ad_spend"], reporting_currency="CNY"
    )
    assert cube.value("ad_spend", (), MAY) == 10.005


def test_unknown_segment_field_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown segment field 'shop'"):
        aggregate(facts(), [MAY], LIBRARY, segments=[(("shop", "x"),)])


def test_aggregate_frame_by_platform_and_month() -> None:
    data = facts(
        fact("2026-04-30", "sessions", 1, platform="amazon"),
        fact("2026-05-01", "sessions", 2, platform="amazon"),
        fact("2026-05-01", "sessions", 3, platform="shopify"),
        fact("2026-05-01", "units_ordered", 1, platform="shopify"),
    )
    frame = aggregate_frame(
        data,
        Grain.MONTH,
        LIBRARY,
        by=["platform"],
        metrics=["sessions", "unit_session_percentage"],
    )
    table = frame.set_index(["period", "platform"])
    assert table.loc[("2026-05", "amazon"), "sessions"] == 2
    assert table.loc[
        ("2026-05", "shopify"), "unit_session_percentage"
    ] == pytest.approx(1 / 3)
    assert np.isnan(table.loc[("2026-04", "shopify"), "sessions"])


@pytest.mark.parametrize(
    ("local", "rate", "expected"),
    [
        (1.005, 1.0, 1.01),
        (0.005, 1.0, 0.01),
        (-0.005, 1.0, -0.01),
        (188474.28, 6.9433, 1308633.47),
        (1366094.62, 1.1367, 1552839.75),
        (2.675, 1.0, 2.68),
        (100.0, 0.00005, 0.01),
        (0.0, 7.0, 0.0),
    ],
)
def test_money_conversion_rounds_half_away_from_zero(
    local: float, rate: float, expected: float
) -> None:
    from kpi._aggregate import convert_money

    assert convert_money(np.array([local]), np.array([rate]))[0] == expected
