"""From the sample export files to the README's totals, through the readers and
the engine: the facts contract in practice."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from kpi import aggregate, load_library, parse_period
from kpi.facts import fx_rates_from_wide

readers = pytest.importorskip("kpi.readers")
SAMPLES = Path(__file__).resolve().parents[2] / "kpi" / "samples"
MAY = parse_period("2026-05")
LIBRARY = load_library()

pytestmark = pytest.mark.skipif(
    not (SAMPLES / "fx_rates_monthly.csv").exists(), reason="sample files not present"
)


def facts_of(name: str, **options: str) -> pd.DataFrame:
    result = readers.read(str(SAMPLES / name), **options)
    assert not len(result.errors), result.errors[:3]
    return result.facts


def test_business_report_month_is_recomputed_from_sums() -> None:
    """README: US$188,474.28, 5,552 units, 43,134 sessions, unit session % 12.87%."""
    facts = facts_of("amazon_us_business_report_child_2026-05.csv", period="2026-05")
    metrics = [
        "ordered_product_sales",
        "units_ordered",
        "sessions",
        "unit_session_percentage",
    ]
    cube = aggregate(facts, [MAY], LIBRARY, metrics=metrics, reporting_currency="USD")
    assert cube.value("ordered_product_sales", (), MAY) == pytest.approx(188474.28)
    assert cube.value("units_ordered", (), MAY) == 5552
    assert cube.value("sessions", (), MAY) == 43134
    assert round(cube.value("unit_session_percentage", (), MAY) or 0, 4) == 0.1287


def test_all_channels_in_cny_match_the_readme() -> None:
    """README "May 2026 at a glance": all channels ¥3,020,902.45."""
    fx = fx_rates_from_wide(pd.read_csv(SAMPLES / "fx_rates_monthly.csv"))
    facts = pd.concat(
        [
            facts_of("amazon_all_orders_2026-05.txt"),
            facts_of("shopify_orders_export_2026-05.csv"),
            facts_of("tiktok_shop_orders_2026-05.xlsx"),
            facts_of("shopee_sg_orders_2026-05.xlsx"),
        ],
        ignore_index=True,
    )
    channels = {
        (("marketplace", "US"), ("platform", "amazon")): 1308633.47,
        (("marketplace", "UK"), ("platform", "amazon")): 343051.49,
        (("marketplace", "DE"), ("platform", "amazon")): 485185.94,
        (("marketplace", "US"), ("platform", "shopify")): 380387.02,
        (("marketplace", "US"), ("platform", "tiktok_shop")): 392852.19,
        (("marketplace", "SG"), ("platform", "shopee")): 110792.34,
    }
    cube = aggregate(
        facts,
        [MAY],
        LIBRARY,
        segments=[(), *channels],
        metrics=["gmv"],
        fx_rates=fx,
        reporting_currency="CNY",
    )
    for segment, cny in channels.items():
        assert cube.value("gmv", segment, MAY) == pytest.approx(cny, abs=1e-6)
    assert cube.value("gmv", (), MAY) == pytest.approx(3020902.45, abs=1e-6)
