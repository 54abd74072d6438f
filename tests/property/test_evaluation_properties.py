"""Evaluation never crashes and never shows a non-finite number: any facts give
values, or ``None`` with a reason."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi import evaluate_tree, load_library, load_template, parse_period, prepare_cube
from kpi.facts import FACT_COLUMNS

LIBRARY = load_library()
TEMPLATE = load_template("amazon_store")
METRICS = sorted(
    {n.metric for n in TEMPLATE.tree.nodes.values() if n.metric}
    | LIBRARY.base_inputs("contribution_profit")
    | LIBRARY.base_inputs("unit_session_percentage")
    | LIBRARY.base_inputs("acos")
)
BASE = [m for m in METRICS if LIBRARY[m].is_base]

fact_rows = st.lists(
    st.fixed_dictionaries(
        {
            "day": st.integers(1, 61),
            "span": st.sampled_from([0, 0, 0, 6, 30]),
            "metric": st.sampled_from(BASE),
            "value": st.sampled_from([0.0, 1.0, 2.5, 1e6])
            | st.floats(0, 1e7, allow_nan=False),
            "platform": st.sampled_from(["amazon", "shopify", ""]),
            "currency": st.sampled_from(["USD", "CNY", "EUR"]),
        }
    ),
    max_size=60,
)


def frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    out = []
    for r in rows:
        start = pd.Timestamp("2026-04-01") + pd.Timedelta(days=int(r["day"]) - 1)  # type: ignore[call-overload]
        end = start + pd.Timedelta(days=int(r["span"]))  # type: ignore[call-overload]
        money = LIBRARY[str(r["metric"])].unit.value == "money"
        out.append(
            {
                "start": start,
                "end": end,
                "platform": r["platform"],
                "marketplace": "",
                "category": "",
                "sku": "",
                "campaign": "",
                "team": "",
                "owner": "",
                "metric": r["metric"],
                "value": r["value"],
                "currency": r["currency"] if money else "",
            }
        )
    return pd.DataFrame(out, columns=list(FACT_COLUMNS))


FX = pd.DataFrame(
    {
        "month": ["2026-04", "2026-05"],
        "currency": ["USD", "USD"],
        "quote": ["CNY", "CNY"],
        "rate": [7.0, 6.9],
    }
)
FX["month"] = pd.to_datetime(FX["month"])


@settings(max_examples=120, deadline=None)
@given(
    fact_rows, st.sampled_from(["prior", "target"]), st.sampled_from([None, "platform"])
)
def test_any_facts_evaluate_to_numbers_or_reasons(
    rows: list[dict[str, object]], versus: str, across: str | None
) -> None:
    may = parse_period("2026-05")
    facts = frame(rows)
    cube = prepare_cube(
        TEMPLATE.tree,
        LIBRARY,
        facts,
        [may, may.previous()],
        across=across,
        fx_rates=FX,
        reporting_currency="CNY",
    )
    result = evaluate_tree(
        TEMPLATE.tree,
        LIBRARY,
        cube,
        may,
        attribute=versus,  # type: ignore[arg-type]
        across=across,
    )
    for node in result.nodes.values():
        for value in (
            node.actual,
            node.target,
            node.gap,
            node.attainment,
            node.pace,
            node.forecast,
            node.forecast_attainment,
            node.mismatch,
        ):
            assert value is None or math.isfinite(value)
        if node.actual is None:
            assert node.reasons, node.key
    for attribution in result.attributions.values():
        if attribution.defined:
            assert attribution.total is not None
            total = math.fsum(e.value for e in attribution.effects)
            scale = max(1.0, math.fsum(abs(e.value) for e in attribution.effects))
            assert abs(total - attribution.total) <= 1e-9 * scale
        else:
            assert attribution.reason
