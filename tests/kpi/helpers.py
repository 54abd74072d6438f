"""Small builders for facts frames in tests."""

from __future__ import annotations

from typing import Any

import pandas as pd

from kpi.facts import FACT_COLUMNS, SEGMENT_FIELDS


def fact(
    day: str,
    metric: str,
    value: float,
    currency: str = "",
    end: str | None = None,
    **segment: str,
) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(SEGMENT_FIELDS, "")
    row.update(segment)
    row.update(start=day, end=end or day, metric=metric, value=value, currency=currency)
    return row


def facts(*rows: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(FACT_COLUMNS))
