"""The portable workbook file: schema, engine checks, templates, round trip."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kpi import (
    Grain,
    WorkbookError,
    list_templates,
    load_template,
    load_workbook,
    loads_workbook,
    workbook_from_data,
    workbook_schema,
    workbook_to_data,
)


def minimal() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": "demo",
        "settings": {"reporting_currency": "CNY", "fiscal_year_start": 4},
        "tree": {
            "root": "gmv",
            "nodes": [
                {
                    "key": "gmv",
                    "metric": "gmv",
                    "decomposition": "additive",
                    "children": ["amazon", {"key": "shopify", "sign": 1}],
                },
                {"key": "amazon", "metric": "gmv", "segment": {"platform": "amazon"}},
                {"key": "shopify", "metric": "gmv", "segment": {"platform": "shopify"}},
            ],
        },
        "targets": [{"node": "gmv", "period": "FY2027-Q1", "value": 1000000}],
        "fx_rates": [
            {"month": "2026-05", "currency": "USD", "quote": "CNY", "rate": 6.9433}
        ],
        "facts": [
            {
                "start": "2026-05-01",
                "platform": "amazon",
                "metric": "ordered_product_sales",
                "value": 100.5,
                "currency": "USD",
            }
        ],
    }


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(workbook_schema())


def test_minimal_workbook_loads() -> None:
    workbook = workbook_from_data(minimal())
    assert workbook.settings.fiscal_year_start == 4
    assert workbook.settings.period_grain is Grain.MONTH
    assert len(workbook.targets) == 1
    assert workbook.facts.loc[0, "end"] == workbook.facts.loc[0, "start"]
    assert workbook.fx_rates.loc[0, "rate"] == 6.9433


def test_round_trip() -> None:
    workbook = workbook_from_data(minimal())
    data = workbook_to_data(workbook)
    again = workbook_to_data(workbook_from_data(json.loads(json.dumps(data))))
    assert again == data


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (lambda d: d.update(schema_version=2), "/schema_version", "1 was expected"),
        (lambda d: d.pop("tree"), "/", "'tree' is a required property"),
        (
            lambda d: d["tree"]["nodes"][0].update(decomposition="sum"),
            "/tree/nodes/0/decomposition",
            "is not one of",
        ),
        (
            lambda d: d["tree"]["nodes"][1].update(segment={"shop": "x"}),
            "/tree/nodes/1/segment",
            "shop",
        ),
        (lambda d: d["targets"][0].pop("value"), "/targets/0", "is not valid"),
        (
            lambda d: d["fx_rates"][0].update(rate=0),
            "/fx_rates/0/rate",
            "less than or equal to the minimum",
        ),
        (
            lambda d: d["facts"][0].update(currency="usd"),
            "/facts/0/currency",
            "does not match",
        ),
        (lambda d: d.update(colour="red"), "/", "Additional properties"),
        (
            lambda d: d["tree"]["nodes"][0].update(metric="gvm"),
            "/tree",
            "unknown metric 'gvm'",
        ),
        (
            lambda d: d["tree"]["nodes"][0]["children"].append("nobody"),
            "/tree",
            "unknown child 'nobody'",
        ),
        (
            lambda d: d["tree"]["nodes"][1].update(
                decomposition="additive", children=["gmv"]
            ),
            "/tree",
            "cycle",
        ),
        (
            lambda d: d["targets"][0].update(node="nope"),
            "/targets/0",
            "unknown node 'nope'",
        ),
        (
            lambda d: d["targets"][0].update(period="2026-13"),
            "/targets/0",
            "not a valid month",
        ),
        (lambda d: d["facts"][0].update(start="2026-02-30"), "/facts", "not a date"),
        (
            lambda d: d.update(
                metrics=[
                    {
                        "key": "acos",
                        "name_zh": "a",
                        "name_en": "a",
                        "unit": "percent",
                        "direction": "lower",
                        "aggregation": "sum",
                        "level": "role",
                        "owner_role": "x",
                        "definition_zh": "a",
                        "definition_en": "a",
                    }
                ]
            ),
            "/metrics",
            "already defined in the library",
        ),
        (
            lambda d: d.update(
                metrics=[
                    {
                        "key": "my_ratio",
                        "name_zh": "a",
                        "name_en": "a",
                        "unit": "percent",
                        "direction": "lower",
                        "aggregation": "formula",
                        "formula": "acos + gmv",
                        "level": "role",
                        "owner_role": "x",
                        "definition_zh": "a",
                        "definition_en": "a",
                    }
                ]
            ),
            "/metrics",
            "unit mismatch",
        ),
        (
            lambda d: d["settings"].update(
                status_thresholds={"on_track": 0.5, "at_risk": 0.9}
            ),
            "/settings/status_thresholds",
            "must not exceed",
        ),
    ],
)
def test_bad_workbooks_name_the_place(change: Any, path: str, message: str) -> None:
    data = copy.deepcopy(minimal())
    change(data)
    with pytest.raises(WorkbookError) as err:
        workbook_from_data(data)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"schema_version": 1, ', "not valid JSON"),
        ('{"schema_version": NaN}', "NaN is not a number JSON allows"),
        ("[]", "is not of type 'object'"),
    ],
)
def test_bad_json(text: str, message: str) -> None:
    with pytest.raises(WorkbookError, match=message):
        loads_workbook(text)


def test_custom_metric_is_usable(tmp_path: Path) -> None:
    data = minimal()
    data["metrics"] = [
        {
            "key": "net_ad_margin",
            "name_zh": "广告后毛利率",
            "name_en": "Net ad margin",
            "unit": "percent",
            "direction": "higher",
            "aggregation": "formula",
            "formula": "(gross_profit - ad_spend) / net_sales",
            "level": "company",
            "owner_role": "general_manager",
            "definition_zh": "x",
            "definition_en": "x",
        }
    ]
    data["tree"]["nodes"].append({"key": "nam", "metric": "net_ad_margin"})
    path = tmp_path / "wb.json"
    path.write_text(json.dumps(data), "utf-8")
    workbook = load_workbook(path)
    assert "net_ad_margin" in workbook.library
    assert "net_ad_margin" not in __import__("kpi").load_library()


def test_unreadable_file() -> None:
    with pytest.raises(WorkbookError, match="cannot read the file"):
        load_workbook("/nonexistent/workbook.json")


def test_at_least_four_templates_load() -> None:
    names = list_templates()
    assert {
        "amazon_store",
        "multi_platform",
        "advertising_team",
        "operations_inventory",
    } <= set(names)
    for name in names:
        workbook = load_template(name)
        levels = {n.level.value for n in workbook.tree.nodes.values()}
        assert {"department", "role"} <= levels, name
        assert workbook.tree.orphans() == []
    with pytest.raises(WorkbookError, match="no tree template"):
        load_template("nope")


def test_the_documented_example_is_a_valid_workbook() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs/kpi-engine.md").read_text(
        "utf-8"
    )
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    workbook = loads_workbook(example)
    assert workbook.tree.root == "gmv"
    assert len(workbook.targets) == 2


def test_evaluate_and_check_a_workbook() -> None:
    from kpi import check_workbook, evaluate_workbook

    workbook = workbook_from_data(minimal())
    result = evaluate_workbook(workbook, "2026-05", as_of=None)
    gmv = result.nodes["gmv"]
    assert gmv.actual == 697.8  # 100.5 USD × 6.9433 = 697.80 CNY
    assert result.nodes["amazon"].actual == 697.8
    assert result.nodes["shopify"].actual is None
    codes = {f.code for f in check_workbook(workbook, period="2026-05")}
    assert "no_target" in codes
