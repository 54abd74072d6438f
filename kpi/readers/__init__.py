"""Readers: real export files in, long typed facts out (plain Python and pandas).

::

    from kpi.readers import detect, read
    detection = detect("amazon_us_business_report_child_2026-05.csv")
    result = read("amazon_us_business_report_child_2026-05.csv", period="2026-05")
    result.facts, result.errors

``read`` never raises for bad input: problems come back as :class:`RowError` values
naming the row, the column and the reason in Chinese and English. See
``kpi/readers/README.md`` for the formats and the calculation rules.
"""

from __future__ import annotations

from kpi.readers._api import detect, escape_cell, formats, preview, read
from kpi.readers._generic import guess_mapping
from kpi.readers._model import (
    DEFAULT_MAX_BYTES,
    ColumnMapping,
    Detection,
    FormatInfo,
    FormatKind,
    MetricColumn,
    Mode,
    Period,
    Preview,
    ReadOptions,
    ReadResult,
    ReasonCode,
    RowError,
    Severity,
)
from kpi.readers._period import guess_period

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ColumnMapping",
    "Detection",
    "FormatInfo",
    "FormatKind",
    "MetricColumn",
    "Mode",
    "Period",
    "Preview",
    "ReadOptions",
    "ReadResult",
    "ReasonCode",
    "RowError",
    "Severity",
    "detect",
    "escape_cell",
    "formats",
    "guess_mapping",
    "guess_period",
    "preview",
    "read",
]
