"""The portable workbook file (JSON, ``schema_version`` 1).

The file is checked twice: against ``kpi/schema/workbook.schema.json`` (shape),
then by the engine (formulas, tree structure, targets, FX rates, facts). Either
failure raises :class:`WorkbookError` with a one-line reason naming the place.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pandas as pd

from kpi._aggregate import segment_of
from kpi._calendar import Period, PeriodError, parse_period
from kpi._enums import Decomposition, Direction, Grain, Level, Unit
from kpi._errors import WorkbookError
from kpi._evaluate import (
    StatusThresholds,
    TreeEvaluation,
    Versus,
    evaluate_tree,
    last_year_shares,
    prepare_cube,
)
from kpi._health import Finding, HealthSettings, check_health
from kpi._library import Library, LibraryError, Metric, load_library, metric_from_dict
from kpi._targets import Target, TargetBook, TargetError
from kpi._tree import ChildLink, MetricNode, MetricTree, Owner, TreeError, build_tree
from kpi.facts import (
    FACT_COLUMNS,
    SEGMENT_FIELDS,
    FactsError,
    empty_facts,
    empty_fx_rates,
    validate_facts,
    validate_fx_rates,
)

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Settings:
    reporting_currency: str = "CNY"
    fiscal_year_start: int = 1
    period_grain: Grain = Grain.MONTH
    status_thresholds: StatusThresholds = field(default_factory=StatusThresholds)
    stale_days: int = 3
    outlier_k: float = 3.5
    max_core_kpis: int = 5

    @property
    def health(self) -> HealthSettings:
        return HealthSettings(
            max_core_kpis=self.max_core_kpis,
            stale_days=self.stale_days,
            outlier_k=self.outlier_k,
        )


@dataclass(frozen=True)
class Workbook:
    name: str
    tree: MetricTree
    library: Library
    settings: Settings = field(default_factory=Settings)
    targets: TargetBook = field(default_factory=TargetBook)
    fx_rates: pd.DataFrame = field(default_factory=empty_fx_rates)
    facts: pd.DataFrame = field(default_factory=empty_facts)
    metrics: tuple[Metric, ...] = ()
    description: str = ""


def schema() -> dict[str, Any]:
    """The JSON Schema of the workbook file."""
    text = (
        resources.files("kpi")
        .joinpath("schema/workbook.schema.json")
        .read_text("utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _reject_constant(name: str) -> float:
    raise WorkbookError(f"{name} is not a number JSON allows")


def _where(path: Any) -> str:
    parts = [str(p) for p in path]
    return "/" + "/".join(parts) if parts else "/"


def validate_workbook_data(data: Any) -> None:
    """Raise :class:`WorkbookError` if ``data`` does not match the schema."""
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise WorkbookError(f"{best.message}{more}", _where(best.absolute_path))


def load_workbook(path: str | Path, library: Library | None = None) -> Workbook:
    """Read and check a workbook file."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except OSError as err:
        raise WorkbookError(
            f"cannot read the file: {err.strerror}", str(path)
        ) from None
    except UnicodeDecodeError:
        raise WorkbookError("the file is not UTF-8 text", str(path)) from None
    return loads_workbook(text, library)


def loads_workbook(text: str, library: Library | None = None) -> Workbook:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as err:
        raise WorkbookError(
            f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}"
        ) from None
    return workbook_from_data(data, library)


def workbook_from_data(data: Any, library: Library | None = None) -> Workbook:
    validate_workbook_data(data)
    base = library or load_library()
    try:
        metrics = tuple(metric_from_dict(m) for m in data.get("metrics", []))
        lib = base.extended(metrics) if metrics else base
    except LibraryError as err:
        raise WorkbookError(str(err), "/metrics") from None
    settings = _settings(data.get("settings", {}))
    tree_data = data["tree"]
    try:
        nodes = [_node(n) for n in tree_data["nodes"]]
        tree = build_tree(tree_data["root"], nodes, lib)
    except (TreeError, ValueError) as err:
        raise WorkbookError(str(err), "/tree") from None
    targets = []
    for i, raw in enumerate(data.get("targets", [])):
        try:
            if raw["node"] not in tree.nodes:
                raise TargetError(f"unknown node {raw['node']!r}")
            parse_period(raw["period"], settings.fiscal_year_start)
            targets.append(
                Target(
                    raw["node"],
                    raw["period"],
                    raw.get("value"),
                    segment_of(raw.get("segment")),
                    raw.get("low"),
                    raw.get("high"),
                )
            )
        except (TargetError, PeriodError, ValueError) as err:
            raise WorkbookError(str(err), f"/targets/{i}") from None
    try:
        book = TargetBook(targets, settings.fiscal_year_start)
    except TargetError as err:
        raise WorkbookError(str(err), "/targets") from None
    fx = empty_fx_rates()
    if data.get("fx_rates"):
        try:
            fx = validate_fx_rates(pd.DataFrame(data["fx_rates"]))
        except FactsError as err:
            raise WorkbookError(_first_problem(err), "/fx_rates") from None
    facts = empty_facts()
    if data.get("facts"):
        rows = [
            {
                **dict.fromkeys(SEGMENT_FIELDS, ""),
                "currency": "",
                **raw,
                "end": raw.get("end", raw["start"]),
            }
            for raw in data["facts"]
        ]
        try:
            facts = validate_facts(pd.DataFrame(rows, columns=list(FACT_COLUMNS)))
        except FactsError as err:
            raise WorkbookError(_first_problem(err), "/facts") from None
    return Workbook(
        name=data.get("name", ""),
        tree=tree,
        library=lib,
        settings=settings,
        targets=book,
        fx_rates=fx,
        facts=facts,
        metrics=metrics,
        description=data.get("description", ""),
    )


def _first_problem(err: FactsError) -> str:
    first = err.problems[0]
    where = f"item {first.row}" if first.row >= 0 else "items"
    more = f" (and {len(err.problems) - 1} more)" if len(err.problems) > 1 else ""
    return f"{where}, {first.column}: {first.reason}{more}"


def _settings(raw: Mapping[str, Any]) -> Settings:
    thresholds = raw.get("status_thresholds", {})
    try:
        status = StatusThresholds(
            float(thresholds.get("on_track", 1.0)),
            float(thresholds.get("at_risk", 0.9)),
        )
    except ValueError as err:
        raise WorkbookError(str(err), "/settings/status_thresholds") from None
    return Settings(
        reporting_currency=raw.get("reporting_currency", "CNY"),
        fiscal_year_start=int(raw.get("fiscal_year_start", 1)),
        period_grain=Grain(raw.get("period_grain", "month")),
        status_thresholds=status,
        stale_days=int(raw.get("stale_days", 3)),
        outlier_k=float(raw.get("outlier_k", 3.5)),
        max_core_kpis=int(raw.get("max_core_kpis", 5)),
    )


def _band(raw: Any) -> tuple[float, float] | None:
    if raw is None:
        return None
    low, high = float(raw[0]), float(raw[1])
    if not (math.isfinite(low) and math.isfinite(high)) or low > high:
        raise ValueError("band must be [low, high] with low <= high")
    return (low, high)


def _node(raw: Mapping[str, Any]) -> MetricNode:
    children = tuple(
        ChildLink(c)
        if isinstance(c, str)
        else ChildLink(c["key"], int(c.get("sign", 1)))
        for c in raw.get("children", [])
    )
    decomposition = Decomposition(
        raw.get("decomposition", "additive" if children else "none")
    )
    return MetricNode(
        key=raw["key"],
        name_zh=raw.get("name_zh", ""),
        name_en=raw.get("name_en", ""),
        metric=raw.get("metric"),
        segment=segment_of(raw.get("segment")),
        decomposition=decomposition,
        children=children,
        formula=raw.get("formula"),
        level=Level(raw.get("level", "role")),
        departments=tuple(raw.get("departments", [])),
        owners=tuple(
            Owner(o.get("role", ""), o.get("person", ""), o.get("department", ""))
            for o in raw.get("owners", [])
        ),
        definition=raw.get("definition", ""),
        data_source=raw.get("data_source", ""),
        core=bool(raw.get("core", True)),
        direction=Direction(raw["direction"]) if "direction" in raw else None,
        unit=Unit(raw["unit"]) if "unit" in raw else None,
        band=_band(raw.get("band")),
    )


def workbook_to_data(
    workbook: Workbook, *, include_facts: bool = True
) -> dict[str, Any]:
    """The JSON-ready form; ``workbook_from_data`` reads it back unchanged."""
    s = workbook.settings
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "name": workbook.name,
        "description": workbook.description,
        "settings": {
            "reporting_currency": s.reporting_currency,
            "fiscal_year_start": s.fiscal_year_start,
            "period_grain": s.period_grain.value,
            "status_thresholds": {
                "on_track": s.status_thresholds.on_track,
                "at_risk": s.status_thresholds.at_risk,
            },
            "stale_days": s.stale_days,
            "outlier_k": s.outlier_k,
            "max_core_kpis": s.max_core_kpis,
        },
        "tree": {
            "root": workbook.tree.root,
            "nodes": [_node_data(n) for n in workbook.tree.nodes.values()],
        },
        "targets": [_target_data(t) for t in workbook.targets],
    }
    if workbook.metrics:
        data["metrics"] = [_metric_data(m) for m in workbook.metrics]
    if len(workbook.fx_rates):
        data["fx_rates"] = [
            {
                "month": pd.Timestamp(r["month"]).strftime("%Y-%m"),
                "currency": str(r["currency"]),
                "quote": str(r["quote"]),
                "rate": float(r["rate"]),
            }
            for r in _records(workbook.fx_rates)
        ]
    if include_facts and len(workbook.facts):
        facts = []
        for r in _records(workbook.facts):
            item: dict[str, Any] = {
                "start": pd.Timestamp(r["start"]).date().isoformat(),
                "end": pd.Timestamp(r["end"]).date().isoformat(),
            }
            item.update({f: r[f] for f in SEGMENT_FIELDS if r[f]})
            item.update({"metric": r["metric"], "value": float(r["value"])})
            if r["currency"]:
                item["currency"] = r["currency"]
            facts.append(item)
        data["facts"] = facts
    return data


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def _metric_data(m: Metric) -> dict[str, Any]:
    out = {k: v for k, v in m.as_dict().items() if v not in (None, [], "")}
    return out


def _target_data(t: Target) -> dict[str, Any]:
    out: dict[str, Any] = {"node": t.node, "period": t.period}
    if t.segment:
        out["segment"] = dict(t.segment)
    for name in ("value", "low", "high"):
        if getattr(t, name) is not None:
            out[name] = getattr(t, name)
    return out


def _node_data(n: MetricNode) -> dict[str, Any]:
    out: dict[str, Any] = {"key": n.key, "name_zh": n.name_zh, "name_en": n.name_en}
    if n.metric:
        out["metric"] = n.metric
    if n.segment:
        out["segment"] = dict(n.segment)
    out["decomposition"] = n.decomposition.value
    if n.children:
        out["children"] = [
            c.key if c.sign == 1 else {"key": c.key, "sign": c.sign} for c in n.children
        ]
    if n.formula:
        out["formula"] = n.formula
    out["level"] = n.level.value
    if n.departments:
        out["departments"] = list(n.departments)
    if n.owners:
        out["owners"] = [
            {
                k: v
                for k, v in (
                    ("role", o.role),
                    ("person", o.person),
                    ("department", o.department),
                )
                if v
            }
            for o in n.owners
        ]
    out["definition"] = n.definition
    out["data_source"] = n.data_source
    out["core"] = n.core
    if n.direction:
        out["direction"] = n.direction.value
    if n.unit:
        out["unit"] = n.unit.value
    if n.band:
        out["band"] = list(n.band)
    return out


def evaluate_workbook(
    workbook: Workbook,
    period: str | Period,
    *,
    segment: Mapping[str, str] | None = None,
    versus: Versus | None = "prior",
    across: str | None = None,
    as_of: date | None = None,
    facts: pd.DataFrame | None = None,
    seasonal_pace: bool = False,
) -> TreeEvaluation:
    """Evaluate the workbook's tree for one period, with its settings, targets,
    FX rates and facts (or ``facts`` given here). ``seasonal_pace`` measures pace
    against last year's shape of the period instead of linear time."""
    s = workbook.settings
    if isinstance(period, str):
        period = parse_period(period, s.fiscal_year_start)
    data = workbook.facts if facts is None else validate_facts(facts)
    cube = prepare_cube(
        workbook.tree,
        workbook.library,
        data,
        [period, period.previous()],
        segment=segment,
        across=across,
        fx_rates=workbook.fx_rates,
        reporting_currency=s.reporting_currency,
        validate=False,
    )
    shares = None
    if seasonal_pace:
        day = as_of or min(cube.last_fact_day or period.end, period.end)
        shares = last_year_shares(
            workbook.tree,
            workbook.library,
            data,
            period,
            day,
            segment=segment,
            fx_rates=workbook.fx_rates,
            reporting_currency=s.reporting_currency,
        )
    return evaluate_tree(
        workbook.tree,
        workbook.library,
        cube,
        period,
        targets=workbook.targets,
        segment=segment,
        as_of=as_of,
        thresholds=s.status_thresholds,
        attribute=versus,
        across=across,
        elapsed_share=shares,
    )


def check_workbook(
    workbook: Workbook,
    *,
    period: str | Period | None = None,
    as_of: date | None = None,
    facts: pd.DataFrame | None = None,
) -> list[Finding]:
    """Health findings of the workbook (data checks when it has facts)."""
    s = workbook.settings
    if isinstance(period, str):
        period = parse_period(period, s.fiscal_year_start)
    data = workbook.facts if facts is None else validate_facts(facts)
    return check_health(
        workbook.tree,
        workbook.library,
        targets=workbook.targets,
        facts=data if len(data) else None,
        period=period,
        as_of=as_of,
        settings=s.health,
        fx_rates=workbook.fx_rates,
        reporting_currency=s.reporting_currency,
    )


def list_templates() -> list[str]:
    """Names of the tree templates shipped in ``kpi/tree_templates``."""
    folder = resources.files("kpi").joinpath("tree_templates")
    return sorted(
        p.name.removesuffix(".json")
        for p in folder.iterdir()
        if p.name.endswith(".json")
    )


def load_template(name: str, library: Library | None = None) -> Workbook:
    if name not in list_templates():
        raise WorkbookError(
            f"no tree template {name!r}; have " + ", ".join(list_templates())
        )
    text = (
        resources.files("kpi")
        .joinpath(f"tree_templates/{name}.json")
        .read_text("utf-8")
    )
    return loads_workbook(text, library)
