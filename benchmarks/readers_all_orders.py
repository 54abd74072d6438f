"""Benchmark: a 1,000,000-line Amazon All Orders file into facts, by month × site × SKU.

Run: ``.venv/bin/python benchmarks/readers_all_orders.py [--lines 1000000]``.

The file is generated in a temporary directory from the sample's real lines (new
order ids, purchase times spread over 18 months). Each measurement runs in its own
process so that its peak memory (max RSS) is its own:

* ``bare``: ``pandas.read_csv(path, sep="\\t")``, nothing else;
* ``readers``: ``kpi.readers.read`` (detection, parsing, checks, time zones,
  status rules, facts) plus the month × marketplace × SKU aggregation.

Goals from issue 4: under 10 s and 2 GB end to end, within 3× the bare read.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "kpi" / "samples" / "amazon_all_orders_2026-05.txt"


def generate(path: Path, lines: int, seed: int = 7) -> None:
    source = pd.read_csv(SAMPLE, sep="\t", dtype=str, keep_default_na=False)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(source), size=lines)
    frame = source.iloc[picks].reset_index(drop=True)
    start = pd.Timestamp("2025-01-01", tz="UTC").value // 10**9
    end = pd.Timestamp("2026-06-30", tz="UTC").value // 10**9
    seconds = np.sort(rng.integers(start, end, size=lines))
    stamps = pd.to_datetime(seconds, unit="s", utc=True).strftime(
        "%Y-%m-%dT%H:%M:%S+00:00"
    )
    frame["purchase-date"] = stamps
    frame["last-updated-date"] = stamps
    # about 1.3 lines per order, like the sample
    order_numbers = np.cumsum(rng.random(lines) < 0.77)
    prefix = np.where(frame["sales-channel"].to_numpy() == "Amazon.com", "111", "302")
    frame["amazon-order-id"] = [
        f"{p}-{n // 10_000_000:07d}-{n % 10_000_000:07d}"
        for p, n in zip(prefix, order_numbers, strict=True)
    ]
    frame.to_csv(path, sep="\t", index=False, quoting=csv.QUOTE_NONE, escapechar="\\")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process: steadier than wall time on a shared machine."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(kind: str, path: Path) -> None:
    started = time.perf_counter()
    cpu_start = cpu_seconds()
    if kind == "bare":
        frame = pd.read_csv(path, sep="\t")
        rows = len(frame)
        extra: dict[str, object] = {}
    else:
        from kpi.readers import ReadOptions, read

        result = read(path, options=ReadOptions(max_bytes=2 * 1024**3))
        if not result.ok:
            raise SystemExit(f"read failed: {result.errors[:3]}")
        read_done = time.perf_counter()
        facts = result.facts
        by_month = (
            facts.assign(month=facts["start"].dt.to_period("M"))
            .groupby(["month", "marketplace", "sku", "metric", "currency"], sort=True)[
                "value"
            ]
            .sum()
        )
        rows = result.row_count
        extra = {
            "read_seconds": round(read_done - started, 3),
            "facts": len(facts),
            "groups": len(by_month),
        }
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_start
    print(
        json.dumps(
            {
                "seconds": round(seconds, 3),
                "cpu": round(cpu, 3),
                "rows": rows,
                "peak_mb": peak_mb(),
                **extra,
            }
        )
    )


def run(kind: str, path: Path) -> dict[str, float]:
    out = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--child", kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"))
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        child(args.child[0], Path(args.child[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "all_orders_1m.txt"
        started = time.perf_counter()
        generate(path, args.lines)
        size = path.stat().st_size / 1024 / 1024
        print(
            f"generated {args.lines:,} lines, {size:,.0f} MB in {time.perf_counter() - started:.1f} s"
        )
        bare = run("bare", path)
        readers = run("readers", path)
    ratio = readers["seconds"] / bare["seconds"]
    cpu_ratio = readers["cpu"] / bare["cpu"]
    print(
        f"bare pandas.read_csv:      {bare['seconds']:6.2f} s  (cpu {bare['cpu']:6.2f} s)"
        f"  peak {bare['peak_mb']:7.0f} MB"
    )
    print(
        f"readers + month×site×SKU:  {readers['seconds']:6.2f} s  (cpu "
        f"{readers['cpu']:6.2f} s)  peak {readers['peak_mb']:7.0f} MB  (read "
        f"{readers['read_seconds']:.2f} s, {readers['facts']:,} facts, "
        f"{readers['groups']:,} groups)"
    )
    print(
        f"ratio to bare read_csv:    {ratio:6.2f}× wall, {cpu_ratio:.2f}× cpu"
        "  (goal ≤ 3×, < 10 s, < 2048 MB)"
    )


if __name__ == "__main__":
    main()
