"""``python -m kpi evaluate | check | library``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any, NoReturn

import pandas as pd

from kpi._aggregate import segment_of
from kpi._calendar import PeriodError
from kpi._enums import Unit
from kpi._errors import FormulaError, WorkbookError
from kpi._evaluate import TreeEvaluation
from kpi._library import LibraryError, load_library
from kpi._targets import TargetError
from kpi._tree import TreeError
from kpi._workbook import Workbook, check_workbook, evaluate_workbook, load_workbook
from kpi.facts import SEGMENT_FIELDS, FactsError

_EXPECTED = (
    WorkbookError,
    FormulaError,
    PeriodError,
    FactsError,
    TreeError,
    TargetError,
    LibraryError,
    OSError,
    ValueError,
    KeyError,
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evaluate = commands.add_parser(
        "evaluate", help="evaluate a workbook's tree for a period"
    )
    evaluate.add_argument("workbook")
    evaluate.add_argument(
        "--period", required=True, help="e.g. 2026-05, 2026-Q2, 2026-W20"
    )
    evaluate.add_argument(
        "--segment",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="filter, e.g. platform=amazon (repeatable)",
    )
    evaluate.add_argument("--versus", choices=["prior", "target"], default="prior")
    evaluate.add_argument(
        "--across", choices=SEGMENT_FIELDS, help="LMDI across this field"
    )
    evaluate.add_argument("--as-of", help="evaluate pace as of this day (YYYY-MM-DD)")
    evaluate.add_argument("--facts", help="facts CSV to use instead of the workbook's")
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(handler=_guard(_evaluate))
    _one_line_errors(evaluate)

    check = commands.add_parser("check", help="print a workbook's health findings")
    check.add_argument("workbook")
    check.add_argument(
        "--period", help="period for the data checks (default: latest month)"
    )
    check.add_argument("--as-of", help="today, for the stale-data check (YYYY-MM-DD)")
    check.add_argument("--facts", help="facts CSV to use instead of the workbook's")
    check.add_argument("--json", action="store_true")
    check.set_defaults(handler=_guard(_check))
    _one_line_errors(check)

    library = commands.add_parser("library", help="list the metric library")
    library.add_argument("--json", action="store_true")
    library.set_defaults(handler=_guard(_library))
    _one_line_errors(library)


def _one_line_errors(parser: argparse.ArgumentParser) -> None:
    """Usage mistakes end like every other bad input: one line, exit code 2."""

    def error(message: str) -> NoReturn:
        print(f"error: {parser.prog}: {message}", file=sys.stderr)
        raise SystemExit(2)

    parser.error = error  # type: ignore[method-assign]


def _guard(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            code: int = handler(args)
            return code
        except _EXPECTED as err:
            text = (
                getattr(err, "message", None) if isinstance(err, FormulaError) else None
            )
            reason = (
                text or str(err).splitlines()[0] if str(err) else type(err).__name__
            )
            print(f"error: {reason}", file=sys.stderr)
            return 2

    return run


def _segment(pairs: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        field_name, sep, value = pair.partition("=")
        if not sep or not field_name.strip():
            raise ValueError(
                f"--segment {pair!r}: write FIELD=VALUE, e.g. platform=amazon"
            )
        out[field_name.strip()] = value.strip()
    segment_of(out)
    return out


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--as-of {text!r} is not a date (YYYY-MM-DD)") from None


def _facts(path: str | None) -> pd.DataFrame | None:
    if path is None:
        return None
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def fmt(value: float | None, unit: Unit, currency: str = "") -> str:
    if value is None:
        return "—"
    if unit is Unit.PERCENT:
        return f"{value * 100:,.2f}%"
    if unit is Unit.MONEY:
        return f"{value:,.2f} {currency}".strip()
    if unit is Unit.COUNT:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    if unit is Unit.DAYS:
        return f"{value:,.1f} d"
    if unit is Unit.HOURS:
        return f"{value:,.1f} h"
    return f"{value:,.2f}"


def _evaluate(args: argparse.Namespace) -> int:
    workbook = load_workbook(args.workbook)
    result = evaluate_workbook(
        workbook,
        args.period,
        segment=_segment(args.segment),
        versus=args.versus,
        across=args.across,
        as_of=_as_of(args.as_of),
        facts=_facts(args.facts),
    )
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(_table(workbook, result))
    return 0


def _table(workbook: Workbook, result: TreeEvaluation) -> str:
    currency = workbook.settings.reporting_currency
    seg = ", ".join(f"{k}={v}" for k, v in result.segment) or "all"
    lines = [
        f"{workbook.name or 'workbook'} — {result.period.label} ({seg}), "
        f"as of {result.as_of.isoformat()}",
        f"{'node':<34} {'actual':>18} {'target':>18} {'attain':>8}  status",
    ]
    for key, node in result.nodes.items():
        depth = workbook.tree.depth(key)
        label = ("  " * depth + key)[:34]
        att = "—" if node.attainment is None else f"{node.attainment * 100:.1f}%"
        lines.append(
            f"{label:<34} {fmt(node.actual, node.unit, currency):>18} "
            f"{fmt(node.target, node.unit, currency):>18} {att:>8}  {node.status.value}"
        )
        if node.mismatch is not None and abs(node.mismatch) > 0.005:
            lines.append(
                f"{'':<36}identity mismatch {fmt(node.mismatch, node.unit, currency)}"
            )
        attribution = result.attributions.get(key)
        if attribution is not None:
            if attribution.defined:
                parts = ", ".join(
                    f"{e.key or 'unreconciled'} {fmt(e.value, node.unit, currency)}"
                    for e in attribution.effects
                )
                lines.append(
                    f"{'':<36}Δ vs {attribution.versus} "
                    f"{fmt(attribution.total, node.unit, currency)} "
                    f"({attribution.method.value}): {parts}"
                )
            else:
                lines.append(f"{'':<36}no attribution: {attribution.reason}")
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    workbook = load_workbook(args.workbook)
    findings = check_workbook(
        workbook, period=args.period, as_of=_as_of(args.as_of), facts=_facts(args.facts)
    )
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2))
        return 0
    if not findings:
        print("no findings")
    for f in findings:
        where = f" [{f.node}]" if f.node else ""
        print(f"{f.severity.value:<7} {f.code}{where}: {f.message_en} / {f.message_zh}")
    return 0


def _library(args: argparse.Namespace) -> int:
    library = load_library()
    if args.json:
        data = {"schema_version": 1, "metrics": [m.as_dict() for m in library.values()]}
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    for m in library.values():
        rule = m.formula or m.aggregation.value
        print(
            f"{m.key:<32} {m.unit.value:<8} {m.direction.value:<7} {rule:<48} {m.name_zh}"
        )
    return 0
