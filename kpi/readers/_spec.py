"""What a format is: its labels, its columns, and the function that reads it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from kpi.readers._context import Columns, ReadContext
from kpi.readers._model import FormatInfo, Period

__all__ = ["FormatSpec", "ReaderOutput"]


@dataclass(frozen=True, slots=True, eq=False)
class ReaderOutput:
    facts: pd.DataFrame
    lines: pd.DataFrame | None = None
    period: Period | None = None
    fx_rates: pd.DataFrame | None = None
    catalog: pd.DataFrame | None = None


@dataclass(frozen=True, slots=True)
class FormatSpec:
    """A registered format. ``description_row``: row 2 explains the columns (TikTok)."""

    info: FormatInfo
    columns: Columns
    read: Callable[[ReadContext], ReaderOutput]
    description_row: str = ""
    max_header_row: int = 10
