"""Reads for the build pages (tree, targets grid, snapshots and sharing).

Each page's data is loaded in a fixed number of queries (the workbook, its targets,
and for the grid the history count), then computed in Python with kpi/.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import get_language, pgettext_lazy

import kpi
from accounts.models import Membership, User
from cohorts.coaching.models import CohortChampion
from cohorts.models import Cohort, Enrolment, EnrolmentStatus
from kpi._tree import node_direction, node_unit  # not re-exported by kpi (yet)
from workbook.models import (
    Snapshot,
    TargetChange,
    TargetValue,
    Workbook,
    WorkbookShare,
)
from workbook.targets import segment_key, target_book

UNIT_LABELS = {
    "money": pgettext_lazy("unit", "money"),
    "count": pgettext_lazy("unit", "count"),
    "percent": pgettext_lazy("unit", "percent"),
    "ratio": pgettext_lazy("unit", "ratio"),
    "days": pgettext_lazy("unit", "days"),
    "hours": pgettext_lazy("unit", "hours"),
}
LEVEL_LABELS = {
    "company": pgettext_lazy("tree level", "company"),
    "department": pgettext_lazy("tree level", "department"),
    "role": pgettext_lazy("tree level", "role"),
}


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def _zh() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def engine_workbook(workbook: Workbook) -> kpi.Workbook:
    return kpi.workbook_from_data(workbook.document)


def node_units(document: dict[str, Any], library: kpi.Library) -> dict[str, kpi.Unit]:
    try:
        tree = kpi.workbook_from_data(document, library).tree
    except kpi.WorkbookError:
        return {}
    out = {}
    for key in tree.nodes:
        unit = _unit_or_none(tree, key, library)
        if unit is not None:
            out[key] = unit
    return out


def _unit_or_none(
    tree: kpi.MetricTree, key: str, library: kpi.Library
) -> kpi.Unit | None:
    try:
        return node_unit(tree, key, library)
    except (ValueError, KeyError, kpi.FormulaError):
        return None


def node_label(node: kpi.MetricNode, library: kpi.Library) -> str:
    """The node's own name in the reader's language, else its other own name,
    else the library metric's name, else its key."""
    metric = library[node.metric] if node.metric and node.metric in library else None
    if _zh():
        names = [node.name_zh, node.name_en, metric.name_zh if metric else ""]
    else:
        names = [node.name_en, node.name_zh, metric.name_en if metric else ""]
    return next((n for n in names if n), node.key)


# --- Tree -------------------------------------------------------------------------


@dataclass(slots=True)
class TreeRow:
    key: str
    label: str
    depth: int
    node: kpi.MetricNode
    parent: str | None
    unit: str
    direction: str
    metric_label: str
    unit_label: str = ""
    level_label: str = ""
    findings: list[dict[str, str]] = field(default_factory=list)
    orphan: bool = False


@dataclass(slots=True)
class TreePage:
    root: str
    rows: list[TreeRow]
    general_findings: list[dict[str, str]]
    error: str = ""


def _finding(finding: kpi.Finding) -> dict[str, str]:
    return {
        "severity": finding.severity.value,
        "message": finding.message_zh if _zh() else finding.message_en,
        "code": finding.code,
    }


def tree_page(workbook: Workbook) -> TreePage:
    """The tree in reading order with each node's health findings (2 queries)."""
    library = kpi.load_library()
    try:
        engine = kpi.workbook_from_data(workbook.document, library)
    except kpi.WorkbookError as err:
        return TreePage(root="", rows=[], general_findings=[], error=str(err))
    tree, lib = engine.tree, engine.library
    findings = kpi.check_health(tree, lib, targets=target_book(workbook))
    by_node: dict[str, list[dict[str, str]]] = {}
    general = []
    for finding in findings:
        if finding.node and finding.node in tree.nodes:
            by_node.setdefault(finding.node, []).append(_finding(finding))
        else:
            general.append(_finding(finding))
    rows = []
    ordered = [(n, False) for n in tree.walk()] + [
        (tree.nodes[k], True) for k in tree.orphans()
    ]
    for node, orphan in ordered:
        try:
            unit = node_unit(tree, node.key, lib).value
            direction = node_direction(tree, node.key, lib).value
        except Exception:
            unit, direction = "", ""
        metric_label = ""
        if node.metric and node.metric in lib:
            m = lib[node.metric]
            metric_label = m.name_zh if _zh() else m.name_en
        rows.append(
            TreeRow(
                key=node.key,
                label=node_label(node, lib),
                depth=0 if orphan else tree.depth(node.key),
                node=node,
                parent=tree.parents.get(node.key),
                unit=unit,
                direction=direction,
                metric_label=metric_label,
                unit_label=unit_label(unit),
                level_label=str(LEVEL_LABELS.get(node.level.value, node.level.value)),
                findings=by_node.get(node.key, []),
                orphan=orphan,
            )
        )
    return TreePage(root=tree.root, rows=rows, general_findings=general)


def metric_choices() -> list[dict[str, str]]:
    library = kpi.load_library()
    return [
        {
            "key": m.key,
            "zh": m.name_zh,
            "en": m.name_en,
            "unit": m.unit.value,
            "definition": m.definition_zh if _zh() else m.definition_en,
        }
        for m in library.metrics.values()
    ]


def metric_search(query: str) -> list[dict[str, str]]:
    """Metrics whose key, Chinese or English name contains ``query``."""
    needle = query.strip().lower()
    choices = metric_choices()
    if not needle:
        return choices
    return [
        c
        for c in choices
        if needle in c["key"].lower()
        or needle in c["zh"].lower()
        or needle in c["en"].lower()
    ]


# --- Targets grid -------------------------------------------------------------------

PERCENT_UNITS = {"percent"}


@dataclass(slots=True)
class Cell:
    node: str
    unit: str
    segment: str
    period: str
    grain: str  # year / quarter / month
    value: Decimal | None
    version: int
    shown: str  # the value as typed (percent ×100)
    implied: float | None = None  # sum of months for a period with no own target
    mismatch: float | None = None  # bottom-up value that disagrees with this target
    error: str = ""
    conflict: bool = False
    saved: bool = False


@dataclass(slots=True)
class GridRow:
    key: str
    label: str
    depth: int
    unit: str
    unit_label: str
    direction: str
    decomposition: str
    children: list[str]
    cells: list[Cell]


@dataclass(slots=True)
class TargetsGrid:
    year: int
    year_label: str
    segment: str
    columns: list[dict[str, str]]
    rows: list[GridRow]
    mismatch_count: int
    change_counts: dict[str, int]
    error: str = ""


def year_label(workbook: Workbook, year: int) -> str:
    return str(year) if workbook.fiscal_year_start_month == 1 else f"FY{year}"


def grid_periods(workbook: Workbook, year: int) -> list[tuple[str, str]]:
    """(label, grain): the year, then each quarter followed by its months."""
    fiscal = workbook.fiscal_year_start_month
    year_period = kpi.parse_period(year_label(workbook, year), fiscal)
    out = [(year_period.label, "year")]
    for quarter in year_period.subperiods(kpi.Grain.QUARTER):
        out.append((quarter.label, "quarter"))
        out += [(m.label, "month") for m in quarter.subperiods(kpi.Grain.MONTH)]
    return out


def shown_value(value: float | Decimal | None, unit: str) -> str:
    if value is None:
        return ""
    number = float(value) * (100 if unit in PERCENT_UNITS else 1)
    if not math.isfinite(number):
        return ""
    text = f"{number:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def targets_grid(
    workbook: Workbook, *, year: int, segment: dict[str, str] | None = None
) -> TargetsGrid:
    """Every node × (year, quarters, months) with version and roll-up check (2 queries)."""
    seg = segment_key(segment)
    library = kpi.load_library()
    periods = grid_periods(workbook, year)
    columns = [{"label": label, "grain": grain} for label, grain in periods]
    try:
        engine = kpi.workbook_from_data(workbook.document, library)
    except kpi.WorkbookError as err:
        return TargetsGrid(year, "", seg, columns, [], 0, {}, error=str(err))
    tree, lib = engine.tree, engine.library
    labels = {label for label, _grain in periods}
    stored = {
        (t.node_key, t.period): t
        for t in TargetValue.objects.filter(
            workbook=workbook, segment=seg, period__in=labels
        )
    }
    book = kpi.TargetBook(
        (
            kpi.Target(node=n, period=p, value=float(t.value), segment=())
            for (n, p), t in stored.items()
        ),
        fiscal_start=workbook.fiscal_year_start_month,
    )
    fiscal = workbook.fiscal_year_start_month
    mismatches: dict[tuple[str, str], float] = {}
    parsed = {label: kpi.parse_period(label, fiscal) for label in labels}
    for label, period in parsed.items():
        for mismatch in kpi.rollup_mismatches(tree, book, lib, period):
            mismatches[(mismatch.node, label)] = mismatch.bottom_up
    rows = []
    for node in tree.walk():
        try:
            unit = node_unit(tree, node.key, lib).value
            direction = node_direction(tree, node.key, lib).value
        except Exception:
            unit, direction = "", ""
        cells = []
        for label, grain in periods:
            target = stored.get((node.key, label))
            implied = None
            if target is None and grain != "month":
                got = book.get(tree, lib, node.key, parsed[label])
                implied = got.point if got is not None else None
            cells.append(
                Cell(
                    node=node.key,
                    unit=unit,
                    segment=seg,
                    period=label,
                    grain=grain,
                    value=target.value if target else None,
                    version=target.version if target else 0,
                    shown=shown_value(target.value if target else None, unit),
                    implied=implied,
                    mismatch=mismatches.get((node.key, label)),
                )
            )
        rows.append(
            GridRow(
                key=node.key,
                label=node_label(node, lib),
                depth=tree.depth(node.key),
                unit=unit,
                unit_label=unit_label(unit),
                direction=direction,
                decomposition=node.decomposition.value,
                children=list(node.child_keys),
                cells=cells,
            )
        )
    return TargetsGrid(
        year=year,
        year_label=year_label(workbook, year),
        segment=seg,
        columns=columns,
        rows=rows,
        mismatch_count=len(mismatches),
        change_counts={},
    )


def target_history(
    workbook: Workbook, *, node_key: str | None = None, limit: int = 100
) -> QuerySet[TargetChange]:
    changes = TargetChange.objects.filter(workbook=workbook).select_related(
        "changed_by"
    )
    if node_key:
        changes = changes.filter(node_key=node_key)
    return changes[:limit]


# --- Snapshots and sharing ----------------------------------------------------------


def snapshots_of(workbook: Workbook) -> QuerySet[Snapshot]:
    return workbook.snapshots.select_related("created_by").order_by("-created_at")


@dataclass(frozen=True, slots=True)
class ShareCandidate:
    user: User
    role: str
    shared: bool
    reason: str


def share_candidates(workbook: Workbook) -> list[ShareCandidate]:
    """The people this workbook may be shared with: coaches of the owner's cohorts
    (active enrolment) and the champions of the workbook's organization (``reason``
    says why); plus anyone it is still shared with, so the owner can stop sharing."""
    shared = {
        s.user_id: s
        for s in WorkbookShare.objects.filter(workbook=workbook).select_related("user")
    }
    out: dict[int, ShareCandidate] = {}
    cohorts = Cohort.objects.filter(
        pk__in=Enrolment.objects.filter(
            user_id=workbook.owner_id, status=EnrolmentStatus.ACTIVE
        ).values("cohort_id")
    ).prefetch_related("coaches")
    for cohort in cohorts:
        for coach in cohort.coaches.all():
            if coach.pk != workbook.owner_id and coach.pk not in out:
                out[coach.pk] = ShareCandidate(
                    coach, "coach", coach.pk in shared, cohort.name
                )
    if workbook.organization_id:
        champions = Membership.objects.filter(
            organization_id=workbook.organization_id, is_champion=True
        ).select_related("user", "organization")
        for membership in champions:
            user = membership.user
            if user.pk != workbook.owner_id and user.pk not in out:
                out[user.pk] = ShareCandidate(
                    user, "champion", user.pk in shared, membership.organization.name
                )
        named = CohortChampion.objects.filter(
            organization_id=workbook.organization_id
        ).select_related("user", "organization")
        for champion in named:  # named per cohort by the org admin or a coach
            user = champion.user
            if user.pk != workbook.owner_id and user.pk not in out:
                out[user.pk] = ShareCandidate(
                    user, "champion", user.pk in shared, champion.organization.name
                )
    for user_id, share in shared.items():  # still shared, no longer eligible
        if user_id not in out:
            out[user_id] = ShareCandidate(share.user, share.role, True, "")
    return list(out.values())


def shares_of(workbook: Workbook) -> QuerySet[WorkbookShare]:
    return WorkbookShare.objects.filter(workbook=workbook).select_related("user")


def workbooks_shared_with(user: User) -> QuerySet[Workbook]:
    return (
        Workbook.objects.filter(shares__user=user, archived_at__isnull=True)
        .select_related("owner")
        .annotate(snapshot_count=Count("snapshots"))
    )


@dataclass(slots=True)
class SnapshotRow:
    key: str
    label: str
    depth: int
    unit: str
    actual: float | None
    target: float | None
    attainment: float | None
    status: str
    targets: list[tuple[str, str]]


@dataclass(slots=True)
class SnapshotView:
    period: str
    rows: list[SnapshotRow]
    target_count: int
    error: str = ""


def snapshot_view(snapshot: Snapshot) -> SnapshotView:
    """The frozen tree with its frozen numbers; reads only the snapshot row."""
    library = kpi.load_library()
    document = dict(snapshot.document)
    stored_targets = document.get("targets", [])
    try:
        engine = kpi.workbook_from_data({**document, "targets": []}, library)
    except kpi.WorkbookError as err:
        return SnapshotView("", [], len(stored_targets), error=str(err))
    results = {n["key"]: n for n in (snapshot.actuals or {}).get("nodes", [])}
    by_node: dict[str, list[tuple[str, str]]] = {}
    tree, lib = engine.tree, engine.library
    rows = []
    units = {k: _unit_or_none(tree, k, lib) for k in tree.nodes}
    for item in stored_targets:
        if item.get("segment"):
            continue
        unit = units.get(item["node"])
        by_node.setdefault(item["node"], []).append(
            (item["period"], shown_value(item.get("value"), unit.value if unit else ""))
        )
    for node in tree.walk():
        result = results.get(node.key, {})
        unit = units.get(node.key)
        rows.append(
            SnapshotRow(
                key=node.key,
                label=node_label(node, lib),
                depth=tree.depth(node.key),
                unit=unit.value if unit else "",
                actual=result.get("actual"),
                target=result.get("target"),
                attainment=result.get("attainment"),
                status=result.get("status", ""),
                targets=sorted(by_node.get(node.key, [])),
            )
        )
    return SnapshotView(
        period=(snapshot.actuals or {}).get("period") or "",
        rows=rows,
        target_count=len(stored_targets),
    )
