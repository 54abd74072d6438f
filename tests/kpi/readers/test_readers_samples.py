"""Every sample in kpi/samples reproduces the totals its README gives, to the cent."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from kpi.readers import Mode, ReadOptions, ReadResult, detect, read

SAMPLES = Path(__file__).resolve().parents[3] / "kpi" / "samples"
TODAY = date(2026, 7, 1)  # the samples end on 2026-06-30


@cache
def result(name: str, period: str | None = None) -> ReadResult:
    options = ReadOptions(keep_lines=True, today=TODAY)
    outcome = read(SAMPLES / name, period=period, options=options)
    assert outcome.ok, [e.message("en") for e in outcome.errors]
    assert outcome.errors == []
    return outcome


def total(facts: pd.DataFrame, metric: str, **segments: str) -> float:
    rows = facts[facts["metric"] == metric]
    for field, value in segments.items():
        rows = rows[rows[field] == value]
    return round(float(rows["value"].sum()), 2)


def cents(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("amazon_us_business_report_child_2026-05.csv", "amazon_business_report_child"),
        (
            "amazon_us_business_report_child_2026-05_zh.csv",
            "amazon_business_report_child",
        ),
        ("amazon_us_business_report_bydate_2026-Q2.csv", "amazon_business_report_date"),
        ("amazon_us_sp_advertised_product_2026-05.csv", "amazon_sp_advertised_product"),
        ("amazon_all_orders_2026-05.txt", "amazon_all_orders"),
        ("shopify_orders_export_2026-05.csv", "shopify_orders"),
        ("tiktok_shop_orders_2026-05.xlsx", "tiktok_shop_orders"),
        ("shopee_sg_orders_2026-05.xlsx", "shopee_orders"),
        ("google_ads_campaign_daily_2026-05.csv", "google_ads_campaign"),
        ("meta_ads_2026-05.csv", "meta_ads"),
        ("erp_inventory_2026-06-30.csv", "erp_stock"),
        ("fx_rates_monthly.csv", "fx_rates_monthly"),
        ("catalog.csv", "product_catalog"),
    ],
)
def test_detects_format_from_header_not_name(name: str, key: str) -> None:
    data = (SAMPLES / name).read_bytes()
    by_path = detect(SAMPLES / name)
    anonymous = detect(data, name="upload.bin")
    assert by_path.format == key, by_path.reason
    assert anonymous.format == key
    assert by_path.confidence >= 0.7
    assert by_path.reason


CHILD = "amazon_us_business_report_child_2026-05.csv"
CHILD_ZH = "amazon_us_business_report_child_2026-05_zh.csv"


@pytest.mark.parametrize("name", [CHILD, CHILD_ZH])
@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("ordered_product_sales", 188_474.28),
        ("ordered_product_sales_b2b", 22_415.19),
        ("units_ordered", 5_552),
        ("units_ordered_b2b", 661),
        ("order_items", 4_548),
        ("order_items_b2b", 249),
        ("sessions", 43_134),
        ("sessions_b2b", 2_198),
        ("page_views", 58_983),
        ("page_views_b2b", 3_260),
    ],
)
def test_business_report_by_child_totals(
    name: str, metric: str, expected: float
) -> None:
    facts = result(name, "2026-05").facts
    assert total(facts, metric, platform="amazon", marketplace="US") == expected


@pytest.mark.parametrize("name", [CHILD, CHILD_ZH])
def test_business_report_by_child_shape(name: str) -> None:
    outcome = result(name, "2026-05")
    facts = outcome.facts
    assert outcome.row_count == 24
    assert set(facts["start"]) == {pd.Timestamp("2026-05-01")}
    assert set(facts["end"]) == {pd.Timestamp("2026-05-31")}
    assert facts["sku"].nunique() == 24
    money = facts[facts["metric"].str.startswith("ordered_product_sales")]
    assert set(money["currency"]) == {"USD"}
    assert set(facts.loc[facts["metric"] == "sessions", "currency"]) == {""}
    usp = total(facts, "units_ordered") / total(facts, "sessions")
    assert round(usp * 100, 2) == 12.87


def test_business_report_period_comes_from_file_name_when_not_given() -> None:
    outcome = read(SAMPLES / CHILD, options=ReadOptions(today=TODAY))
    assert outcome.ok
    assert str(outcome.period) == "2026-05"
    assert any("file name" in note for note in outcome.notes)


def test_business_report_without_period_asks_for_it() -> None:
    data = (SAMPLES / CHILD).read_bytes()
    outcome = read(data, name="BusinessReport.csv")
    assert not outcome.ok
    assert outcome.errors[0].reason_code == "period_required"
    assert "2026-05" in outcome.errors[0].message_en
    assert "时间段" in outcome.errors[0].message_zh


BY_DATE = "amazon_us_business_report_bydate_2026-Q2.csv"


@pytest.mark.parametrize(
    ("month", "sales", "units", "items", "sessions"),
    [
        ("2026-04", 171_096.25, 5_065, 4_153, 40_523),
        ("2026-05", 188_474.28, 5_552, 4_548, 43_134),
        ("2026-06", 190_586.31, 5_579, 4_506, 42_932),
    ],
)
def test_business_report_by_date_months(
    month: str, sales: float, units: int, items: int, sessions: int
) -> None:
    facts = result(BY_DATE).facts
    rows = facts[facts["start"].dt.strftime("%Y-%m") == month]
    assert total(rows, "ordered_product_sales") == sales
    assert total(rows, "units_ordered") == units
    assert total(rows, "order_items") == items
    assert total(rows, "sessions") == sessions


def test_business_report_by_date_quarter_and_may_matches_child() -> None:
    facts = result(BY_DATE).facts
    assert total(facts, "ordered_product_sales") == 550_156.84
    assert total(facts, "units_ordered") == 16_196
    assert total(facts, "sessions") == 126_589
    assert facts["start"].nunique() == 91
    assert (facts["start"] == facts["end"]).all()
    may = facts[facts["start"].dt.month == 5]
    child = result(CHILD, "2026-05").facts
    for metric in (
        "ordered_product_sales",
        "ordered_product_sales_b2b",
        "units_ordered",
    ):
        assert total(may, metric) == total(child, metric)


SP = "amazon_us_sp_advertised_product_2026-05.csv"


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("ad_spend", 17_837.94),
        ("ad_sales", 76_463.61),
        ("impressions", 4_688_466),
        ("clicks", 19_333),
        ("ad_orders", 1_902),
        ("ad_units", 2_140),
    ],
)
def test_sp_advertised_product_totals(metric: str, expected: float) -> None:
    facts = result(SP).facts
    assert total(facts, metric, platform="amazon", marketplace="US") == expected


def test_sp_advertised_product_ratios_and_split() -> None:
    outcome = result(SP)
    facts, lines = outcome.facts, outcome.lines
    assert lines is not None
    assert round(float(lines["advertised_sku_sales"].sum()), 2) == 65_153.67
    assert round(float(lines["other_sku_sales"].sum()), 2) == 11_309.94
    acos = total(facts, "ad_spend") / total(facts, "ad_sales")
    assert round(acos * 100, 2) == 23.33
    sales = total(result(CHILD, "2026-05").facts, "ordered_product_sales")
    assert round(total(facts, "ad_spend") / sales * 100, 2) == 9.46
    assert outcome.row_count == 2_666
    assert set(facts.loc[facts["metric"] == "ad_spend", "currency"]) == {"USD"}
    assert facts["campaign"].ne("").all()


ORDERS = "amazon_all_orders_2026-05.txt"


@pytest.mark.parametrize(
    (
        "market",
        "currency",
        "units",
        "items",
        "orders",
        "sales",
        "pending",
        "b2b",
        "cxl",
    ),
    [
        ("US", "USD", 5_552, 4_548, 4_215, 188_474.28, 2_407.91, 22_415.19, 71),
        ("UK", "GBP", 1_328, 1_125, 1_035, 36_763.92, 367.87, 3_531.91, 15),
        ("DE", "EUR", 1_828, 1_518, 1_415, 59_644.72, 412.85, 5_732.04, 22),
    ],
)
def test_all_orders_per_marketplace(
    market: str,
    currency: str,
    units: int,
    items: int,
    orders: int,
    sales: float,
    pending: float,
    b2b: float,
    cxl: int,
) -> None:
    outcome = result(ORDERS)
    facts = outcome.facts[outcome.facts["marketplace"] == market]
    assert total(facts, "units_ordered") == units
    assert total(facts, "order_items") == items
    assert total(facts, "orders") == orders
    assert total(facts, "ordered_product_sales", currency=currency) == sales
    assert total(facts, "ordered_product_sales_b2b", currency=currency) == b2b
    assert set(facts.loc[facts["metric"] == "ordered_product_sales", "currency"]) == {
        currency
    }
    lines = outcome.lines
    assert lines is not None
    mine = lines[lines["marketplace"] == market]
    live = mine[~mine["cancelled"]]
    assert (
        round(
            float(live.loc[live["status"] == "pending", "ordered_product_sales"].sum()),
            2,
        )
        == pending
    )
    assert int(mine["cancelled"].sum()) == cxl


def test_all_orders_days_are_local_and_non_amazon_left_out() -> None:
    outcome = result(ORDERS)
    facts = outcome.facts
    assert facts["start"].min() == pd.Timestamp("2026-05-01")
    assert facts["end"].max() == pd.Timestamp("2026-05-31")
    assert set(facts["marketplace"]) == {"US", "UK", "DE"}
    assert any("117 Non-Amazon" in note for note in outcome.notes)
    assert outcome.row_count == 7_416
    orders = facts[facts["metric"] == "orders"]
    assert (orders["sku"] == "").all()
    us_may = result(CHILD, "2026-05").facts
    us = facts[facts["marketplace"] == "US"]
    for metric in ("ordered_product_sales", "units_ordered", "order_items"):
        assert total(us, metric) == total(us_may, metric)


SHOPIFY = "shopify_orders_export_2026-05.csv"


def test_shopify_totals() -> None:
    outcome = result(SHOPIFY)
    facts = outcome.facts
    gross = total(facts, "ordered_product_sales", currency="USD")
    discounts = total(facts, "discounts", currency="USD")
    refunds = total(facts, "refunds", currency="USD")
    assert gross == 54_784.76
    assert discounts == 1_429.74
    assert refunds == 2_392.12
    assert cents(gross - discounts - refunds) == Decimal("50962.90")
    assert total(facts, "orders") == 914
    assert total(facts, "units_ordered") == 1_524
    assert total(facts, "order_items") == 1_312
    assert total(facts, "shipping_revenue") == 3_705.61
    assert total(facts, "cancelled_orders") == 12
    assert set(facts["platform"]) == {"shopify"}
    lines = outcome.lines
    assert lines is not None
    orders = lines[lines["first_row"] & (lines["financial_status"] != "voided")]
    assert len(orders) == 914
    for column, expected in [
        ("subtotal", 53_355.02),
        ("shipping", 3_705.61),
        ("taxes", 3_219.08),
        ("total", 60_279.71),
        ("refunded_amount", 2_597.27),
    ]:
        assert round(float(orders[column].sum()), 2) == expected, column
    assert outcome.row_count == 1_326


TIKTOK = "tiktok_shop_orders_2026-05.xlsx"


def test_tiktok_totals() -> None:
    outcome = result(TIKTOK)
    facts = outcome.facts
    assert total(facts, "orders") == 1_200
    assert total(facts, "units_ordered") == 1_796
    assert total(facts, "order_items") == 1_421
    assert total(facts, "cancelled_orders") == 33
    assert total(facts, "ordered_product_sales", currency="USD") == 56_580.04
    assert total(facts, "discounts") == round(216.90 + 1_317.10, 2)
    assert total(facts, "shipping_revenue") == 1_180.03
    assert total(facts, "refunds") == 1_299.14
    lines = outcome.lines
    assert lines is not None
    live = lines[~lines["cancelled"]]
    assert round(float(live["platform_discount"].sum()), 2) == 216.90
    assert round(float(live["seller_discount"].sum()), 2) == 1_317.10
    assert round(float(live["subtotal_after"].sum()), 2) == 55_046.04
    first = live.drop_duplicates("order")
    assert round(float(first["order_amount"].sum()), 2) == 59_620.35
    assert round(float(first["taxes"].sum()), 2) == 3_394.28
    assert outcome.row_count == 1_455  # the description row is not an order
    assert lines["order"].str.fullmatch(r"\d{18,19}").all()


SHOPEE = "shopee_sg_orders_2026-05.xlsx"


def test_shopee_totals() -> None:
    outcome = result(SHOPEE)
    facts = outcome.facts
    assert set(facts["marketplace"]) == {"SG"}
    assert total(facts, "orders") == 265
    assert total(facts, "units_ordered") == 472
    assert total(facts, "order_items") == 363
    assert total(facts, "cancelled_orders") == 10
    assert total(facts, "ordered_product_sales", currency="SGD") == 20_522.80
    assert total(facts, "refunds", currency="SGD") == 231.30
    lines = outcome.lines
    assert lines is not None
    first = lines[~lines["cancelled"]].drop_duplicates("order")
    assert round(float(first["paid_by_buyer"].sum()), 2) == 20_290.04
    assert round(float(first["grand_total"].sum()), 2) == 20_453.22
    assert total(facts, "discounts") == round(20_522.80 - 20_290.04, 2)
    may5 = facts[(facts["metric"] == "orders") & (facts["start"] == "2026-05-05")]
    others = facts[(facts["metric"] == "orders") & (facts["start"] != "2026-05-05")]
    assert may5["value"].sum() > others.groupby("start")["value"].sum().max()


GOOGLE = "google_ads_campaign_daily_2026-05.csv"
META = "meta_ads_2026-05.csv"


@pytest.mark.parametrize(
    ("name", "metric", "expected"),
    [
        (GOOGLE, "ad_spend", 8_351.98),
        (GOOGLE, "impressions", 949_067),
        (GOOGLE, "clicks", 10_266),
        (GOOGLE, "ad_orders", 430.55),
        (GOOGLE, "ad_sales", 21_614.61),
        (META, "ad_spend", 7_945.95),
        (META, "impressions", 584_777),
        (META, "clicks", 6_674),
        (META, "ad_orders", 349),
        (META, "ad_sales", 18_635.54),
    ],
)
def test_google_and_meta_totals(name: str, metric: str, expected: float) -> None:
    assert total(result(name).facts, metric) == expected


def test_google_ads_skips_total_rows_and_meta_extras() -> None:
    google = result(GOOGLE)
    assert google.row_count == 186
    assert google.facts["campaign"].str.startswith("Total").sum() == 0
    meta = result(META)
    assert meta.row_count == 108
    assert meta.lines is not None
    assert round(float(meta.lines["landing_page_views"].sum())) == 5_197
    spend = total(google.facts, "ad_spend") + total(meta.facts, "ad_spend")
    assert cents(spend) == Decimal("16297.93")


def test_erp_stock_totals() -> None:
    outcome = result("erp_inventory_2026-06-30.csv")
    facts = outcome.facts
    assert total(facts, "inventory_units") == 35_203
    assert total(facts, "inbound_units") == 7_181
    assert total(facts, "inventory_value", currency="CNY") == 1_970_105.10
    assert set(facts["start"]) == {pd.Timestamp("2026-06-30")}
    lines = outcome.lines
    assert lines is not None
    assert int(lines["reserved_units"].sum()) == 1_066
    assert int(lines["units_sold_30d"].sum()) == 12_395
    assert outcome.row_count == 120


def test_fx_rates() -> None:
    rates = result("fx_rates_monthly.csv").fx_rates
    assert rates is not None
    assert len(rates) == 72
    may = rates[rates["month"] == pd.Timestamp("2026-05-01")]
    got = dict(zip(may["currency"], may["rate"], strict=True))
    assert got == {"USD": 6.9433, "GBP": 9.3312, "EUR": 8.1346, "SGD": 5.3985}
    assert set(rates["quote"]) == {"CNY"}


def test_catalog() -> None:
    catalog = result("catalog.csv").catalog
    assert catalog is not None
    assert len(catalog) == 24
    assert catalog.groupby("category").size().to_dict() == {
        "Garden": 6,
        "Kitchen": 6,
        "Lighting": 6,
        "Storage": 6,
    }


def _cny(local: float, currency: str) -> Decimal:
    rates = result("fx_rates_monthly.csv").fx_rates
    assert rates is not None
    row = rates[
        (rates["month"] == pd.Timestamp("2026-05-01")) & (rates["currency"] == currency)
    ]
    rate = Decimal(repr(float(row["rate"].iloc[0])))
    return (cents(local) * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.mark.parametrize(
    ("name", "segments", "currency", "local", "cny"),
    [
        (ORDERS, {"marketplace": "US"}, "USD", "188474.28", "1308633.47"),
        (ORDERS, {"marketplace": "UK"}, "GBP", "36763.92", "343051.49"),
        (ORDERS, {"marketplace": "DE"}, "EUR", "59644.72", "485185.94"),
        (SHOPIFY, {}, "USD", "54784.76", "380387.02"),
        (TIKTOK, {}, "USD", "56580.04", "392852.19"),
        (SHOPEE, {}, "SGD", "20522.80", "110792.34"),
    ],
)
def test_channel_sales_in_cny(
    name: str, segments: dict[str, str], currency: str, local: str, cny: str
) -> None:
    facts = result(name).facts
    sales = total(facts, "ordered_product_sales", currency=currency, **segments)
    assert cents(sales) == Decimal(local)
    assert _cny(sales, currency) == Decimal(cny)


def test_all_channels_in_cny() -> None:
    channels = [
        (ORDERS, {"marketplace": "US"}, "USD"),
        (ORDERS, {"marketplace": "UK"}, "GBP"),
        (ORDERS, {"marketplace": "DE"}, "EUR"),
        (SHOPIFY, {}, "USD"),
        (TIKTOK, {}, "USD"),
        (SHOPEE, {}, "SGD"),
    ]
    grand = sum(
        _cny(total(result(n).facts, "ordered_product_sales", **s), c)
        for n, s, c in channels
    )
    assert grand == Decimal("3020902.45")


@pytest.mark.parametrize("mode", list(Mode))
def test_samples_read_the_same_in_both_modes(mode: Mode) -> None:
    outcome = read(SAMPLES / GOOGLE, mode=mode, options=ReadOptions(today=TODAY))
    assert outcome.ok
    assert total(outcome.facts, "ad_spend") == 8_351.98
