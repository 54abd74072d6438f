"""Health checks of a KPI tree and its data, taken from coaching practice."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from kpi._aggregate import segment_of
from kpi._calendar import Period, period_containing
from kpi._enums import Decomposition, Grain, Severity
from kpi._evaluate import _Values, prepare_cube
from kpi._library import Library
from kpi._targets import Target, TargetBook, rollup_mismatches
from kpi._tree import MetricTree, unit_disagreements


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message_zh: str
    message_en: str
    node: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "node": self.node,
        }


@dataclass(frozen=True, slots=True)
class HealthSettings:
    max_core_kpis: int = 5
    stale_days: int = 3
    outlier_k: float = 3.5
    outlier_window_days: int = 90
    identity_tolerance: float = 0.005


def check_health(
    tree: MetricTree,
    library: Library,
    *,
    targets: TargetBook | Iterable[Target] = (),
    facts: pd.DataFrame | None = None,
    period: Period | None = None,
    as_of: date | None = None,
    settings: HealthSettings = HealthSettings(),
    fx_rates: pd.DataFrame | None = None,
    reporting_currency: str | None = None,
) -> list[Finding]:
    """All findings, most severe first. Data checks run when ``facts`` is given."""
    book = targets if isinstance(targets, TargetBook) else TargetBook(targets)
    findings: list[Finding] = []
    findings += _structure(tree, library, book, settings)
    if facts is not None:
        findings += _data(
            tree,
            library,
            book,
            facts,
            period,
            as_of,
            settings,
            fx_rates,
            reporting_currency,
        )
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.code, f.node or ""))


def _structure(
    tree: MetricTree, library: Library, book: TargetBook, settings: HealthSettings
) -> list[Finding]:
    out: list[Finding] = []
    reachable = set(tree.reachable())
    for key in tree.orphans():
        out.append(
            Finding(
                "orphan_node",
                Severity.WARNING,
                f"节点“{key}”没有连到树根，不会参与汇总与归因。",
                f"Node {key!r} is not connected to the root; it is never rolled up.",
                key,
            )
        )
    by_owner: dict[str, list[str]] = defaultdict(list)
    targeted = {t.node for t in book}
    for node in tree.nodes.values():
        if node.key not in reachable:
            continue
        label = node.name_zh or node.key
        if not node.owners:
            out.append(
                Finding(
                    "no_owner",
                    Severity.WARNING,
                    f"KPI“{label}”没有负责人。",
                    f"KPI {node.key!r} has no owner.",
                    node.key,
                )
            )
        if not node.definition and not (
            node.metric and library[node.metric].definition_zh
        ):
            out.append(
                Finding(
                    "no_definition",
                    Severity.WARNING,
                    f"KPI“{label}”没有定义（计算口径）。",
                    f"KPI {node.key!r} has no definition.",
                    node.key,
                )
            )
        if not node.data_source and not node.children:
            out.append(
                Finding(
                    "no_data_source",
                    Severity.WARNING,
                    f"KPI“{label}”没有写数据来源（哪个报表、哪一列）。",
                    f"KPI {node.key!r} does not say where its data comes from.",
                    node.key,
                )
            )
        if node.key not in targeted:
            out.append(
                Finding(
                    "no_target",
                    Severity.INFO,
                    f"KPI“{label}”还没有目标。",
                    f"KPI {node.key!r} has no target.",
                    node.key,
                )
            )
        depts = set(node.departments)
        owner_depts = {o.department for o in node.owners if o.department}
        if len(depts) > 1 and (len(node.owners) < 2 or not depts <= owner_depts):
            names = "、".join(sorted(depts))
            out.append(
                Finding(
                    "cross_department_single_owner",
                    Severity.WARNING,
                    f"跨部门 KPI“{label}”（{names}）只写了一个部门的负责人，每个部门都要有人负责。",
                    f"Cross-department KPI {node.key!r} ({', '.join(sorted(depts))}) "
                    "must name an owner in every department.",
                    node.key,
                )
            )
        if node.core:
            for owner in node.owners:
                who = owner.person or owner.role
                if who:
                    by_owner[who].append(node.key)
    for who, keys in sorted(by_owner.items()):
        if len(keys) > settings.max_core_kpis:
            out.append(
                Finding(
                    "too_many_core_kpis",
                    Severity.WARNING,
                    f"{who} 负责 {len(keys)} 个核心 KPI（{', '.join(keys)}），"
                    f"超过 {settings.max_core_kpis} 个，焦点会分散。",
                    f"{who} owns {len(keys)} core KPIs ({', '.join(keys)}); "
                    f"keep it to {settings.max_core_kpis} or fewer.",
                    keys[settings.max_core_kpis],
                )
            )
    for key, message in unit_disagreements(tree, library):
        out.append(
            Finding(
                "unit_mismatch",
                Severity.ERROR,
                f"节点“{key}”单位不一致：{message}",
                f"Node {key!r} mixes units: {message}",
                key,
            )
        )
    return out


def _data(
    tree: MetricTree,
    library: Library,
    book: TargetBook,
    facts: pd.DataFrame,
    period: Period | None,
    as_of: date | None,
    settings: HealthSettings,
    fx_rates: pd.DataFrame | None,
    reporting_currency: str | None,
) -> list[Finding]:
    out: list[Finding] = []
    unknown = sorted(set(facts["metric"].astype(str)) - set(library))
    for key in unknown:
        out.append(
            Finding(
                "unknown_metric_in_data",
                Severity.WARNING,
                f"数据中的指标“{key}”不在指标库中，已忽略。",
                f"Metric {key!r} in the data is not in the library; it is ignored.",
            )
        )
    if len(facts) == 0:
        out.append(
            Finding("no_data", Severity.WARNING, "还没有导入数据。", "No data yet.")
        )
        return out
    last_day = pd.Timestamp(facts["end"].max()).date()
    today = as_of or date.today()
    if (today - last_day).days > settings.stale_days:
        out.append(
            Finding(
                "stale_data",
                Severity.WARNING,
                f"最新数据停在 {last_day}，已超过 {settings.stale_days} 天未更新。",
                f"The latest data is from {last_day}, more than "
                f"{settings.stale_days} days before {today}.",
            )
        )
    if period is None:
        period = period_containing(min(today, last_day), Grain.MONTH)
    cube = prepare_cube(
        tree,
        library,
        facts,
        [period],
        fx_rates=fx_rates,
        reporting_currency=reporting_currency,
    )
    values = _Values(tree, library, cube)
    for node in tree.walk():
        if node.metric is None or node.decomposition is Decomposition.NONE:
            continue
        actual = values.get(node.key, (), period)[0]
        composed = values.composed(node.key, (), period)[0]
        if actual is None or composed is None:
            continue
        diff = actual - composed
        if abs(diff) > settings.identity_tolerance * max(1.0, abs(actual)):
            out.append(
                Finding(
                    "identity_mismatch",
                    Severity.ERROR,
                    f"“{node.key}”{period.label} 的实际值 {actual:,.2f} 与子项推出的 "
                    f"{composed:,.2f} 相差 {diff:,.2f}。",
                    f"{node.key!r} in {period.label} is {actual:,.2f} but its children "
                    f"give {composed:,.2f} (difference {diff:,.2f}).",
                    node.key,
                )
            )
    for mismatch in rollup_mismatches(tree, book, library, period):
        out.append(
            Finding(
                "rollup_mismatch",
                Severity.WARNING,
                f"“{mismatch.node}”{period.label} 的目标 {mismatch.top_down:,.2f} 与子项目标"
                f"汇总 {mismatch.bottom_up:,.2f} 不一致（差 {mismatch.difference:,.2f}）。",
                f"Target of {mismatch.node!r} for {period.label} is "
                f"{mismatch.top_down:,.2f} but its children's targets give "
                f"{mismatch.bottom_up:,.2f} (difference {mismatch.difference:,.2f}).",
                mismatch.node,
            )
        )
    out += _daily(
        tree, library, facts, last_day, settings, fx_rates, reporting_currency
    )
    return out


def robust_band(values: np.ndarray, k: float) -> tuple[float, float] | None:
    """median ± k · 1.4826 · MAD; ``None`` when there is no spread to judge by."""
    clean = values[~np.isnan(values)]
    if len(clean) < 7:
        return None
    median = float(np.median(clean))
    mad = float(np.median(np.abs(clean - median))) * 1.4826
    if mad == 0 or not math.isfinite(mad):
        return None
    return median - k * mad, median + k * mad


def _daily(
    tree: MetricTree,
    library: Library,
    facts: pd.DataFrame,
    last_day: date,
    settings: HealthSettings,
    fx_rates: pd.DataFrame | None,
    reporting_currency: str | None,
) -> list[Finding]:
    out: list[Finding] = []
    daily = facts[facts["start"] == facts["end"]]
    if len(daily) == 0:
        return out
    first_day = max(
        pd.Timestamp(daily["start"].min()).date(),
        last_day - timedelta(days=settings.outlier_window_days - 1),
    )
    days = [
        period_containing(first_day + timedelta(days=i), Grain.DAY)
        for i in range((last_day - first_day).days + 1)
    ]
    metric_nodes = [n for n in tree.walk() if n.metric and library[n.metric].is_base]
    if not metric_nodes:
        return out
    in_window = daily[pd.to_datetime(daily["start"]).dt.date >= first_day]
    for node in metric_nodes:
        assert node.metric is not None
        rows = in_window[in_window["metric"] == node.metric]
        if node.segment:
            for field_name, wanted in segment_of(node.segment):
                rows = rows[rows[field_name] == wanted]
        if len(rows) == 0:
            continue
        have = set(pd.to_datetime(rows["start"]).dt.date)
        span = [d.start for d in days if min(have) <= d.start <= max(have)]
        missing = [d for d in span if d not in have]
        if missing:
            shown = ", ".join(d.isoformat() for d in missing[:5])
            more = f" (+{len(missing) - 5})" if len(missing) > 5 else ""
            out.append(
                Finding(
                    "missing_days",
                    Severity.WARNING,
                    f"“{node.key}”缺少 {len(missing)} 天的数据：{shown}{more}。",
                    f"{node.key!r} has no data for {len(missing)} days: {shown}{more}.",
                    node.key,
                )
            )
    cube = prepare_cube(
        tree,
        library,
        facts,
        days,
        fx_rates=fx_rates,
        reporting_currency=reporting_currency,
    )
    values = _Values(tree, library, cube)
    for node in metric_nodes:
        series = np.array(
            [values.get(node.key, (), d)[0] for d in days], dtype=np.float64
        )
        band = robust_band(series, settings.outlier_k)
        if band is None:
            continue
        low, high = band
        outside = [
            (d.start, v)
            for d, v in zip(days, series, strict=True)
            if not math.isnan(v) and not low <= v <= high
        ]
        for day, v in outside[-5:]:
            out.append(
                Finding(
                    "outlier",
                    Severity.INFO,
                    f"“{node.key}”在 {day} 的值 {v:,.2f} 超出正常范围 "
                    f"[{low:,.2f}, {high:,.2f}]（中位数 ± {settings.outlier_k}×MAD）。",
                    f"{node.key!r} on {day} is {v:,.2f}, outside the usual range "
                    f"[{low:,.2f}, {high:,.2f}] (median ± {settings.outlier_k}·MAD).",
                    node.key,
                )
            )
    return out
