"""Exports of a workbook: an Excel file (tree, targets, actuals) and a PDF report
(tree, charts, targets, latest review), both prepared by the job worker.

The PDF is the dashboard's HTML and SVG charts (workbook/charts.py) printed by
WeasyPrint with Noto Sans CJK, so Chinese is real text in the file.
"""

from __future__ import annotations

import io
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

import kpi
from accounts.models import User
from kpi.readers import escape_cell
from workbook import charts
from workbook.evaluation import (
    WorkbookEvaluation,
    available_periods,
    evaluate_workbook,
    parse_document,
)
from workbook.facts import facts_frame
from workbook.models import (
    ActionItem,
    ReportJob,
    ReportKind,
    ReportStatus,
    TargetValue,
    WeeklyReview,
    Workbook,
)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------ selectors
def jobs_of(*, workbook: Workbook, user: User) -> QuerySet[ReportJob]:
    return ReportJob.objects.filter(workbook=workbook, requested_by=user).order_by(
        "-created_at"
    )[:10]


def job_for_viewer_or_404(*, workbook: Workbook, user: User, pk: int) -> ReportJob:
    job = ReportJob.objects.filter(pk=pk, workbook=workbook, requested_by=user).first()
    if job is None:
        raise Http404
    return job


def download_name(job: ReportJob) -> str:
    stem = (
        slugify(job.workbook.name, allow_unicode=True) or f"workbook-{job.workbook_id}"
    )
    suffix = f"-{job.period}" if job.period else ""
    return f"{stem}{suffix}.{job.kind}"


# ------------------------------------------------------------------- services
def report_request(
    *, workbook: Workbook, user: User, kind: str, period_label: str = ""
) -> ReportJob:
    """Queue an export. Anyone who may view the workbook may export it."""
    from django_q.tasks import async_task

    job = ReportJob.objects.create(
        workbook=workbook, requested_by=user, kind=kind, period=period_label[:20]
    )
    language = translation.get_language() or "zh-hans"

    def enqueue() -> None:
        task_id = async_task("workbook.tasks_reports.build_report", job.pk, language)
        ReportJob.objects.filter(pk=job.pk).update(task_id=str(task_id or ""))

    transaction.on_commit(enqueue)
    return job


def report_build(*, job_id: int, language: str = "zh-hans") -> ReportJob:
    """Prepare the file of a queued job (runs in the worker)."""
    job = ReportJob.objects.select_related("workbook", "workbook__owner").get(pk=job_id)
    if job.status == ReportStatus.DONE:
        return job
    ReportJob.objects.filter(pk=job.pk).update(status=ReportStatus.RUNNING)
    try:
        with translation.override(language):
            if job.kind == ReportKind.XLSX:
                content = build_xlsx(job.workbook, period_label=job.period or None)
            else:
                content = build_pdf(
                    job.workbook, period_label=job.period or None, language=language
                )
    except Exception as err:  # the job records why; the page shows it
        job.status = ReportStatus.FAILED
        job.failure = f"{err.__class__.__name__}: {err}"[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "failure", "finished_at"])
        return job
    job.file.save(download_name(job), ContentFile(content), save=False)
    job.status = ReportStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "finished_at"])
    return job


# ----------------------------------------------------------------------- XLSX
def _text(value: object) -> str:
    return escape_cell("" if value is None else str(value))


def build_xlsx(workbook: Workbook, *, period_label: str | None = None) -> bytes:
    """Tree, targets and actuals; numbers are numbers, text is escaped text."""
    from openpyxl import Workbook as Book
    from openpyxl.styles import Font

    parsed = parse_document(workbook)
    tree, library = parsed.tree, parsed.library
    book = Book()
    bold = Font(bold=True)

    sheet = book.active
    sheet.title = _("Metric tree")[:31]
    sheet.append(
        [
            "key",
            "name_zh",
            "name_en",
            "metric",
            "decomposition",
            "children",
            "formula",
            "segment",
            "level",
            "owners",
            "direction",
        ]
    )
    for node in [*tree.walk(), *(tree.nodes[k] for k in tree.orphans())]:
        children = ", ".join(("-" if c.sign < 0 else "") + c.key for c in node.children)
        sheet.append(
            [
                _text(node.key),
                _text(node.name_zh),
                _text(node.name_en),
                _text(node.metric or ""),
                _text(node.decomposition.value),
                _text(children),
                _text(node.formula or ""),
                _text(";".join(f"{k}={v}" for k, v in node.segment)),
                _text(node.level.value),
                _text("; ".join(o.person or o.role for o in node.owners)),
                _text(kpi.Direction(node.direction).value if node.direction else ""),
            ]
        )

    targets = book.create_sheet(_("Targets")[:31])
    targets.append(["node", "period", "segment", "value"])
    for node_key, period, segment, value in (
        TargetValue.objects.filter(workbook=workbook)
        .order_by("node_key", "period", "segment")
        .values_list("node_key", "period", "segment", "value")
    ):
        targets.append([_text(node_key), _text(period), _text(segment), float(value)])

    actuals = book.create_sheet(_("Actuals")[:31])
    actuals.append(
        ["node", "name", "period", "actual", "target", "attainment", "status"]
    )
    facts = facts_frame(workbook)
    periods = available_periods(
        facts, kpi.Grain(workbook.period_grain), workbook.fiscal_year_start_month
    )
    if period_label:
        periods = [p for p in periods if p.label <= period_label] or periods
    if periods:
        evaluation = evaluate_workbook(
            workbook=workbook, period_label=periods[-1].label, with_health=False
        )
        book_targets = evaluation.targets
        segment = kpi.segment_of(evaluation.segment)
        for node in tree.walk():
            trend = dict(kpi.node_trend(tree, library, evaluation.cube, node.key))
            for period in periods[-len(evaluation.periods) :]:
                actual = trend.get(period)
                target = book_targets.get(tree, library, node.key, period, segment)
                point = None if target is None else target.point
                result = kpi.attainment(
                    actual, point, evaluation.nodes[node.key].direction
                )
                actuals.append(
                    [
                        _text(node.key),
                        _text(charts.node_label(evaluation, node.key, "zh")),
                        _text(period.label),
                        actual,
                        point,
                        result,
                        _text(
                            evaluation.nodes[node.key].status.value
                            if period == evaluation.period
                            else ""
                        ),
                    ]
                )
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max(len(str(c.value or "")) for c in column)
            ws.column_dimensions[column[0].column_letter].width = min(
                max(10, width + 2), 48
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ------------------------------------------------------------------------ PDF
def report_context(
    evaluation: WorkbookEvaluation, workbook: Workbook, language: str
) -> dict[str, object]:
    """What the PDF shows: tree, charts for the root and off-track KPIs, the
    period's targets, and the latest review."""
    from workbook.views_insight import drill_context, node_cards

    root = evaluation.nodes[evaluation.root]
    focus = ([root.key] if root.actual is not None else []) + [
        node.key
        for _depth, node in evaluation.ordered()
        if node.status is kpi.Status.OFF_TRACK and node.key != evaluation.root
    ]
    sections = [drill_context(evaluation, key, "target", language) for key in focus[:4]]
    for section in sections:
        if not section["attribution"].defined:  # type: ignore[attr-defined]
            section.update(
                drill_context(evaluation, section["node_key"], "prior", language)
            )  # type: ignore[arg-type]
    review = (
        WeeklyReview.objects.filter(workbook=workbook)
        .prefetch_related("findings")
        .order_by("-period")
        .first()
    )
    items = (
        list(
            ActionItem.objects.filter(workbook=workbook, review=review).select_related(
                "owner"
            )
        )
        if review
        else []
    )
    labels = {
        key: charts.node_label(evaluation, key, language) for key in evaluation.nodes
    }
    return {
        "workbook": workbook,
        "evaluation": evaluation,
        "cards": node_cards(evaluation, language),
        "sections": sections,
        "review": review,
        "review_findings": [
            (
                f,
                labels.get(f.node_key, f.node_key),
                labels.get(f.driver_key, f.driver_key),
            )
            for f in (review.findings.all() if review else [])
        ],
        "review_items": items,
        "generated": timezone.localtime(),
        "freshness": evaluation.freshness,
    }


def build_pdf(
    workbook: Workbook, *, period_label: str | None = None, language: str = "zh-hans"
) -> bytes:
    from weasyprint import HTML

    evaluation = evaluate_workbook(
        workbook=workbook,
        period_label=period_label,
        versus="target",
        across="marketplace",
    )
    html = render_to_string(
        "workbook/insight/report_pdf.html",
        report_context(evaluation, workbook, language),
    )
    return HTML(string=html, base_url=None).write_pdf()


def timed_pdf(
    workbook: Workbook, period_label: str | None = None
) -> tuple[bytes, float]:
    """The PDF and the seconds it took (benchmarks and the report note)."""
    start = time.perf_counter()
    content = build_pdf(workbook, period_label=period_label)
    return content, time.perf_counter() - start
