"""Health checks: each finding, with the node it concerns."""

from __future__ import annotations

from datetime import date

import numpy as np

from kpi import (
    ChildLink,
    Decomposition,
    HealthSettings,
    MetricNode,
    Owner,
    Target,
    build_tree,
    check_health,
    load_library,
    parse_period,
)
from kpi._health import robust_band
from tests.kpi.helpers import fact, facts

LIBRARY = load_library()
OPS = Owner("store_operator", "王芳", "operations")


def node(key: str, metric: str, **kwargs: object) -> MetricNode:
    base: dict[str, object] = {
        "metric": metric,
        "owners": (OPS,),
        "data_source": "Business Report",
        "definition": "x",
    }
    base.update(kwargs)
    return MetricNode(key, **base)  # type: ignore[arg-type]


def codes(findings: list, key: str | None = None) -> set[str]:
    return {f.code for f in findings if key is None or f.node == key}


def test_clean_tree_has_only_target_findings_until_targets_are_set() -> None:
    tree = build_tree("s", [node("s", "sessions")], LIBRARY)
    assert codes(check_health(tree, LIBRARY)) == {"no_target"}
    assert check_health(tree, LIBRARY, targets=[Target("s", "2026-05", 1.0)]) == []


def test_structure_findings() -> None:
    nodes = [
        node(
            "gmv",
            "gmv",
            decomposition=Decomposition.ADDITIVE,
            children=(ChildLink("a"), ChildLink("units")),
        ),
        node("a", "gmv", owners=(), data_source="", definition=""),
        node("units", "units_ordered"),
        node("lost", "sessions"),
        node("cross", "refund_rate", departments=("operations", "customer_service")),
    ]
    tree = build_tree("gmv", nodes, LIBRARY)
    findings = check_health(tree, LIBRARY)
    assert "orphan_node" in codes(findings, "lost")
    assert {"no_owner", "no_data_source"} <= codes(findings, "a")
    assert "no_definition" not in codes(findings, "a"), "the library defines gmv"
    assert "unit_mismatch" in codes(findings, "gmv")
    for finding in findings:
        assert finding.message_zh and finding.message_en


def test_cross_department_kpi_must_name_every_owner() -> None:
    both = (OPS, Owner("supply_chain", "李雷", "supply_chain"))
    nodes = [
        node("a", "days_of_cover", departments=("operations", "supply_chain")),
    ]
    tree = build_tree("a", nodes, LIBRARY)
    assert "cross_department_single_owner" in codes(check_health(tree, LIBRARY), "a")
    tree = build_tree(
        "a",
        [
            node(
                "a",
                "days_of_cover",
                owners=both,
                departments=("operations", "supply_chain"),
            )
        ],
        LIBRARY,
    )
    assert "cross_department_single_owner" not in codes(check_health(tree, LIBRARY))


def test_more_than_five_core_kpis_for_one_owner() -> None:
    metrics = [
        "sessions",
        "units_ordered",
        "orders",
        "page_views",
        "clicks",
        "impressions",
    ]
    leaves = [node(m, m) for m in metrics]
    root = MetricNode(
        "root",
        metric="sessions",
        decomposition=Decomposition.FORMULA,
        children=tuple(ChildLink(m) for m in metrics),
        formula=" + ".join(metrics),
        owners=(Owner("gm", "张总"),),
        data_source="x",
    )
    tree = build_tree("root", [root, *leaves], LIBRARY)
    findings = [
        f for f in check_health(tree, LIBRARY) if f.code == "too_many_core_kpis"
    ]
    assert len(findings) == 1 and "王芳" in findings[0].message_en
    relaxed = check_health(tree, LIBRARY, settings=HealthSettings(max_core_kpis=6))
    assert "too_many_core_kpis" not in codes(relaxed)


def test_data_findings() -> None:
    nodes = [
        node(
            "sales",
            "ordered_product_sales",
            decomposition=Decomposition.ADDITIVE,
            children=(ChildLink("amazon"),),
        ),
        node("amazon", "ordered_product_sales", segment=(("platform", "amazon"),)),
    ]
    tree = build_tree("sales", nodes, LIBRARY)
    rows = []
    for d in range(1, 21):
        if d == 7:
            continue
        value = 1000.0 + d if d != 15 else 9000.0
        rows.append(
            fact(
                f"2026-05-{d:02d}",
                "ordered_product_sales",
                value,
                "USD",
                platform="amazon",
            )
        )
    rows.append(
        fact("2026-05-03", "ordered_product_sales", 500, "USD", platform="ebay")
    )
    rows.append(fact("2026-05-03", "mystery_metric", 1))
    findings = check_health(
        tree,
        LIBRARY,
        facts=facts(*rows),
        period=parse_period("2026-05"),
        as_of=date(2026, 5, 30),
        reporting_currency="USD",
    )
    assert "stale_data" in codes(findings)
    assert "unknown_metric_in_data" in codes(findings)
    mismatch = [f for f in findings if f.code == "identity_mismatch"]
    assert (
        mismatch and mismatch[0].node == "sales" and "500.00" in mismatch[0].message_en
    )
    missing = [f for f in findings if f.code == "missing_days" and f.node == "amazon"]
    assert missing and "2026-05-07" in missing[0].message_en
    outliers = [f for f in findings if f.code == "outlier" and f.node == "amazon"]
    assert outliers and "2026-05-15" in outliers[0].message_en


def test_rollup_mismatch_finding() -> None:
    nodes = [
        node(
            "gmv",
            "gmv",
            decomposition=Decomposition.ADDITIVE,
            children=(ChildLink("a"), ChildLink("b")),
        ),
        node("a", "gmv", segment=(("platform", "a"),)),
        node("b", "gmv", segment=(("platform", "b"),)),
    ]
    tree = build_tree("gmv", nodes, LIBRARY)
    targets = [
        Target("gmv", "2026-05", 100.0),
        Target("a", "2026-05", 50.0),
        Target("b", "2026-05", 40.0),
    ]
    findings = check_health(
        tree,
        LIBRARY,
        targets=targets,
        facts=facts(
            fact("2026-05-01", "ordered_product_sales", 1, "USD", platform="a")
        ),
        period=parse_period("2026-05"),
        as_of=date(2026, 5, 2),
        reporting_currency="USD",
    )
    rollup = [f for f in findings if f.code == "rollup_mismatch"]
    assert rollup and rollup[0].node == "gmv" and "-10.00" in rollup[0].message_en


def test_robust_band() -> None:
    values = np.array([10, 11, 9, 10, 12, 10, 9, 11, 100], dtype=float)
    band = robust_band(values, 3.5)
    assert band is not None and band[0] < 9 and 12 < band[1] < 100
    assert robust_band(np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]), 3.5) is None
    assert robust_band(np.array([1.0, 2.0]), 3.5) is None
