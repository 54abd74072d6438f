"""Lodestar's KPI engine: plain Python (pandas, numpy), no Django.

Public API — the names below are stable; everything in ``kpi._*`` is private.

Library and formulas
    ``load_library() -> Library``                       the shipped metric library
    ``Library.check(text) -> CheckedFormula``           check a formula against it
    ``Library.validate(text, *, unit, names) -> FormulaError | None``
                                                        live validation, never raises
    ``validate_formula(text, units, unit) -> FormulaError | None``
    ``parse_formula(text) -> Expression``               parse only
    ``check_formula(text, units) -> CheckedFormula``    names, calls, units
    ``FormulaError`` (``.message``, ``.start``, ``.end``, ``.as_dict()``, caret in ``str``)

Facts (``kpi.facts``): ``FACT_COLUMNS``, ``SEGMENT_FIELDS``, ``FX_COLUMNS``,
``empty_facts()``, ``validate_facts(df)``, ``validate_fx_rates(df)``.

Periods: ``parse_period(label, fiscal_start=1) -> Period`` (``2026-05``, ``2026-W20``,
``2026-Q2``, ``FY2026``...), ``Period.previous()``, ``Period.last_year()``.

Aggregation
    ``aggregate(facts, periods, library, *, segments, metrics, fx_rates,
    reporting_currency) -> Cube``                         period × segment values
    ``aggregate_frame(facts, grain, library, *, by, ...) -> DataFrame``

Trees and evaluation
    ``build_tree(root, nodes, library) -> MetricTree``
    ``prepare_cube(tree, library, facts, periods, *, segment, across, fx_rates,
    reporting_currency) -> Cube``
    ``evaluate_tree(tree, library, cube, period, *, targets, segment, as_of,
    thresholds, attribute, across) -> TreeEvaluation`` (``.nodes`` → ``NodeResult``)
    ``attribute_gap(tree, library, cube, targets, key, period, segment, versus,
    across) -> Attribution``
    ``node_trend(tree, library, cube, key, segment) -> [(Period, value)]``
    ``last_year_shares(tree, library, facts, period, as_of, ...)`` seasonality weights
    ``attainment(actual, target, direction, band)``, ``gap(...)``

Targets
    ``Target``, ``TargetBook``, ``allocate_even``, ``allocate_weights``,
    ``allocate_seasonality``, ``solve_factor``, ``solve_factor_target``,
    ``rollup_mismatches``

Health
    ``check_health(tree, library, *, targets, facts, period, as_of, settings)
    -> list[Finding]``

Workbook (the usual entry points)
    ``evaluate_workbook(workbook, period, *, segment, versus, across, as_of, facts,
    seasonal_pace) -> TreeEvaluation``
    ``check_workbook(workbook, *, period, as_of, facts) -> list[Finding]``

Workbook file
    ``load_workbook(path)``, ``loads_workbook(text)``, ``workbook_from_data(data)``,
    ``workbook_to_data(workbook)``, ``validate_workbook_data(data)``,
    ``workbook_schema()``, ``list_templates()``, ``load_template(name)``
"""

from __future__ import annotations

from kpi._aggregate import ALL, Cube, Segment, aggregate, aggregate_frame, segment_of
from kpi._attribution import (
    Attribution,
    Effect,
    Method,
    lmdi_effects,
    log_mean,
    shapley_effects,
)
from kpi._calendar import (
    Period,
    PeriodError,
    parse_period,
    period_containing,
    periods_between,
)
from kpi._enums import (
    Aggregation,
    Decomposition,
    Direction,
    Grain,
    Level,
    Severity,
    Status,
    Unit,
)
from kpi._errors import FormulaError, WorkbookError
from kpi._evaluate import (
    NodeResult,
    StatusThresholds,
    TreeEvaluation,
    attainment,
    attribute_gap,
    evaluate_tree,
    gap,
    last_year_shares,
    node_trend,
    prepare_cube,
)
from kpi._formula import CellFlag, CheckedFormula, check_formula, describe_flags
from kpi._health import Finding, HealthSettings, check_health
from kpi._library import Library, LibraryError, Metric, load_library, validate_formula
from kpi._parser import Expression, parse_definition, parse_formula
from kpi._targets import (
    RollupMismatch,
    Target,
    TargetBook,
    TargetError,
    allocate_even,
    allocate_seasonality,
    allocate_weights,
    rollup_mismatches,
    solve_factor,
    solve_factor_target,
)
from kpi._tree import ChildLink, MetricNode, MetricTree, Owner, TreeError, build_tree
from kpi._workbook import (
    Settings,
    Workbook,
    check_workbook,
    evaluate_workbook,
    list_templates,
    load_template,
    load_workbook,
    loads_workbook,
    validate_workbook_data,
    workbook_from_data,
    workbook_to_data,
)
from kpi._workbook import schema as workbook_schema

__all__ = [
    "ALL",
    "Aggregation",
    "Attribution",
    "CellFlag",
    "CheckedFormula",
    "ChildLink",
    "Cube",
    "Decomposition",
    "Direction",
    "Effect",
    "Expression",
    "Finding",
    "FormulaError",
    "Grain",
    "HealthSettings",
    "Level",
    "Library",
    "LibraryError",
    "Method",
    "Metric",
    "MetricNode",
    "MetricTree",
    "NodeResult",
    "Owner",
    "Period",
    "PeriodError",
    "RollupMismatch",
    "Segment",
    "Settings",
    "Severity",
    "Status",
    "StatusThresholds",
    "Target",
    "TargetBook",
    "TargetError",
    "TreeError",
    "TreeEvaluation",
    "Unit",
    "Workbook",
    "WorkbookError",
    "aggregate",
    "aggregate_frame",
    "allocate_even",
    "allocate_seasonality",
    "allocate_weights",
    "attainment",
    "attribute_gap",
    "build_tree",
    "check_formula",
    "check_health",
    "check_workbook",
    "describe_flags",
    "evaluate_tree",
    "evaluate_workbook",
    "gap",
    "last_year_shares",
    "list_templates",
    "lmdi_effects",
    "load_library",
    "load_template",
    "load_workbook",
    "loads_workbook",
    "log_mean",
    "node_trend",
    "parse_definition",
    "parse_formula",
    "parse_period",
    "period_containing",
    "periods_between",
    "prepare_cube",
    "rollup_mismatches",
    "segment_of",
    "shapley_effects",
    "solve_factor",
    "solve_factor_target",
    "validate_formula",
    "validate_workbook_data",
    "workbook_from_data",
    "workbook_schema",
    "workbook_to_data",
]
