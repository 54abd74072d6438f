"""Benchmark of the KPI engine (a report, not a test).

A 303-node tree (company margin → 20 channel profit waterfalls, each with
sales = sessions × unit session % × average selling price and ad spend = ad
sales × ACoS) over 36 months of daily facts for 20 channels (10 base metrics,
in USD converted to CNY with monthly rates): aggregate once, then evaluate all
36 months with attribution against the previous month (LMDI across channels).

Run: ``.venv/bin/python benchmarks/kpi_engine.py [--runs 5] [--monthly]``
Prints the median wall time (and CPU time, steadier on a shared machine) over
the runs, and the peak memory traced by tracemalloc during one more run.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kpi import (
    ChildLink,
    Decomposition,
    MetricNode,
    MetricTree,
    Target,
    TargetBook,
    build_tree,
    evaluate_tree,
    load_library,
    parse_period,
    periods_between,
    prepare_cube,
)
from kpi.facts import SEGMENT_FIELDS

CHANNELS = [f"ch{i:02d}" for i in range(20)]
MONTHS = 36
FIRST = date(2023, 7, 1)


def build_benchmark_tree() -> MetricTree:
    library = load_library()
    nodes = [
        MetricNode(
            "margin",
            metric="contribution_margin",
            decomposition=Decomposition.FORMULA,
            children=(ChildLink("cp_total"), ChildLink("net_total")),
            formula="cp_total / net_total",
        ),
        MetricNode(
            "cp_total",
            metric="contribution_profit",
            decomposition=Decomposition.ADDITIVE,
            children=tuple(ChildLink(f"cp_{c}") for c in CHANNELS),
        ),
        MetricNode(
            "net_total",
            metric="net_sales",
            decomposition=Decomposition.ADDITIVE,
            children=tuple(ChildLink(f"netx_{c}") for c in CHANNELS),
        ),
    ]
    for c in CHANNELS:
        nodes += channel_nodes(c)
    return build_tree("margin", nodes, library)


def channel_nodes(c: str) -> list[MetricNode]:
    seg = (("platform", c),)
    add, mul = Decomposition.ADDITIVE, Decomposition.MULTIPLICATIVE

    def kids(*keys: str, signs: tuple[int, ...] = ()) -> tuple[ChildLink, ...]:
        signs = signs or (1,) * len(keys)
        return tuple(ChildLink(f"{k}_{c}", s) for k, s in zip(keys, signs, strict=True))

    spec: list[tuple[str, str, Decomposition, tuple[ChildLink, ...]]] = [
        (
            "cp",
            "contribution_profit",
            add,
            kids("net", "cogs", "fees", "ful", "ads", signs=(1, -1, -1, -1, -1)),
        ),
        (
            "net",
            "net_sales",
            add,
            kids("sales", "refunds", "discounts", signs=(1, -1, -1)),
        ),
        ("sales", "ordered_product_sales", mul, kids("sessions", "usp", "asp")),
        ("ads", "ad_spend", mul, kids("ad_sales", "acos")),
    ]
    leaves = [
        ("sessions", "sessions"),
        ("usp", "unit_session_percentage"),
        ("asp", "average_selling_price"),
        ("refunds", "refunds"),
        ("discounts", "discounts"),
        ("cogs", "cogs"),
        ("fees", "platform_fees"),
        ("ful", "fulfilment_cost"),
        ("ad_sales", "ad_sales"),
        ("acos", "acos"),
        ("netx", "net_sales"),
    ]
    nodes = [
        MetricNode(
            f"{key}_{c}",
            metric=metric,
            segment=seg,
            decomposition=dec,
            children=children,
        )
        for key, metric, dec, children in spec
    ]
    nodes += [
        MetricNode(f"{key}_{c}", metric=metric, segment=seg) for key, metric in leaves
    ]
    return nodes


def build_facts(monthly: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    last = date(2026, 6, 30)
    if monthly:
        starts = [
            p.start
            for p in periods_between(parse_period("2023-07"), parse_period("2026-06"))
        ]
        ends = [
            p.end
            for p in periods_between(parse_period("2023-07"), parse_period("2026-06"))
        ]
    else:
        days = (last - FIRST).days + 1
        starts = [FIRST + timedelta(days=i) for i in range(days)]
        ends = starts
    n_days = len(starts)
    frames = []
    scale = 30.0 if monthly else 1.0
    for c in CHANNELS:
        sessions = rng.uniform(800, 1200, n_days) * scale
        units = sessions * rng.uniform(0.08, 0.14, n_days)
        price = rng.uniform(25, 35, n_days)
        sales = np.round(units * price, 2)
        values = {
            "sessions": np.round(sessions),
            "units_ordered": np.round(units),
            "ordered_product_sales": sales,
            "refunds": np.round(sales * 0.03, 2),
            "discounts": np.round(sales * 0.02, 2),
            "cogs": np.round(sales * 0.3, 2),
            "platform_fees": np.round(sales * 0.15, 2),
            "fulfilment_cost": np.round(sales * 0.12, 2),
            "ad_spend": np.round(sales * rng.uniform(0.06, 0.12, n_days), 2),
            "ad_sales": np.round(sales * 0.35, 2),
        }
        for metric, v in values.items():
            money = metric not in ("sessions", "units_ordered")
            frames.append(
                pd.DataFrame(
                    {
                        "start": pd.to_datetime(starts),
                        "end": pd.to_datetime(ends),
                        "metric": metric,
                        "value": v.astype(float),
                        "currency": "USD" if money else "",
                        "platform": c,
                        "marketplace": "US",
                    }
                )
            )
    facts = pd.concat(frames, ignore_index=True)
    for field in SEGMENT_FIELDS:
        if field not in facts:
            facts[field] = ""
    fx = pd.DataFrame(
        {
            "month": [
                p.start
                for p in periods_between(
                    parse_period("2023-07"), parse_period("2026-06")
                )
            ],
            "currency": "USD",
            "quote": "CNY",
            "rate": 7.0,
        }
    )
    fx["month"] = pd.to_datetime(fx["month"])
    return facts, fx


def run_once(tree: MetricTree, facts: pd.DataFrame, fx: pd.DataFrame) -> int:
    library = load_library()
    months = periods_between(parse_period("2023-07"), parse_period("2026-06"))
    cube = prepare_cube(
        tree,
        library,
        facts,
        months,
        across="platform",
        fx_rates=fx,
        reporting_currency="CNY",
        validate=False,
    )
    targets = TargetBook(Target("margin", m.label, 0.2) for m in months)
    evaluated = 0
    for month in months[1:]:
        result = evaluate_tree(
            tree,
            library,
            cube,
            month,
            targets=targets,
            across="platform",
            as_of=month.end,
        )
        evaluated += len(result.nodes) + len(result.attributions)
    return evaluated


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--monthly", action="store_true", help="monthly facts")
    args = parser.parse_args()
    tree = build_benchmark_tree()
    facts, fx = build_facts(args.monthly)
    run_once(tree, facts, fx)  # warm caches (library, imports)
    times = []
    cpu = []
    for _ in range(args.runs):
        start = time.perf_counter()
        started_cpu = time.process_time()
        evaluated = run_once(tree, facts, fx)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - started_cpu)
    tracemalloc.start()
    run_once(tree, facts, fx)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"tree nodes: {len(tree.nodes)}, channels: {len(CHANNELS)}, months: {MONTHS}, "
        f"facts rows: {len(facts):,} ({'monthly' if args.monthly else 'daily'})"
    )
    print(f"node results + attributions per run: {evaluated:,}")
    print(
        f"median time over {args.runs} runs: {statistics.median(times):.3f} s "
        f"(min {min(times):.3f} s, max {max(times):.3f} s); "
        f"CPU time median {statistics.median(cpu):.3f} s"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory traced in one run: {peak / 2**20:.1f} MiB; "
        f"process peak RSS (incl. interpreter, pandas and the test data): {rss:.0f} MiB"
    )


if __name__ == "__main__":
    main()
