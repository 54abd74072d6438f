"""Aggregation rules hold for any data: ratios of sums; conversion per channel-month
does not depend on how the month's amount is split over days."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi import aggregate, load_library, parse_period
from kpi.facts import FACT_COLUMNS

LIBRARY = load_library()
MAY = parse_period("2026-05")
cents = st.integers(0, 10**9).map(lambda c: c / 100)


def rows(metric: str, values: list[float], currency: str) -> list[dict[str, object]]:
    return [
        {
            "start": f"2026-05-{d + 1:02d}",
            "end": f"2026-05-{d + 1:02d}",
            "platform": "amazon",
            "marketplace": "US",
            "category": "",
            "sku": "",
            "campaign": "",
            "team": "",
            "owner": "",
            "metric": metric,
            "value": v,
            "currency": currency,
        }
        for d, v in enumerate(values)
    ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(cents, cents), min_size=1, max_size=31))
def test_month_acos_is_ratio_of_sums(days: list[tuple[float, float]]) -> None:
    spend = [s for s, _ in days]
    sales = [s for _, s in days]
    data = pd.DataFrame(
        rows("ad_spend", spend, "USD") + rows("ad_sales", sales, "USD"),
        columns=list(FACT_COLUMNS),
    )
    cube = aggregate(data, [MAY], LIBRARY, metrics=["acos"], reporting_currency="USD")
    value = cube.value("acos", (), MAY)
    if math.fsum(sales) == 0:
        assert value is None
    else:
        assert value is not None
        assert math.isclose(value, math.fsum(spend) / math.fsum(sales), rel_tol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(cents, min_size=1, max_size=31),
    st.integers(10000, 99999).map(lambda r: r / 10000),
)
def test_conversion_rounds_the_channel_month_total_once(
    amounts: list[float], rate: float
) -> None:
    data = pd.DataFrame(rows("ad_spend", amounts, "USD"), columns=list(FACT_COLUMNS))
    fx = pd.DataFrame(
        {
            "month": [pd.Timestamp("2026-05-01")],
            "currency": ["USD"],
            "quote": ["CNY"],
            "rate": [rate],
        }
    )
    cube = aggregate(
        data,
        [MAY],
        LIBRARY,
        metrics=["ad_spend"],
        fx_rates=fx,
        reporting_currency="CNY",
    )
    total_cents = round(math.fsum(amounts) * 100)
    exact = total_cents * round(rate * 10000)  # in 1e-6 CNY
    expected = (exact + 5000) // 10000 / 100  # half away from zero, to 0.01
    assert cube.value("ad_spend", (), MAY) == expected
