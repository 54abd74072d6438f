"""Insight pages of a workbook: dashboard, weekly review, exports.

Views parse input, call one selector or service, render; htmx requests get the
fragment of the same template (`"x.html#fragment"`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseStopPolling

import kpi
from workbook import charts, reports, reviews
from workbook.access import workbook_for_editor_or_404, workbook_for_viewer_or_404
from workbook.evaluation import (
    EvaluationError,
    WorkbookEvaluation,
    available_periods,
    evaluate_workbook,
    node_labels,
)
from workbook.facts import facts_frame
from workbook.forms_insight import (
    ActionItemForm,
    ActionStatusForm,
    FindingCauseForm,
    ReviewCompleteForm,
)
from workbook.models import ReportKind, ReportStatus, Workbook

STATUS_BADGES = {
    kpi.Status.ON_TRACK: "good",
    kpi.Status.AT_RISK: "warn",
    kpi.Status.OFF_TRACK: "bad",
    kpi.Status.NO_TARGET: "info",
    kpi.Status.NO_DATA: "",
}


def status_label(status: str) -> str:
    return {
        kpi.Status.ON_TRACK: _("On track"),
        kpi.Status.AT_RISK: _("At risk"),
        kpi.Status.OFF_TRACK: _("Off track"),
        kpi.Status.NO_TARGET: _("No target set"),
        kpi.Status.NO_DATA: _("No data"),
    }.get(kpi.Status(status), status)


# ----------------------------------------------------------- presentation
@dataclass(frozen=True, slots=True)
class NodeCard:
    key: str
    label: str
    depth: int
    actual: str
    target: str
    attainment: str
    status: str
    status_label: str
    badge: str
    change: str
    reasons: str
    flagged: bool
    has_children: bool


def node_cards(evaluation: WorkbookEvaluation, language: str) -> list[NodeCard]:
    currency = evaluation.settings.reporting_currency
    flagged = {f.node for f in evaluation.findings if f.node}
    chinese = charts.is_chinese(language)
    cards = []
    for depth, node in evaluation.ordered():

        def fmt(value: float | None, unit: kpi.Unit = node.unit) -> str:
            return charts.format_value(
                value, unit, currency=currency, language=language
            )

        reasons = "; ".join(zh if chinese else en for zh, en in node.reasons)
        cards.append(
            NodeCard(
                key=node.key,
                label=charts.node_label(evaluation, node.key, language),
                depth=depth,
                actual=fmt(node.actual),
                target=fmt(node.target),
                attainment=charts.format_share(node.attainment),
                status=node.status.value,
                status_label=status_label(node.status),
                badge=STATUS_BADGES[node.status],
                change=charts.format_signed(
                    node.change, node.unit, currency=currency, language=language
                ),
                reasons=reasons,
                flagged=node.key in flagged,
                has_children=bool(evaluation.tree.nodes[node.key].children),
            )
        )
    return cards


def drill_context(
    evaluation: WorkbookEvaluation, key: str, versus: str, language: str
) -> dict[str, object]:
    """Trend, segment breakdown and waterfall of one node."""
    node = evaluation.nodes[key]
    currency = evaluation.settings.reporting_currency
    label = charts.node_label(evaluation, key, language)
    trend = charts.trend_chart(
        evaluation.trend(key),
        unit=node.unit,
        currency=currency,
        language=language,
        words=charts.ChartText(
            title=_("%(kpi)s over time") % {"kpi": label},
            actual=_("Actual"),
            target=_("Target"),
            empty=_("No data for this KPI yet."),
        ),
    )
    breakdown = charts.bar_chart(
        charts.segment_bars(evaluation.breakdown(key)),
        unit=node.unit,
        currency=currency,
        language=language,
        title=_("%(kpi)s by %(field)s")
        % {"kpi": label, "field": segment_field_label(evaluation.across or "")},
        empty=_("No breakdown for this KPI in this period."),
        target_word=_("Target"),
    )
    steps, attribution = charts.waterfall_steps(
        evaluation,
        key,
        versus,
        language=language,
        base_word=_("Target") if versus == "target" else _("Previous period"),
        actual_word=_("Actual"),
    )
    waterfall = charts.waterfall_chart(
        steps,
        unit=node.unit,
        currency=currency,
        language=language,
        title=_("Attribution waterfall of %(kpi)s") % {"kpi": label},
        empty=_("No attribution for this KPI."),
    )
    chinese = charts.is_chinese(language)
    return {
        "node": node,
        "node_key": key,
        "node_label": label,
        "has_children": bool(evaluation.tree.nodes[key].children),
        "trend_svg": trend,
        "breakdown_svg": breakdown,
        "waterfall_svg": waterfall,
        "attribution": attribution,
        "attribution_note": _(
            "Some segments lack a driver's data, so the split is computed on totals."
        )
        if attribution.note
        else "",
        "attribution_reason": attribution_reason(
            attribution.reason, evaluation, language
        ),
        "versus": versus,
        "node_findings": [
            f.message_zh if chinese else f.message_en
            for f in evaluation.findings_for(key)
        ],
    }


def attribution_reason(
    reason: str, evaluation: WorkbookEvaluation, language: str
) -> str:
    """The engine's reason (English) in the reader's words."""
    if not reason:
        return ""
    if reason == "node has no children":
        return _("This KPI has no drivers below it.")
    if reason.startswith("node has no"):
        return _("This KPI has no actual or no comparison value for this period.")
    match = re.match(r"child '(.+)' has no (\w+)", reason)
    if match:
        child = charts.node_label(evaluation, match.group(1), language)
        return _("Its driver “%(driver)s” has no value to compare for this period.") % {
            "driver": child
        }
    if "formula has no value" in reason:
        return _("The formula has no value for some mix of the drivers' values.")
    return reason


def segment_field_label(name: str) -> str:
    return {
        "platform": _("Platform"),
        "marketplace": _("Marketplace (site)"),
        "category": _("Category"),
    }.get(name, name)


def _dashboard_context(
    request: HttpRequest, workbook: Workbook, can_edit: bool
) -> dict[str, object]:
    language = get_language() or "zh-hans"
    segment = {
        name: request.GET.get(name, "").strip()[:120]
        for name in ("platform", "marketplace")
        if request.GET.get(name, "").strip()
    }
    versus = request.GET.get("versus", "target")
    versus = versus if versus in ("prior", "target") else "target"
    period_label = request.GET.get("period", "").strip() or None
    try:
        evaluation = evaluate_workbook(
            workbook=workbook,
            period_label=period_label,
            segment=segment,
            versus=versus,
            across="marketplace" if "marketplace" not in segment else "platform",
        )
    except EvaluationError as err:
        if period_label is None:
            raise
        messages.error(
            request, _("That period cannot be shown: %(reason)s") % {"reason": err}
        )
        evaluation = evaluate_workbook(
            workbook=workbook, segment=segment, versus=versus, across="marketplace"
        )
    key = request.GET.get("node") or _worst_node(evaluation)
    if key not in evaluation.nodes:
        key = evaluation.root
    chinese = charts.is_chinese(language)
    return {
        "workbook": workbook,
        "can_edit": can_edit,
        "evaluation": evaluation,
        "cards": node_cards(evaluation, language),
        "period": evaluation.period.label,
        "period_choices": _period_choices(evaluation),
        "segment": segment,
        "segment_options": evaluation.segment_options,
        "versus": versus,
        "freshness": evaluation.freshness,
        "findings": [
            {
                "severity": f.severity.value,
                "message": f.message_zh if chinese else f.message_en,
                "node": charts.node_label(evaluation, f.node, language)
                if f.node
                else "",
            }
            for f in evaluation.findings
        ],
        **drill_context(evaluation, key, versus, language),
    }


def _period_choices(evaluation: WorkbookEvaluation) -> list[str]:
    labels = [p.label for p in evaluation.data_periods]
    if evaluation.period.label not in labels:
        labels.append(evaluation.period.label)
    return sorted(labels, reverse=True)


def _worst_node(evaluation: WorkbookEvaluation) -> str:
    """Open the drill-down on the first off-track KPI (else the root)."""
    for _depth, node in evaluation.ordered():
        if node.status is kpi.Status.OFF_TRACK:
            return node.key
    return evaluation.root


# ------------------------------------------------------------------ dashboard
@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    try:
        context = _dashboard_context(request, workbook, can_edit)
    except EvaluationError as err:
        return render(
            request,
            "workbook/insight/dashboard_broken.html",
            {"workbook": workbook, "reason": str(err)},
        )
    template = "workbook/insight/dashboard.html"
    if request.htmx:
        target = request.htmx.target or ""
        fragment = "drill" if target == "drill" else "dashboard-body"
        response = render(request, f"{template}#{fragment}", context)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- weekly review
@login_required
@require_GET
def review_list(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    facts = facts_frame(workbook)
    periods = available_periods(
        facts, kpi.Grain(workbook.period_grain), workbook.fiscal_year_start_month
    )
    return render(
        request,
        "workbook/insight/reviews.html",
        {
            "workbook": workbook,
            "can_edit": can_edit,
            "reviews": list(reviews.reviews_of(workbook)),
            "period_choices": [p.label for p in reversed(periods)],
            "open_items": reviews.open_action_items_of(workbook),
        },
    )


@login_required
@require_POST
def review_start(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    try:
        review = reviews.review_start(
            workbook=workbook,
            user=request.user,
            period_label=request.POST.get("period", "").strip(),
        )
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
        return redirect("workbook:reviews", pk=pk)
    return redirect("workbook:review", pk=pk, review_pk=review.pk)


def _review_context(
    request: HttpRequest, workbook: Workbook, can_edit: bool, review_pk: int
) -> dict[str, object]:
    review = reviews.review_for_workbook_or_404(workbook=workbook, pk=review_pk)
    detail = reviews.review_detail(review)
    language = get_language() or "zh-hans"
    try:
        parsed = node_labels(workbook)
    except EvaluationError:
        parsed = None
    currency = workbook.reporting_currency
    findings = []
    people = reviews.assignable_people(workbook) if can_edit else []
    for finding, items in detail["findings"]:  # type: ignore[attr-defined]
        unit = parsed.unit(finding.node_key) if parsed else kpi.Unit.COUNT
        findings.append(
            {
                "finding": finding,
                "label": parsed.label(finding.node_key, language)
                if parsed
                else finding.node_key,
                "driver": parsed.label(finding.driver_key, language)
                if parsed and finding.driver_key
                else finding.driver_key,
                "actual": charts.format_value(
                    finding.actual, unit, currency=currency, language=language
                ),
                "target": charts.format_value(
                    finding.target, unit, currency=currency, language=language
                ),
                "effect": charts.format_signed(
                    finding.driver_effect, unit, currency=currency, language=language
                ),
                "status_label": status_label(finding.status),
                "badge": STATUS_BADGES.get(kpi.Status(finding.status), ""),
                "items": items,
                "cause_form": FindingCauseForm(
                    initial={"cause": finding.cause}, prefix=f"f{finding.pk}"
                ),
                "action_form": ActionItemForm(
                    people=people,
                    initial={"finding": finding.pk},
                    prefix=f"a{finding.pk}",
                ),
            }
        )
    return {
        "workbook": workbook,
        "can_edit": can_edit,
        "review": review,
        "findings": findings,
        "general_items": detail["general_items"],
        "carried_items": detail["carried_items"],
        "general_form": ActionItemForm(people=people, prefix="general"),
        "complete_form": ReviewCompleteForm(initial={"summary": review.summary}),
        "status_choices": reviews.ActionItemStatus.choices,
    }


@login_required
@require_GET
def review_detail(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    context = _review_context(request, workbook, can_edit, review_pk)
    return render(request, "workbook/insight/review.html", context)


@login_required
@require_POST
def finding_cause(
    request: HttpRequest, pk: int, review_pk: int, finding_pk: int
) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    review = reviews.review_for_workbook_or_404(workbook=workbook, pk=review_pk)
    finding = review.findings.filter(pk=finding_pk).first()
    if finding is None:
        raise Http404
    form = FindingCauseForm(request.POST, prefix=f"f{finding.pk}")
    if form.is_valid():
        reviews.finding_update(
            finding=finding, user=request.user, cause=form.cleaned_data["cause"]
        )
    if request.htmx:
        return render(
            request,
            "workbook/insight/review.html#cause-saved",
            {"f": finding, "saved": form.is_valid()},
        )
    messages.success(request, _("Cause saved."))
    return redirect(
        reverse("workbook:review", args=[pk, review_pk]) + f"#f{finding.pk}"
    )


@login_required
@require_POST
def action_create(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    review = reviews.review_for_workbook_or_404(workbook=workbook, pk=review_pk)
    prefix = request.POST.get("prefix", "general")
    form = ActionItemForm(
        request.POST, people=reviews.assignable_people(workbook), prefix=prefix
    )
    if form.is_valid():
        finding = None
        if form.cleaned_data.get("finding"):
            finding = review.findings.filter(pk=form.cleaned_data["finding"]).first()
        try:
            reviews.action_item_create(
                review=review,
                user=request.user,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                finding=finding,
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("Action item added."))
    else:
        messages.error(request, _("The action item needs a description and an owner."))
    return redirect("workbook:review", pk=pk, review_pk=review_pk)


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    workbook, _can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    item = reviews.action_item_for_workbook_or_404(workbook=workbook, pk=item_pk)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    try:
        reviews.action_item_set_status(
            item=item, user=request.user, status=form.cleaned_data["status"]
        )
    except PermissionDenied:
        raise Http404 from None
    if request.htmx:
        return render(
            request,
            "workbook/insight/review.html#action-item",
            {
                "item": item,
                "workbook": workbook,
                "can_edit": True,
                "status_choices": reviews.ActionItemStatus.choices,
            },
        )
    back = request.POST.get("next") or reverse("workbook:reviews", args=[pk])
    if not back.startswith("/"):
        back = reverse("workbook:reviews", args=[pk])
    return redirect(back)


@login_required
@require_POST
def review_complete(request: HttpRequest, pk: int, review_pk: int) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    review = reviews.review_for_workbook_or_404(workbook=workbook, pk=review_pk)
    form = ReviewCompleteForm(request.POST)
    if form.is_valid():
        reviews.review_complete(
            review=review, user=request.user, summary=form.cleaned_data["summary"]
        )
        messages.success(request, _("Review marked as done."))
    return redirect("workbook:review", pk=pk, review_pk=review_pk)


# -------------------------------------------------------------------- exports
@login_required
@require_GET
def exports(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    facts = facts_frame(workbook)
    periods = available_periods(
        facts, kpi.Grain(workbook.period_grain), workbook.fiscal_year_start_month
    )
    return render(
        request,
        "workbook/insight/exports.html",
        {
            "workbook": workbook,
            "can_edit": can_edit,
            "jobs": list(reports.jobs_of(workbook=workbook, user=request.user)),
            "period_choices": [p.label for p in reversed(periods)],
        },
    )


@login_required
@require_POST
def export_request(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, _can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    kind = request.POST.get("kind", "")
    if kind not in ReportKind.values:
        return HttpResponse(status=400)
    reports.report_request(
        workbook=workbook,
        user=request.user,
        kind=kind,
        period_label=request.POST.get("period", "").strip(),
    )
    messages.success(request, _("Your export is being prepared."))
    return redirect("workbook:exports", pk=pk)


@login_required
@require_GET
def export_status(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    workbook, _can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    job = reports.job_for_viewer_or_404(workbook=workbook, user=request.user, pk=job_pk)
    response = render(
        request,
        "workbook/insight/exports.html#job",
        {"job": job, "workbook": workbook},
    )
    if request.htmx and job.status in (ReportStatus.DONE, ReportStatus.FAILED):
        stop = HttpResponseStopPolling(response.content)
        return stop
    return response


@login_required
@require_GET
def export_download(request: HttpRequest, pk: int, job_pk: int) -> HttpResponse:
    workbook, _can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    job = reports.job_for_viewer_or_404(workbook=workbook, user=request.user, pk=job_pk)
    if job.status != ReportStatus.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=reports.download_name(job),
    )
