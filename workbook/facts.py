"""Reads of a workbook's numbers as the plain frames `kpi` computes on.

"Load first, then compute": one query each, no querysets handed to kpi/.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from kpi import facts as kpi_facts
from workbook.models import DatasetStatus, Fact, FxRate, Workbook

_COLUMNS = ["start", "end", *kpi_facts.SEGMENT_FIELDS, "metric", "value", "currency"]


def facts_frame(
    workbook: Workbook, *, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """The workbook's facts (from imported datasets) in the kpi facts format."""
    rows = Fact.objects.filter(
        workbook=workbook, dataset__status=DatasetStatus.IMPORTED
    )
    if start is not None:
        rows = rows.filter(end__gte=start)
    if end is not None:
        rows = rows.filter(start__lte=end)
    records = list(rows.values_list(*_COLUMNS))
    if not records:
        return kpi_facts.empty_facts()
    frame = pd.DataFrame.from_records(records, columns=_COLUMNS)
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    frame["value"] = frame["value"].astype(float)
    return frame


def fx_frame(workbook: Workbook) -> pd.DataFrame:
    """The workbook's monthly FX rates in the kpi FX format."""
    records = list(
        FxRate.objects.filter(workbook=workbook).values_list(
            "month", "currency", "quote", "rate"
        )
    )
    frame = pd.DataFrame.from_records(
        records, columns=["month", "currency", "quote", "rate"]
    )
    frame["month"] = pd.to_datetime(frame["month"])
    frame["rate"] = frame["rate"].astype(float)
    return frame
