"""Variant layouts and encodings read to the same totals; bad files give reports."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kpi.readers import Mode, ReadOptions, ReasonCode, Severity, detect, read

SAMPLES = Path(__file__).resolve().parents[3] / "kpi" / "samples"
VARIANTS = SAMPLES / "variants"
TODAY = ReadOptions(today=date(2026, 7, 1))


def total(facts: pd.DataFrame, metric: str) -> float:
    return round(float(facts.loc[facts["metric"] == metric, "value"].sum()), 2)


@pytest.mark.parametrize(
    ("name", "key", "encoding", "metric", "expected"),
    [
        (
            "google_ads_campaign_daily_2026-05_utf16.csv",
            "google_ads_campaign",
            "utf-16",
            "ad_spend",
            8_351.98,
        ),
        (
            "erp_inventory_2026-06-30_gbk.csv",
            "erp_stock",
            "gb18030",
            "inventory_units",
            35_203,
        ),
        (
            "erp_inventory_2026-06-30_gbk.csv",
            "erp_stock",
            "gb18030",
            "inventory_value",
            1_970_105.10,
        ),
        (
            "amazon_us_business_report_child_2026-05_device_split.csv",
            "amazon_business_report_child",
            "utf-8",
            "sessions",
            43_134,
        ),
        (
            "amazon_us_business_report_child_2026-05_device_split.csv",
            "amazon_business_report_child",
            "utf-8",
            "page_views_b2b",
            3_260,
        ),
        (
            "amazon_us_business_report_child_2026-05_endash.csv",
            "amazon_business_report_child",
            "utf-8",
            "ordered_product_sales",
            188_474.28,
        ),
        (
            "amazon_us_business_report_child_2026-05_endash.csv",
            "amazon_business_report_child",
            "utf-8",
            "sessions_b2b",
            2_198,
        ),
        (
            "amazon_us_sp_campaign_2026-05.csv",
            "amazon_sp_campaign",
            "utf-8",
            "ad_spend",
            17_837.94,
        ),
        (
            "amazon_us_sp_campaign_2026-05.csv",
            "amazon_sp_campaign",
            "utf-8",
            "ad_sales",
            76_463.61,
        ),
        (
            "amazon_de_business_report_bydate_2026-05.csv",
            "amazon_business_report_date",
            "utf-8",
            "ordered_product_sales",
            4_224.66,
        ),
        (
            "amazon_de_business_report_bydate_2026-05.csv",
            "amazon_business_report_date",
            "utf-8",
            "sessions",
            3_407,
        ),
    ],
)
def test_variants_keep_totals(
    name: str, key: str, encoding: str, metric: str, expected: float
) -> None:
    outcome = read(VARIANTS / name, options=TODAY)
    assert outcome.ok, [e.message("en") for e in outcome.errors]
    assert outcome.format == key
    assert outcome.encoding == encoding
    assert total(outcome.facts, metric) == expected


def test_comma_decimal_euro_report_reads_days_and_currency() -> None:
    outcome = read(
        VARIANTS / "amazon_de_business_report_bydate_2026-05.csv", options=TODAY
    )
    facts = outcome.facts
    assert set(facts["marketplace"]) == {"DE"}
    sales = facts[facts["metric"] == "ordered_product_sales"]
    assert set(sales["currency"]) == {"EUR"}
    assert sorted(sales["start"].dt.strftime("%Y-%m-%d")) == [
        "2026-05-01",
        "2026-05-02",
        "2026-05-13",
    ]


def test_format_override_and_wrong_override() -> None:
    google = SAMPLES / "google_ads_campaign_daily_2026-05.csv"
    assert read(google, format="google_ads_campaign").ok
    wrong = read(google, format="shopify_orders")
    assert not wrong.ok
    assert wrong.errors[0].reason_code is ReasonCode.MISSING_COLUMN
    unknown = read(google, format="no_such_format")
    assert unknown.errors[0].reason_code is ReasonCode.UNKNOWN_FORMAT_KEY


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("bad_empty.csv", ReasonCode.EMPTY_FILE),
        ("bad_header_only.csv", ReasonCode.HEADER_ONLY),
        ("bad_wrong_delimiter.csv", ReasonCode.SINGLE_COLUMN),
        ("bad_duplicate_headers.csv", ReasonCode.DUPLICATE_COLUMN),
        ("bad_corrupt.xlsx", ReasonCode.CORRUPT_XLSX),
        ("bad_not_a_zip.xlsx", ReasonCode.SINGLE_COLUMN),
        ("bad_password_protected.xlsx", ReasonCode.ENCRYPTED_XLSX),
    ],
)
def test_bad_files_are_refused_with_a_reason(name: str, code: ReasonCode) -> None:
    for mode in Mode:
        outcome = read(VARIANTS / name, mode=mode)
        assert not outcome.ok
        assert outcome.fatal
        assert outcome.facts.empty
        assert outcome.errors[0].reason_code is code
        assert outcome.errors[0].message_zh
        assert outcome.errors[0].message_en
    assert detect(VARIANTS / name).format is None or code in (
        ReasonCode.HEADER_ONLY,
        ReasonCode.DUPLICATE_COLUMN,
    )


def test_bad_cells_are_named_by_row_and_column() -> None:
    path = VARIANTS / "bad_cells_google_ads.csv"
    strict = read(path, options=TODAY)
    assert not strict.ok
    assert strict.facts.empty
    found = {(e.row, e.column, e.reason_code) for e in strict.errors}
    assert found == {
        (6, "Cost", ReasonCode.BAD_NUMBER),
        (10, "Clicks", ReasonCode.BAD_NUMBER),
        (12, "Day", ReasonCode.FUTURE_DATE),
    }
    assert strict.rejected_rows == (6, 10, 12)
    bad_cost = next(e for e in strict.errors if e.row == 6)
    assert "abc10.95" in bad_cost.message_en
    assert "abc10.95" in bad_cost.message_zh
    formulas = [w for w in strict.warnings if w.reason_code is ReasonCode.FORMULA_TEXT]
    assert [w.row for w in formulas] == [8, 9]
    assert all(w.severity is Severity.WARNING for w in formulas)


def test_skip_mode_keeps_every_good_row() -> None:
    path = VARIANTS / "bad_cells_google_ads.csv"
    skip = read(path, mode=Mode.SKIP_BAD_ROWS, options=TODAY)
    assert skip.ok
    assert skip.rejected_rows == (6, 10, 12)
    assert skip.row_count == 10
    kept = [55.87, 17.82, 46.49, 36.03, 49.15, 34.47, 60.06]
    assert total(skip.facts, "ad_spend") == round(sum(kept), 2)
    campaigns = set(skip.facts["campaign"])
    assert '=HYPERLINK("http://example.com","x")' in campaigns
    assert "@SUM(A1:A9)" in campaigns


def test_truncated_and_overlong_lines() -> None:
    path = VARIANTS / "bad_truncated_all_orders.txt"
    strict = read(path, options=TODAY)
    assert not strict.ok
    codes = [(e.row, e.reason_code) for e in strict.errors]
    assert codes == [(5, ReasonCode.TRUNCATED_ROW), (9, ReasonCode.EXTRA_FIELDS)]
    skip = read(path, mode=Mode.SKIP_BAD_ROWS, options=ReadOptions(keep_lines=True))
    assert skip.ok
    assert skip.row_count == 20
    assert skip.rejected_rows == (5, 9)
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=False)) for line in lines[1:]]
    good = [
        r
        for number, r in enumerate(rows, start=2)
        if number not in (5, 9)
        and r["order-status"] != "Cancelled"
        and r["sales-channel"] != "Non-Amazon"
    ]
    expected = round(sum(float(r["item-price"]) for r in good), 2)
    assert len(good) > 10
    assert total(skip.facts, "ordered_product_sales") == expected


def test_size_limit_is_configurable() -> None:
    path = SAMPLES / "shopify_orders_export_2026-05.csv"
    small = read(path, options=ReadOptions(max_bytes=100_000))
    assert small.errors[0].reason_code is ReasonCode.TOO_LARGE
    assert "MB" in small.errors[0].message_zh
    assert read(path, options=ReadOptions(max_bytes=1_000_000)).ok


def test_missing_file_and_bad_period() -> None:
    missing = read(VARIANTS / "no_such_file.csv")
    assert missing.errors[0].reason_code is ReasonCode.NOT_FOUND
    child = SAMPLES / "amazon_us_business_report_child_2026-05.csv"
    bad = read(child, period="May")
    assert bad.errors[0].reason_code is ReasonCode.BAD_PERIOD


def test_text_in_numeric_column_of_xlsx_shaped_bytes() -> None:
    text = "Day,Campaign,Currency code,Cost,Impr.,Clicks\n2026-05-01,A,USD,1.5,10,1\n"
    text += "2026-05-02,B,USD,n/a?,10,1\n"
    outcome = read(text.encode(), name="x.csv", options=TODAY)
    assert [(e.row, e.column) for e in outcome.errors] == [(3, "Cost")]


def test_semicolon_file_with_gbk_encoding() -> None:
    text = "SKU;仓库;可用库存;在途库存;库存金额(CNY);更新时间\n"
    text += "A-1;深圳总仓;10;2;100,50;2026-06-30 23:59:59\n"
    outcome = read(text.encode("gbk"), name="stock.csv", options=TODAY)
    assert outcome.ok, outcome.errors
    assert outcome.encoding == "gb18030"
    assert total(outcome.facts, "inventory_units") == 10


def test_text_in_a_fast_parsed_number_column_is_reported_per_cell() -> None:
    data = (SAMPLES / "amazon_all_orders_2026-05.txt").read_bytes()
    broken = data.replace(b"\t39.99\t", b"\tabc\t", 1)
    strict = read(broken, name="orders.txt", options=TODAY)
    assert [(e.row, e.column, e.reason_code) for e in strict.errors] == [
        (3, "item-price", ReasonCode.BAD_NUMBER)
    ]
    skip = read(broken, name="orders.txt", mode=Mode.SKIP_BAD_ROWS, options=TODAY)
    assert skip.ok
    assert skip.rejected_rows == (3,)
    assert skip.row_count == 7_416


def test_shopify_orders_in_two_currencies_stay_apart() -> None:
    source = (SAMPLES / "shopify_orders_export_2026-05.csv").read_text("utf-8")
    lines = source.splitlines()
    header = lines[0].split(",")
    currency = header.index("Currency")
    cad = []
    for line in lines[1:3]:
        cells = next(iter(csv.reader([line])))
        if cells[currency]:
            cells[currency] = "CAD"
        cad.append(cells)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(cad)
    for line in lines[3:20]:
        buf.write(line + "\r\n")
    result = read(buf.getvalue().encode(), name="orders_export.csv", options=TODAY)
    assert result.ok, result.errors
    sales = result.facts[result.facts["metric"] == "ordered_product_sales"]
    assert set(sales["currency"]) == {"CAD", "USD"}


def test_an_order_with_a_bad_row_is_left_out_whole() -> None:
    path = SAMPLES / "shopify_orders_export_2026-05.csv"
    records = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    header = records[0]
    price = header.index("Lineitem price")
    assert records[1][0] == records[2][0] == "#9911" != records[3][0]  # rows 2, 3
    records[2][price] = "12,3,4"
    buf = io.StringIO()
    csv.writer(buf).writerows(records)
    data = buf.getvalue().encode()
    strict = read(data, name="orders_export.csv", options=TODAY)
    assert [(e.row, e.reason_code) for e in strict.errors] == [
        (2, ReasonCode.ORDER_HAS_BAD_ROW),
        (3, ReasonCode.BAD_NUMBER),
    ]
    assert "#9911" in strict.errors[0].message_en
    skip = read(data, name="orders_export.csv", mode=Mode.SKIP_BAD_ROWS, options=TODAY)
    assert skip.rejected_rows == (2, 3)
    assert total(skip.facts, "orders") == 913
    assert total(skip.facts, "order_items") == 1_310


def test_excel_resaved_by_date_report() -> None:
    """Excel on a Chinese PC: BOM, unquoted money, dates like 2026/4/1."""
    source = (SAMPLES / "amazon_us_business_report_bydate_2026-Q2.csv").read_text(
        "utf-8"
    )
    records = list(csv.reader(io.StringIO(source)))
    for record in records[1:]:
        month, day, year = record[0].split("/")
        record[0] = f"20{year}/{int(month)}/{int(day)}"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(records)
    data = b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")
    result = read(data, name="BusinessReport.csv", options=TODAY)
    assert result.ok, result.errors
    assert result.encoding == "utf-8-sig"
    assert total(result.facts, "ordered_product_sales") == 550_156.84
    assert result.facts["start"].min() == pd.Timestamp("2026-04-01")


@pytest.mark.parametrize(
    ("name", "marketplace", "currency"),
    [
        ("amazon_ca_business_report.csv", "CA", "CAD"),
        ("amazon_jp_business_report.csv", "JP", "JPY"),
        ("amazon_business_report.csv", "US", "USD"),
        ("amazon_uk_business_report.csv", "UK", "GBP"),
    ],
)
def test_shared_currency_symbols_follow_the_site(
    name: str, marketplace: str, currency: str
) -> None:
    symbol = {"JPY": "¥", "GBP": "£"}.get(currency, "$")
    text = (
        '"Date","Ordered Product Sales","Units Ordered"\n'
        f'"05/01/26","{symbol}1,234.00","3"\n'
    )
    if marketplace in ("JP", "UK"):
        text = text.replace("05/01/26", "01/05/26")
    result = read(text.encode(), name=name, options=TODAY)
    assert result.ok, result.errors
    sales = result.facts[result.facts["metric"] == "ordered_product_sales"]
    assert set(sales["marketplace"]) == {marketplace}
    assert set(sales["currency"]) == {currency}
    assert set(sales["start"]) == {pd.Timestamp("2026-05-01")}


ORDERS_HEADER = (
    (SAMPLES / "amazon_all_orders_2026-05.txt").read_text("utf-8").split("\n")[0]
)


@pytest.mark.parametrize(
    ("channel", "stamp", "day"),
    [
        ("Amazon.co.uk", "2026-04-30T23:30:00+00:00", "2026-05-01"),  # BST
        ("Amazon.de", "2026-04-30T22:10:00+00:00", "2026-05-01"),  # CEST
        ("Amazon.com", "2026-06-01T03:00:00+00:00", "2026-05-31"),  # PDT
        ("Amazon.com", "2026-01-01T07:59:59+00:00", "2025-12-31"),  # PST
        ("Amazon.co.uk", "2026-01-01T00:00:00+00:00", "2026-01-01"),  # GMT
    ],
)
def test_all_orders_days_are_local(channel: str, stamp: str, day: str) -> None:
    fields = ORDERS_HEADER.split("\t")
    row = dict.fromkeys(fields, "")
    row.update(
        {
            "amazon-order-id": "111-0000001-0000001",
            "purchase-date": stamp,
            "order-status": "Shipped",
            "sales-channel": channel,
            "sku": "SBH-LAMP-01",
            "quantity": "1",
            "item-price": "10.00",
            "is-business-order": "false",
        }
    )
    data = (ORDERS_HEADER + "\n" + "\t".join(row[f] for f in fields) + "\n").encode()
    result = read(data, name="orders.txt", options=TODAY)
    assert result.ok, result.errors
    assert set(result.facts["start"].dt.strftime("%Y-%m-%d")) == {day}


def test_pending_line_without_price_counts_units_and_warns() -> None:
    fields = ORDERS_HEADER.split("\t")
    row = dict.fromkeys(fields, "")
    row.update(
        {
            "amazon-order-id": "111-0000001-0000002",
            "purchase-date": "2026-05-02T18:00:00+00:00",
            "order-status": "Pending",
            "sales-channel": "Amazon.com",
            "sku": "SBH-LAMP-01",
            "quantity": "2",
        }
    )
    data = (ORDERS_HEADER + "\n" + "\t".join(row[f] for f in fields) + "\n").encode()
    result = read(data, name="orders.txt", options=TODAY)
    assert result.ok
    assert total(result.facts, "units_ordered") == 2
    assert total(result.facts, "orders") == 1
    assert [w.reason_code for w in result.warnings] == [ReasonCode.PRICE_NOT_YET_KNOWN]
    assert result.warnings[0].row == 2


def test_a_text_table_saved_as_xlsx_is_read_by_its_content() -> None:
    data = (SAMPLES / "erp_inventory_2026-06-30.csv").read_bytes()
    result = read(data.replace(b",", b"\t"), name="库存报表.xlsx", options=TODAY)
    assert result.ok, result.errors
    assert result.format == "erp_stock"
    assert total(result.facts, "inventory_units") == 35_203


def test_fx_table_rejects_a_second_rate_and_bad_cells() -> None:
    text = "month,currency,rate_to_CNY\n2026-05,USD,6.9433\n2026-05,USD,7.0000\n"
    text += "2026-05,US,7.1\n2026-5-3,EUR,8.1\n2026-05,GBP,-1\n2026-06,GBP,9.30\n"
    result = read(text.encode(), name="rates.csv", mode=Mode.SKIP_BAD_ROWS)
    codes = [(e.row, e.reason_code) for e in result.errors]
    assert codes == [
        (3, ReasonCode.DUPLICATE_RATE),
        (4, ReasonCode.BAD_CURRENCY),
        (5, ReasonCode.BAD_DATE),
        (6, ReasonCode.BAD_NUMBER),
    ]
    assert result.fx_rates is not None
    assert result.fx_rates["rate"].tolist() == [6.9433, 9.30]
