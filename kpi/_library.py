"""The metric library: every metric's definition, unit and calculation rule."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from kpi._enums import Aggregation, Direction, Level, Unit
from kpi._errors import FormulaError
from kpi._formula import (
    BUILTIN_NAMES,
    CheckedFormula,
    check_formula,
    describe_dim,
    formula_order,
    names_in,
    unit_accepts,
)
from kpi._parser import Expression, parse_definition, parse_formula
from kpi._tokenizer import TokenKind, tokenize


class LibraryError(ValueError):
    """A metric definition that is incomplete or inconsistent."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        super().__init__(f"metric {key!r}: {message}" if key else message)


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    name_zh: str
    name_en: str
    unit: Unit
    direction: Direction
    aggregation: Aggregation
    level: Level
    owner_role: str
    definition_zh: str
    definition_en: str
    source: tuple[str, ...] = ()
    formula: str | None = None
    band: tuple[float, float] | None = None

    @property
    def is_base(self) -> bool:
        return self.aggregation is not Aggregation.FORMULA

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "unit": self.unit.value,
            "direction": self.direction.value,
            "aggregation": self.aggregation.value,
            "formula": self.formula,
            "band": list(self.band) if self.band else None,
            "level": self.level.value,
            "owner_role": self.owner_role,
            "definition_zh": self.definition_zh,
            "definition_en": self.definition_en,
            "source": list(self.source),
        }


@dataclass(frozen=True)
class Library(Mapping[str, Metric]):
    """Metrics by key, with their formulas parsed and ordered for evaluation."""

    metrics: Mapping[str, Metric]
    expressions: Mapping[str, Expression] = field(repr=False)
    order: tuple[str, ...] = field(repr=False)

    def __getitem__(self, key: str) -> Metric:
        return self.metrics[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.metrics)

    def __len__(self) -> int:
        return len(self.metrics)

    def units(self) -> dict[str, Unit]:
        return {k: m.unit for k, m in self.metrics.items()}

    def base_inputs(self, key: str) -> set[str]:
        """The base metrics (summed or last) that ``key`` is computed from."""
        seen: set[str] = set()
        stack = [key]
        out: set[str] = set()
        while stack:
            name = stack.pop()
            if name in seen or name in BUILTIN_NAMES:
                continue
            seen.add(name)
            if name in self.expressions:
                stack.extend(names_in(self.expressions[name]))
            else:
                out.add(name)
        return out

    def check(self, text: str) -> CheckedFormula:
        """Check a formula typed against this library (for live validation)."""
        return check_formula(text, self.units())

    def validate(
        self,
        text: str,
        *,
        unit: Unit | None = None,
        names: Mapping[str, Unit] | None = None,
    ) -> FormulaError | None:
        """The first problem of a formula, or ``None`` — for the UI as one types.

        ``text`` may be an expression (``ad_spend / ad_sales``) or a definition
        (``acos = ad_spend / ad_sales``); positions refer to ``text``. ``names``
        replaces the library's names (a formula node's children); ``unit`` is the
        unit the result must have.
        """
        return validate_formula(
            text, names if names is not None else self.units(), unit
        )

    def extended(self, extra: Sequence[Metric]) -> Library:
        """This library plus a workbook's own metrics (which may not replace ours)."""
        merged = dict(self.metrics)
        for metric in extra:
            if metric.key in merged:
                raise LibraryError(metric.key, "already defined in the library")
            merged[metric.key] = metric
        return build_library(list(merged.values()))


_REQUIRED = (
    "key",
    "name_zh",
    "name_en",
    "unit",
    "direction",
    "aggregation",
    "level",
    "owner_role",
    "definition_zh",
    "definition_en",
)


def _enum(kind: type[Any], raw: Any, key: str, field_name: str) -> Any:
    try:
        return kind(raw)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise LibraryError(
            key, f"{field_name} {raw!r} is not one of {allowed}"
        ) from None


def validate_formula(
    text: str, units: Mapping[str, Unit], unit: Unit | None = None
) -> FormulaError | None:
    """See :meth:`Library.validate`."""
    try:
        tokens = tokenize(text)
        if (
            len(tokens) > 2
            and tokens[0].kind is TokenKind.NAME
            and tokens[1].kind is TokenKind.EQUALS
        ):
            expression = parse_definition(text).expression
        else:
            expression = parse_formula(text)
        checked = check_formula(text, units, expression=expression)
    except FormulaError as err:
        return err
    if unit is not None and not unit_accepts(unit, checked.dimension):
        return FormulaError(
            f"the formula gives {describe_dim(checked.dimension)}, not {unit.value}",
            text,
            expression.start,
            expression.end,
        )
    return None


def metric_from_dict(raw: Mapping[str, Any]) -> Metric:
    key = str(raw.get("key", ""))
    for name in _REQUIRED:
        if not str(raw.get(name, "") or "").strip():
            raise LibraryError(key, f"{name} is missing")
    aggregation = _enum(Aggregation, raw["aggregation"], key, "aggregation")
    formula = raw.get("formula")
    if aggregation is Aggregation.FORMULA and not formula:
        raise LibraryError(key, "aggregation is formula but there is no formula")
    if aggregation is not Aggregation.FORMULA and formula:
        raise LibraryError(key, "a base metric (sum/last) cannot have a formula")
    direction = _enum(Direction, raw["direction"], key, "direction")
    band_raw = raw.get("band")
    band: tuple[float, float] | None = None
    if band_raw is not None:
        if (
            not isinstance(band_raw, list | tuple)
            or len(band_raw) != 2
            or not all(isinstance(v, int | float) for v in band_raw)
            or float(band_raw[0]) > float(band_raw[1])
        ):
            raise LibraryError(key, "band must be [low, high] with low <= high")
        band = (float(band_raw[0]), float(band_raw[1]))
    source = raw.get("source") or ()
    return Metric(
        key=key,
        name_zh=str(raw["name_zh"]),
        name_en=str(raw["name_en"]),
        unit=_enum(Unit, raw["unit"], key, "unit"),
        direction=direction,
        aggregation=aggregation,
        level=_enum(Level, raw["level"], key, "level"),
        owner_role=str(raw["owner_role"]),
        definition_zh=str(raw["definition_zh"]),
        definition_en=str(raw["definition_en"]),
        source=tuple(str(s) for s in source),
        formula=str(formula) if formula else None,
        band=band,
    )


def build_library(metrics: Sequence[Metric]) -> Library:
    """Check the metrics together: keys unique, formulas valid, no cycles, units."""
    by_key: dict[str, Metric] = {}
    for metric in metrics:
        if not metric.key.isidentifier() or metric.key != metric.key.lower():
            raise LibraryError(metric.key, "key must be lower_snake_case")
        if metric.key in by_key:
            raise LibraryError(metric.key, "defined twice")
        if metric.key in BUILTIN_NAMES:
            raise LibraryError(metric.key, "is a reserved name")
        by_key[metric.key] = metric
    units = {k: m.unit for k, m in by_key.items()}
    expressions: dict[str, Expression] = {}
    texts: dict[str, str] = {}
    for metric in by_key.values():
        if metric.formula is None:
            continue
        try:
            checked = check_formula(
                metric.formula, units, expression=parse_formula(metric.formula)
            )
        except FormulaError as err:
            raise LibraryError(metric.key, str(err)) from err
        if not unit_accepts(metric.unit, checked.dimension):
            raise LibraryError(
                metric.key,
                f"unit is {metric.unit.value} but the formula gives "
                f"{describe_dim(checked.dimension)}",
            )
        expressions[metric.key] = checked.expression
        texts[metric.key] = metric.formula
    try:
        order = formula_order(expressions, texts)
    except FormulaError as err:
        raise LibraryError("", str(err)) from err
    return Library(by_key, expressions, tuple(order))


def library_from_data(raw: Any) -> Library:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("metrics"), list):
        raise LibraryError("", "expected a mapping with a 'metrics' list")
    metrics = []
    for item in raw["metrics"]:
        if not isinstance(item, Mapping):
            raise LibraryError("", "each metric must be a mapping")
        metrics.append(metric_from_dict(item))
    return build_library(metrics)


_DEFAULT: Library | None = None


def load_library() -> Library:
    """The library shipped with the package (``kpi/data/metrics.yaml``), cached."""
    global _DEFAULT
    if _DEFAULT is None:
        text = resources.files("kpi").joinpath("data/metrics.yaml").read_text("utf-8")
        _DEFAULT = library_from_data(yaml.safe_load(text))
    return _DEFAULT
