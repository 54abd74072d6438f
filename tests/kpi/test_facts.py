from __future__ import annotations

import math

import pandas as pd
import pytest

from kpi.facts import (
    FACT_COLUMNS,
    FX_COLUMNS,
    FactsError,
    empty_facts,
    empty_fx_rates,
    fx_rates_from_wide,
    validate_facts,
    validate_fx_rates,
)


def one_fact(**overrides: object) -> pd.DataFrame:
    row: dict[str, object] = {
        "start": "2026-05-01",
        "end": "2026-05-31",
        "platform": "amazon",
        "marketplace": "US",
        "category": None,
        "sku": "SB-001",
        "campaign": "",
        "team": "",
        "owner": "",
        "metric": "ordered_product_sales",
        "value": 12.5,
        "currency": "usd",
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_empty_frames_follow_the_contract() -> None:
    assert tuple(empty_facts().columns) == FACT_COLUMNS
    assert tuple(empty_fx_rates().columns) == FX_COLUMNS
    assert validate_facts(empty_facts()).empty


def test_validate_normalises_text_and_dates() -> None:
    frame = validate_facts(one_fact())
    assert frame.loc[0, "category"] == ""
    assert frame.loc[0, "currency"] == "USD"
    assert frame.loc[0, "end"] == pd.Timestamp("2026-05-31")
    assert frame["value"].dtype == "float64"


@pytest.mark.parametrize(
    ("overrides", "column", "reason"),
    [
        ({"value": math.nan}, "value", "not a finite number"),
        ({"value": math.inf}, "value", "not a finite number"),
        ({"value": "12,5x"}, "value", "not a finite number"),
        ({"start": "yesterday"}, "start", "not a date"),
        ({"end": "2026-04-30"}, "end", "end is before start"),
        ({"start": "2026-05-01 13:00"}, "start", "has a time of day; use days"),
        ({"metric": "Sales"}, "metric", "not a metric key"),
        ({"currency": "US$"}, "currency", "not an ISO 4217 code"),
    ],
)
def test_bad_rows_are_named(
    overrides: dict[str, object], column: str, reason: str
) -> None:
    with pytest.raises(FactsError) as err:
        validate_facts(one_fact(**overrides))
    assert [(p.row, p.column, p.reason) for p in err.value.problems] == [
        (0, column, reason)
    ]


def test_missing_column_is_reported() -> None:
    with pytest.raises(FactsError, match="'currency': column is missing"):
        validate_facts(one_fact().drop(columns=["currency"]))


def test_fx_rates_from_the_sample_layout() -> None:
    wide = pd.DataFrame(
        {
            "month": ["2026-05", "2026-05"],
            "currency": ["USD", "GBP"],
            "rate_to_CNY": [6.9433, 9.3312],
        }
    )
    rates = fx_rates_from_wide(wide)
    assert list(rates["quote"]) == ["CNY", "CNY"]
    assert rates.loc[0, "month"] == pd.Timestamp("2026-05-01")


@pytest.mark.parametrize(
    ("month", "rate", "column"),
    [
        ("2026-05-02", 6.9, "month"),
        ("2026-05", 0.0, "rate"),
        ("2026-05", -1.0, "rate"),
        ("2026-05", math.nan, "rate"),
    ],
)
def test_bad_fx_rates(month: str, rate: float, column: str) -> None:
    frame = pd.DataFrame(
        {"month": [month], "currency": ["USD"], "quote": ["CNY"], "rate": [rate]}
    )
    with pytest.raises(FactsError) as err:
        validate_fx_rates(frame)
    assert err.value.problems[0].column == column


def test_duplicate_fx_rate_is_rejected() -> None:
    frame = pd.DataFrame(
        {
            "month": ["2026-05", "2026-05"],
            "currency": ["USD", "USD"],
            "quote": ["CNY", "CNY"],
            "rate": [6.9, 7.0],
        }
    )
    with pytest.raises(FactsError, match="duplicate"):
        validate_fx_rates(frame)
