"""Values the readers hand back: detections, results, row errors, mappings, periods."""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import pandas as pd

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
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class Mode(StrEnum):
    """What to do with bad rows: stop with the report, or keep the good rows."""

    STRICT = "strict"
    SKIP_BAD_ROWS = "skip_bad_rows"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class FormatKind(StrEnum):
    ORDERS = "orders"
    TRAFFIC = "traffic"
    ADS = "ads"
    INVENTORY = "inventory"
    FX_RATES = "fx_rates"
    CATALOG = "catalog"
    GENERIC = "generic"


class ReasonCode(StrEnum):
    """Closed set of reasons a file, row or cell is refused (or flagged)."""

    EMPTY_FILE = "empty_file"
    HEADER_ONLY = "header_only"
    TOO_LARGE = "too_large"
    NOT_FOUND = "not_found"
    UNKNOWN_FORMAT = "unknown_format"
    UNKNOWN_FORMAT_KEY = "unknown_format_key"
    UNDECODABLE = "undecodable"
    BINARY_FILE = "binary_file"
    SINGLE_COLUMN = "single_column"
    UNPARSABLE_TEXT = "unparsable_text"
    CORRUPT_XLSX = "corrupt_xlsx"
    ENCRYPTED_XLSX = "encrypted_xlsx"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    PERIOD_REQUIRED = "period_required"
    BAD_PERIOD = "bad_period"
    BAD_MAPPING = "bad_mapping"
    TRUNCATED_ROW = "truncated_row"
    EXTRA_FIELDS = "extra_fields"
    BAD_NUMBER = "bad_number"
    BAD_DATE = "bad_date"
    FUTURE_DATE = "future_date"
    MISSING_VALUE = "missing_value"
    UNKNOWN_MARKETPLACE = "unknown_marketplace"
    ORDER_HAS_BAD_ROW = "order_has_bad_row"
    PRICE_NOT_YET_KNOWN = "price_not_yet_known"
    DUPLICATE_RATE = "duplicate_rate"
    BAD_CURRENCY = "bad_currency"
    FORMULA_TEXT = "formula_text"
    DUPLICATE_HEADER_IGNORED = "duplicate_header_ignored"
    TOO_MANY_ERRORS = "too_many_errors"
    INTERNAL_ERROR = "internal_error"


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem, located as the user sees the file.

    ``row`` is the row number a spreadsheet shows (1 = the first line of the file,
    title lines and the header included); ``None`` for a problem with the whole file.
    ``column`` is the header as written in the file ("" when not about a column).
    """

    row: int | None
    column: str
    reason_code: ReasonCode
    message_zh: str
    message_en: str
    value: str = ""
    severity: Severity = Severity.ERROR

    def message(self, language: str = "zh") -> str:
        text = self.message_en if language.startswith("en") else self.message_zh
        if language.startswith("en"):
            where = "file" if self.row is None else f"row {self.row}"
        else:
            where = "文件" if self.row is None else f"第 {self.row} 行"
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column}: {text}"


@dataclass(frozen=True, slots=True)
class Period:
    """An inclusive day range, e.g. the range chosen when a report was downloaded."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start}..{self.end}")

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        last = calendar.monthrange(year, month)[1]
        return cls(date(year, month, 1), date(year, month, last))

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026-05``, ``2026-Q2``, ``2026``, ``2026-05-01..2026-05-31``, a day."""
        value = text.strip()
        if ".." in value:
            left, right = value.split("..", 1)
            return cls(
                date.fromisoformat(left.strip()), date.fromisoformat(right.strip())
            )
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", value):
            return cls.month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", value):
            year, quarter = int(m[1]), int(m[2])
            first = cls.month(year, quarter * 3 - 2)
            return cls(first.start, cls.month(year, quarter * 3).end)
        if m := re.fullmatch(r"(\d{4})", value):
            return cls(date(int(m[1]), 1, 1), date(int(m[1]), 12, 31))
        day = date.fromisoformat(value)
        return cls(day, day)

    def __str__(self) -> str:
        if self.start == self.end:
            return self.start.isoformat()
        if (
            self.start.day == 1
            and self.end == Period.month(self.end.year, self.end.month).end
        ) and (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class FormatInfo:
    """A registered format, for pickers and labels."""

    key: str
    label_zh: str
    label_en: str
    platform: str
    kind: FormatKind
    needs_period: bool
    description_en: str = ""


@dataclass(frozen=True, slots=True)
class Detection:
    """What a file looks like: the best format guess and how it was decided."""

    format: str | None
    confidence: float
    reason: str
    reason_zh: str
    encoding: str
    delimiter: str
    header_row: int | None  # spreadsheet row number of the header (1 = first line)
    sheet: str | None = None
    period_hint: Period | None = None
    marketplace_hint: str = ""
    candidates: tuple[tuple[str, float], ...] = ()
    errors: tuple[RowError, ...] = ()


@dataclass(frozen=True, slots=True)
class MetricColumn:
    """A column that holds a metric; money takes its currency from a code or a column."""

    column: str
    metric: str
    currency: str = ""
    currency_column: str = ""
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """How a generic CSV/XLSX becomes facts; saved per organisation as JSON.

    ``segments`` maps a fact segment (``sku``, ``platform``...) to a column;
    ``constants`` gives segment values the file does not hold. Without ``date_column``
    the read needs a period.
    """

    metrics: tuple[MetricColumn, ...]
    date_column: str = ""
    end_date_column: str = ""
    date_format: str = ""
    segments: Mapping[str, str] = field(default_factory=dict)
    constants: Mapping[str, str] = field(default_factory=dict)
    header_row: int = 1
    sheet: str = ""
    decimal: str = "."

    def to_dict(self) -> dict[str, object]:
        return {
            "version": 1,
            "metrics": [
                {
                    "column": m.column,
                    "metric": m.metric,
                    "currency": m.currency,
                    "currency_column": m.currency_column,
                    "scale": m.scale,
                }
                for m in self.metrics
            ],
            "date_column": self.date_column,
            "end_date_column": self.end_date_column,
            "date_format": self.date_format,
            "segments": dict(self.segments),
            "constants": dict(self.constants),
            "header_row": self.header_row,
            "sheet": self.sheet,
            "decimal": self.decimal,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, object]) -> ColumnMapping:
        """Build from saved JSON; raises ``ValueError`` naming the bad key."""
        metrics_raw = raw.get("metrics", [])
        if not isinstance(metrics_raw, list):
            raise ValueError("metrics must be a list")
        metrics: list[MetricColumn] = []
        for item in metrics_raw:
            if not isinstance(item, Mapping):
                raise ValueError("each metric must be an object")
            column, metric = item.get("column"), item.get("metric")
            if not isinstance(column, str) or not isinstance(metric, str):
                raise ValueError("metric needs 'column' and 'metric' strings")
            scale = item.get("scale", 1.0)
            metrics.append(
                MetricColumn(
                    column=column,
                    metric=metric,
                    currency=str(item.get("currency", "") or ""),
                    currency_column=str(item.get("currency_column", "") or ""),
                    scale=float(scale) if isinstance(scale, int | float) else 1.0,
                )
            )
        segments = raw.get("segments", {})
        constants = raw.get("constants", {})
        if not isinstance(segments, Mapping) or not isinstance(constants, Mapping):
            raise ValueError("segments and constants must be objects")
        header_row = raw.get("header_row", 1)
        return cls(
            metrics=tuple(metrics),
            date_column=str(raw.get("date_column", "") or ""),
            end_date_column=str(raw.get("end_date_column", "") or ""),
            date_format=str(raw.get("date_format", "") or ""),
            segments={str(k): str(v) for k, v in segments.items()},
            constants={str(k): str(v) for k, v in constants.items()},
            header_row=int(header_row) if isinstance(header_row, int) else 1,
            sheet=str(raw.get("sheet", "") or ""),
            decimal=str(raw.get("decimal", ".") or "."),
        )


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Knobs the caller may set; the defaults suit an upload page.

    ``today`` decides what a future date is (the default is the real today).
    ``marketplace``/``currency`` override what the file implies.
    ``keep_lines`` keeps the typed per-row table in the result, for audits and tests.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    today: date | None = None
    marketplace: str = ""
    currency: str = ""
    keep_lines: bool = False
    max_errors: int = 1000


@dataclass(frozen=True, slots=True)
class Preview:
    """The first rows as text, for the mapping page."""

    detection: Detection
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sheets: tuple[str, ...] = ()
    errors: tuple[RowError, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class ReadResult:
    """Facts from one file plus everything the user must be told about it.

    ``ok`` is false when the file was refused, or in strict mode when any row was bad
    (then ``facts`` is empty). ``rejected_rows`` lists the rows left out.
    """

    facts: pd.DataFrame
    format: str | None
    encoding: str
    period: Period | None
    row_count: int
    errors: list[RowError]
    warnings: list[RowError]
    mode: Mode
    detection: Detection | None = None
    rejected_rows: tuple[int, ...] = ()
    error_count: int = 0
    fx_rates: pd.DataFrame | None = None
    catalog: pd.DataFrame | None = None
    lines: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()
    fatal: bool = False

    @property
    def ok(self) -> bool:
        """True when the facts may be imported as they are."""
        if self.fatal:
            return False
        return not (self.mode is Mode.STRICT and self.errors)
