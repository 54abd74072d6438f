"""Mapping, preview, periods, CLI and the facts contract."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from kpi.facts import FACT_COLUMNS, validate_facts
from kpi.readers import (
    ColumnMapping,
    MetricColumn,
    Mode,
    Period,
    ReadOptions,
    ReasonCode,
    escape_cell,
    formats,
    guess_mapping,
    guess_period,
    preview,
    read,
)
from kpi.readers._cli import register

SAMPLES = Path(__file__).resolve().parents[3] / "kpi" / "samples"
DAILY_ZH = (
    "日期,店铺,SKU,销售额(USD),销量,广告花费(USD),负责人\n"
    '2026-05-01,Amazon US,SBH-LAMP-01,"1,234.50",30,120.00,王磊\n'
    "2026-05-01,Amazon US,SBH-LAMP-02,99.90,3,--,王磊\n"
    "2026-05-02,Amazon US,SBH-LAMP-01,500.00,12,80.5,李娜\n"
)


def test_every_sample_follows_the_facts_contract() -> None:
    for path in sorted(SAMPLES.glob("*.*")):
        if path.suffix == ".md":
            continue
        result = read(path, options=ReadOptions(today=date(2026, 7, 1)))
        assert result.ok, (path.name, result.errors)
        assert list(result.facts.columns) == list(FACT_COLUMNS)
        checked = validate_facts(result.facts)
        pd.testing.assert_frame_equal(checked, result.facts, check_dtype=True)


def test_formats_have_labels_in_both_languages() -> None:
    infos = formats()
    keys = [f.key for f in infos]
    assert len(keys) == len(set(keys))
    assert keys[-1] == "generic"
    assert all(f.label_zh and f.label_en for f in infos)
    assert [f.key for f in infos if f.needs_period] == ["amazon_business_report_child"]


def test_generic_file_guess_then_read() -> None:
    data = DAILY_ZH.encode("utf-8")
    shown = preview(data, name="daily.csv")
    assert shown.detection.format is None
    assert shown.header[:3] == ("日期", "店铺", "SKU")
    assert len(shown.rows) == 3
    mapping = guess_mapping(shown)
    assert mapping.date_column == "日期"
    assert mapping.segments["sku"] == "SKU"
    assert mapping.segments["owner"] == "负责人"
    assert mapping.segments["marketplace"] == "店铺"
    by_metric = {m.metric: m for m in mapping.metrics}
    assert by_metric["ordered_product_sales"].column == "销售额(USD)"
    assert by_metric["ordered_product_sales"].currency == "USD"
    assert by_metric["units_ordered"].column == "销量"
    assert by_metric["ad_spend"].currency == "USD"
    saved = json.loads(json.dumps(mapping.to_dict()))
    again = ColumnMapping.from_dict(saved)
    assert again == mapping
    result = read(data, mapping=saved, name="daily.csv")
    assert result.ok, result.errors
    assert result.format == "generic"
    facts = result.facts
    sales = facts[facts["metric"] == "ordered_product_sales"]
    assert round(sales["value"].sum(), 2) == 1_834.40
    assert set(sales["currency"]) == {"USD"}
    spend = facts[facts["metric"] == "ad_spend"]
    assert round(spend["value"].sum(), 2) == 200.50
    assert set(facts["owner"]) == {"王磊", "李娜"}


def test_generic_mapping_without_dates_needs_a_period() -> None:
    data = b"sku,units\nA,1\nB,2\n"
    mapping = ColumnMapping(
        metrics=(MetricColumn("units", "units_ordered"),),
        segments={"sku": "sku"},
        constants={"platform": "erp"},
    )
    missing = read(data, mapping=mapping, name="x.csv")
    assert missing.errors[0].reason_code is ReasonCode.PERIOD_REQUIRED
    result = read(data, mapping=mapping, period="2026-05", name="x.csv")
    assert result.ok
    assert set(result.facts["end"]) == {pd.Timestamp("2026-05-31")}
    assert set(result.facts["platform"]) == {"erp"}


@pytest.mark.parametrize(
    ("mapping", "detail"),
    [
        ({"metrics": []}, "no metric"),
        ({"metrics": [{"column": "units", "metric": "Units!"}]}, "metric key"),
        (
            {
                "metrics": [{"column": "units", "metric": "units_ordered"}],
                "segments": {"shop": "sku"},
            },
            "segment",
        ),
        ({"metrics": [{"column": "nope", "metric": "units_ordered"}]}, "nope"),
        ({"metrics": [{"column": "units", "metric": "refunds"}]}, "currency"),
        ({"metrics": "units"}, "list"),
    ],
)
def test_bad_mappings_are_reported(mapping: dict[str, object], detail: str) -> None:
    result = read(b"sku,units\nA,1\n", mapping=mapping, period="2026-05", name="x.csv")
    assert not result.ok
    assert result.errors[0].reason_code in (
        ReasonCode.BAD_MAPPING,
        ReasonCode.MISSING_COLUMN,
    )
    assert detail in result.errors[0].message_en


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("amazon_us_business_report_child_2026-05.csv", "2026-05"),
        ("BusinessReport_2026-Q2.csv", "2026-04-01..2026-06-30"),
        ("erp_inventory_2026-06-30.csv", "2026-06-30"),
        ("report_20260501-20260531.csv", "2026-05"),
        ("业务报告2026年5月.csv", "2026-05"),
        ("BusinessReport-May2026.csv", "2026-05"),
        ("report_202605.csv", "2026-05"),
        ("BusinessReport.csv", None),
        ("report_2026-13.csv", None),
    ],
)
def test_guess_period(name: str, expected: str | None) -> None:
    got = guess_period(name)
    assert (str(got) if got else None) == expected


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-05", date(2026, 5, 1), date(2026, 5, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-05-03..2026-05-09", date(2026, 5, 3), date(2026, 5, 9)),
        ("2026-05-03", date(2026, 5, 3), date(2026, 5, 3)),
    ],
)
def test_period_parse(text: str, start: date, end: date) -> None:
    period = Period.parse(text)
    assert (period.start, period.end) == (start, end)


@pytest.mark.parametrize(
    ("cell", "escaped"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+cmd", "'+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("-12.50", "-12.50"),
        ("SBH-LAMP-01", "SBH-LAMP-01"),
        ("", ""),
    ],
)
def test_escape_cell(cell: str, escaped: str) -> None:
    assert escape_cell(cell) == escaped


def test_marketplace_and_currency_overrides() -> None:
    path = SAMPLES / "meta_ads_2026-05.csv"
    result = read(path, options=ReadOptions(marketplace="US"))
    assert set(result.facts["marketplace"]) == {"US"}


def _cli(*argv: str) -> int:
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["read", *argv])
    code: int = args.handler(args)
    return code


def test_cli_prints_totals_split_by_currency(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _cli(str(SAMPLES / "amazon_all_orders_2026-05.txt"), "--json") == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["format"] == "amazon_all_orders"
    sales = {
        (t["marketplace"], t["currency"]): t["value"]
        for t in summary["totals"]
        if t["metric"] == "ordered_product_sales"
    }
    assert sales == {
        ("DE", "EUR"): 59_644.72,
        ("UK", "GBP"): 36_763.92,
        ("US", "USD"): 188_474.28,
    }


def test_cli_text_and_period(capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLES / "amazon_us_business_report_child_2026-05_zh.csv"
    assert _cli(str(path), "--period", "2026-05", "--lang", "zh") == 0
    out = capsys.readouterr().out
    assert "amazon_business_report_child" in out
    assert "utf-8-sig" in out
    assert "188,474.28 USD" in out


@pytest.mark.parametrize(
    ("name", "extra", "needle"),
    [
        ("variants/bad_empty.csv", [], "empty"),
        ("variants/bad_password_protected.xlsx", [], "password"),
        ("variants/bad_cells_google_ads.csv", [], "bad row"),
        ("shopify_orders_export_2026-05.csv", ["--max-mb", "0.1"], "too large"),
    ],
)
def test_cli_refuses_with_one_line(
    name: str, extra: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli(str(SAMPLES / name), *extra) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert needle in err
    assert "Traceback" not in err


def test_cli_skip_bad_rows(capsys: pytest.CaptureFixture[str]) -> None:
    path = SAMPLES / "variants" / "bad_cells_google_ads.csv"
    assert _cli(str(path), "--skip-bad-rows") == 0
    out = capsys.readouterr().out
    assert "row 6 [Cost]" in out


def test_strict_and_skip_agree_on_clean_files() -> None:
    path = SAMPLES / "shopify_orders_export_2026-05.csv"
    strict = read(path)
    skip = read(path, mode=Mode.SKIP_BAD_ROWS)
    pd.testing.assert_frame_equal(strict.facts, skip.facts)


def test_an_empty_saved_mapping_means_no_mapping() -> None:
    path = SAMPLES / "google_ads_campaign_daily_2026-05.csv"
    result = read(path, mapping={}, options=ReadOptions(today=date(2026, 7, 1)))
    assert result.ok
    assert result.format == "google_ads_campaign"
