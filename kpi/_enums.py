"""Closed sets of the engine: units, directions, aggregations, levels, statuses."""

from __future__ import annotations

from enum import StrEnum


class Unit(StrEnum):
    """What a metric's number counts. Percent values are stored as fractions."""

    MONEY = "money"
    COUNT = "count"
    RATIO = "ratio"
    PERCENT = "percent"
    DAYS = "days"
    HOURS = "hours"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    BAND = "band"


class Aggregation(StrEnum):
    """How a metric rolls up over time and segments.

    ``SUM`` adds facts, ``LAST`` takes each segment's latest value in the period
    (stock levels, headcount) and adds those, ``FORMULA`` recomputes from the
    aggregated inputs.
    """

    SUM = "sum"
    LAST = "last"
    FORMULA = "formula"


class Level(StrEnum):
    COMPANY = "company"
    DEPARTMENT = "department"
    ROLE = "role"


class Decomposition(StrEnum):
    NONE = "none"
    ADDITIVE = "additive"
    MULTIPLICATIVE = "multiplicative"
    FORMULA = "formula"


class Status(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_TARGET = "no_target"
    NO_DATA = "no_data"


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
