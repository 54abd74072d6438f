"""``python -m kpi read FILE``: what a file is and what it adds up to."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

import pandas as pd

from kpi.readers._api import formats, read
from kpi.readers._model import DEFAULT_MAX_BYTES, Mode, ReadOptions, ReadResult

__all__ = ["register"]


def register(commands: Any) -> None:
    """Add the ``read`` sub-command to the engine's argument parser."""
    keys = [info.key for info in formats()]
    parser: argparse.ArgumentParser = commands.add_parser(
        "read",
        help="read an export file and print its totals",
        description="Detect an export's format and print per-metric totals "
        "(split by platform, marketplace and currency) and any row errors.",
    )
    parser.add_argument("file", help="CSV, TXT or XLSX export")
    parser.add_argument(
        "--period", help="period of a report without dates, e.g. 2026-05"
    )
    parser.add_argument(
        "--format", dest="format_key", choices=keys, help="skip detection"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="keep the good rows when some rows are bad (default: stop)",
    )
    parser.add_argument(
        "--max-mb",
        type=float,
        default=DEFAULT_MAX_BYTES / 1024 / 1024,
        help="size limit in MB (default 50)",
    )
    parser.add_argument("--lang", choices=["zh", "en"], default="en")
    parser.set_defaults(handler=_handle)


def totals(result: ReadResult) -> pd.DataFrame:
    """Per metric, never adding different currencies, sites or platforms."""
    keys = ["platform", "marketplace", "metric", "currency"]
    if result.facts.empty:
        return pd.DataFrame(columns=[*keys, "value", "facts"])
    grouped = result.facts.groupby(keys, sort=True, as_index=False).agg(
        value=("value", "sum"), facts=("value", "size")
    )
    grouped["value"] = grouped["value"].round(2)
    return grouped


def _summary(result: ReadResult) -> dict[str, Any]:
    detection = result.detection
    table = totals(result)
    return {
        "ok": result.ok,
        "format": result.format,
        "confidence": detection.confidence if detection else 0.0,
        "reason": detection.reason if detection else "",
        "reason_zh": detection.reason_zh if detection else "",
        "encoding": result.encoding,
        "period": str(result.period) if result.period else None,
        "first_day": None
        if result.facts.empty
        else result.facts["start"].min().strftime("%Y-%m-%d"),
        "last_day": None
        if result.facts.empty
        else result.facts["end"].max().strftime("%Y-%m-%d"),
        "row_count": result.row_count,
        "fact_count": len(result.facts),
        "totals": [
            {
                "platform": str(r["platform"]),
                "marketplace": str(r["marketplace"]),
                "metric": str(r["metric"]),
                "currency": str(r["currency"]),
                "value": float(r["value"]),
            }
            for r in table.to_dict("records")
        ],
        "fx_rates": 0 if result.fx_rates is None else len(result.fx_rates),
        "catalog": 0 if result.catalog is None else len(result.catalog),
        "error_count": result.error_count,
        "rejected_rows": list(result.rejected_rows),
        "errors": [_problem_json(e) for e in result.errors],
        "warnings": [_problem_json(e) for e in result.warnings],
        "notes": list(result.notes),
    }


def _problem_json(error: Any) -> dict[str, Any]:
    return {
        "row": error.row,
        "column": error.column,
        "reason_code": str(error.reason_code),
        "message_zh": error.message_zh,
        "message_en": error.message_en,
    }


def _handle(args: argparse.Namespace) -> int:
    options = ReadOptions(max_bytes=int(args.max_mb * 1024 * 1024))
    mode = Mode.SKIP_BAD_ROWS if args.skip_bad_rows else Mode.STRICT
    result = read(
        args.file,
        format=args.format_key,
        period=args.period,
        mode=mode,
        options=options,
    )
    summary = _summary(result)
    try:
        if args.json:
            print(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            _print_text(summary, args.lang)
        sys.stdout.flush()
    except BrokenPipeError:  # `| head`: the reader of our output went away
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0 if result.ok else 1
    if result.fatal:
        first = result.errors[0]
        print(f"error: {first.message(args.lang)}", file=sys.stderr)
        return 1
    if not result.ok:
        print(
            f"error: {result.error_count} bad row(s); nothing imported "
            "(use --skip-bad-rows to keep the good rows)",
            file=sys.stderr,
        )
        return 1
    return 0


def _print_text(summary: dict[str, Any], lang: str) -> None:
    out = sys.stdout
    out.write(f"format:     {summary['format'] or 'unknown'}")
    out.write(f" (confidence {summary['confidence']:.2f})\n")
    reason = summary["reason_zh"] if lang == "zh" else summary["reason"]
    if reason:
        out.write(f"reason:     {reason}\n")
    out.write(f"encoding:   {summary['encoding']}\n")
    out.write(f"period:     {summary['period'] or '-'}")
    if summary["first_day"]:
        out.write(f"  (facts {summary['first_day']} .. {summary['last_day']})")
    out.write("\n")
    out.write(f"rows:       {summary['row_count']}  facts: {summary['fact_count']}\n")
    if summary["fx_rates"]:
        out.write(f"fx rates:   {summary['fx_rates']}\n")
    if summary["catalog"]:
        out.write(f"catalogue:  {summary['catalog']} SKUs\n")
    if summary["totals"]:
        out.write("totals:\n")
        for row in summary["totals"]:
            where = "/".join(p for p in (row["platform"], row["marketplace"]) if p)
            currency = f" {row['currency']}" if row["currency"] else ""
            out.write(
                f"  {where:<24} {row['metric']:<28} {row['value']:>16,.2f}{currency}\n"
            )
    for note in summary["notes"]:
        out.write(f"note:       {note}\n")
    key = "message_en" if lang == "en" else "message_zh"
    row_errors = [e for e in summary["errors"] if e["row"] is not None]
    for label, items in (("error", row_errors), ("warning", summary["warnings"])):
        for item in items[:50]:
            where = "file" if item["row"] is None else f"row {item['row']}"
            column = f" [{item['column']}]" if item["column"] else ""
            out.write(f"{label}: {where}{column}: {item[key]}\n")
        if len(items) > 50:
            out.write(f"{label}: ... {len(items) - 50} more\n")
