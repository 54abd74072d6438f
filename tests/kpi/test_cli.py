"""``python -m kpi``: evaluate, check, library; one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kpi import _cli, load_library
from kpi.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Run the command line in-process (fast); one test below uses a subprocess."""

    def invoke(*args: str) -> Outcome:
        code = main(list(args))
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return invoke


def test_python_dash_m_kpi_works() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kpi",
            "evaluate",
            "/nonexistent.json",
            "--period",
            "2026-05",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: /nonexistent.json: cannot read the file")


def workbook_file(tmp_path: Path) -> Path:
    data: dict[str, Any] = json.loads(
        (ROOT / "kpi/tree_templates/amazon_store.json").read_text("utf-8")
    )
    facts: list[dict[str, Any]] = []
    shares = (("ordered_product_sales", 30), ("refunds", 1), ("discounts", 0.5),
              ("cogs", 9), ("platform_fees", 4.5), ("fulfilment_cost", 4),
              ("ad_spend", 3), ("ad_sales", 10))  # fmt: skip
    for month, k in (("04", 1.0), ("05", 1.1)):
        for day in ("01", "15"):
            rows = [("sessions", 1000 * k, ""), ("units_ordered", 100 * k, "")]
            rows += [(metric, 100 * k * share, "USD") for metric, share in shares]
            facts += [
                {
                    "start": f"2026-{month}-{day}",
                    "metric": metric,
                    "value": value,
                    "currency": ccy,
                    "platform": "amazon",
                }
                for metric, value, ccy in rows
            ]
    data["facts"] = facts
    data["fx_rates"] = [
        {"month": "2026-04", "currency": "USD", "quote": "CNY", "rate": 7.0},
        {"month": "2026-05", "currency": "USD", "quote": "CNY", "rate": 7.0},
    ]
    data["targets"] = [
        {"node": "sales", "period": "2026-05", "value": 50000},
        {
            "node": "sales",
            "period": "2026-05",
            "value": 40000,
            "segment": {"platform": "amazon"},
        },
    ]
    path = tmp_path / "store.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return path


def test_evaluate_table(tmp_path: Path, run: Callable[..., Outcome]) -> None:
    result = run("evaluate", str(workbook_file(tmp_path)), "--period", "2026-05")
    assert result.returncode == 0, result.stderr
    assert "contribution_profit" in result.stdout
    assert "sales" in result.stdout and "Δ vs prior" in result.stdout


def test_evaluate_json(tmp_path: Path, run: Callable[..., Outcome]) -> None:
    result = run(
        "evaluate",
        str(workbook_file(tmp_path)),
        "--period",
        "2026-05",
        "--segment",
        "platform=amazon",
        "--json",
        "--as-of",
        "2026-05-31",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    nodes = {n["key"]: n for n in data["nodes"]}
    assert nodes["sales"]["actual"] == pytest.approx(2 * 110 * 30 * 7.0)
    assert nodes["sales"]["target"] == 40000, "the segment's own target"
    assert nodes["sales"]["status"] in {"on_track", "at_risk", "off_track"}
    effects = data["attributions"]["sales"]["effects"]
    assert sum(e["value"] for e in effects) == pytest.approx(
        data["attributions"]["sales"]["total"]
    )


def test_check(tmp_path: Path, run: Callable[..., Outcome]) -> None:
    result = run(
        "check", str(workbook_file(tmp_path)), "--as-of", "2026-05-16", "--json"
    )
    assert result.returncode == 0, result.stderr
    assert any(f["code"] == "no_target" for f in json.loads(result.stdout))


def test_library_json_lists_metric_objects(run: Callable[..., Outcome]) -> None:
    result = run("library", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert len(data["metrics"]) == len(load_library())
    assert {"key", "name_zh", "name_en", "unit", "formula"} <= set(data["metrics"][0])


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["evaluate", "{wb}", "--period", "2026-13"], "not a valid month"),
        (
            ["evaluate", "{wb}", "--period", "2026-05", "--segment", "shop=x"],
            "unknown segment field 'shop'",
        ),
        (
            ["evaluate", "{wb}", "--period", "2026-05", "--segment", "platform"],
            "write FIELD=VALUE",
        ),
        (["evaluate", "{bad}", "--period", "2026-05"], "not valid JSON"),
        (["evaluate", "/nonexistent.json", "--period", "2026-05"], "cannot read"),
        (["check", "{bad}"], "not valid JSON"),
        (
            ["evaluate", "{wb}", "--period", "2026-05", "--as-of", "May"],
            "is not a date",
        ),
    ],
)
def test_bad_input_gives_one_line_and_non_zero(
    tmp_path: Path, args: list[str], reason: str, run: Callable[..., Outcome]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", "utf-8")
    wb = workbook_file(tmp_path)
    argv = [a.format(wb=wb, bad=bad) for a in args]
    result = run(*argv)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert reason in result.stderr


def test_format_values() -> None:
    from kpi import Unit

    assert _cli.fmt(0.1287, Unit.PERCENT) == "12.87%"
    assert _cli.fmt(1234.5, Unit.MONEY, "CNY") == "1,234.50 CNY"
    assert _cli.fmt(None, Unit.COUNT) == "—"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["evaluate", "wb.json"], "the following arguments are required: --period"),
        (
            ["evaluate", "wb.json", "--period", "2026-05", "--versus", "budget"],
            "invalid choice: 'budget'",
        ),
    ],
)
def test_usage_mistakes_give_one_line(
    args: list[str], reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert reason in err
