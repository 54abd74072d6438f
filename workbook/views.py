from __future__ import annotations

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh, HttpResponseStopPolling

from accounts.models import Organization
from accounts.selectors import memberships_of
from cohorts.models import Cohort, EnrolmentStatus
from kpi import readers
from workbook import diagnosis, selectors, services
from workbook.access import workbook_for_viewer_or_404
from workbook.forms import (
    DatasetImportForm,
    DatasetUploadForm,
    WorkbookCreateForm,
    WorkbookFileForm,
)
from workbook.mapping import MappingForm, mapping_from_form, mapping_initial
from workbook.models import DatasetStatus, Workbook


@login_required
@require_GET
def workbook_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbook/workbook_list.html",
        {
            "workbooks": list(selectors.workbooks_of(request.user)),
            "archived": list(
                Workbook.objects.filter(
                    owner=request.user, archived_at__isnull=False
                ).only("pk", "name", "archived_at")
            ),
        },
    )


# Lesson "workbook exercise" steps (courses.blocks.WORKBOOK_STEPS) → workbook tabs.
STEP_TABS = {
    "tree": "workbook:tree",
    "role_kpis": "workbook:tree",
    "targets": "workbook:targets",
    "data": "workbook:data",
    "dashboard": "workbook:dashboard",
    "review": "workbook:reviews",
}


@login_required
@require_GET
def workbook_step(request: HttpRequest, step: str) -> HttpResponse:
    """Open the trainee's most recent workbook at the step a lesson points to."""
    if step not in STEP_TABS:
        raise Http404
    workbook = selectors.workbooks_of(request.user).first()
    if workbook is None:
        messages.info(
            request, _("Create your workbook first; the exercise continues there.")
        )
        return redirect("workbook:create")
    try:
        return redirect(STEP_TABS[step], pk=workbook.pk)
    except NoReverseMatch:
        return redirect("workbook:detail", pk=workbook.pk)


def _my_organizations(user):  # type: ignore[no-untyped-def]
    return Organization.objects.filter(
        pk__in=[m.organization_id for m in memberships_of(user)]
    )


@login_required
@require_http_methods(["GET", "POST"])
def workbook_create(request: HttpRequest) -> HttpResponse:
    organizations = _my_organizations(request.user)
    cohorts = Cohort.objects.filter(
        enrolments__user=request.user, enrolments__status=EnrolmentStatus.ACTIVE
    ).distinct()
    initial, prefill = ({}, None)
    if request.method == "GET":
        initial, prefill = diagnosis.create_form_initial(
            request.user, cohort_ids=set(cohorts.values_list("pk", flat=True))
        )
    form = WorkbookCreateForm(
        request.POST or None,
        organizations=organizations,
        cohorts=cohorts,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            workbook = services.workbook_create(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Workbook created."))
            return redirect("workbook:detail", pk=workbook.pk)
    return render(
        request,
        "workbook/workbook_create.html",
        {
            "form": form,
            "file_form": WorkbookFileForm(organizations=organizations),
            "prefill": prefill,
        },
    )


@login_required
@require_POST
def workbook_import(request: HttpRequest) -> HttpResponse:
    organizations = _my_organizations(request.user)
    file_form = WorkbookFileForm(
        request.POST, request.FILES, organizations=organizations
    )
    if file_form.is_valid():
        try:
            workbook = services.workbook_import_file(
                owner=request.user,
                raw=file_form.cleaned_data["workbook_file"].read(),
                organization=file_form.cleaned_data["organization"],
            )
        except services.WorkbookFileError as exc:
            file_form.add_error("workbook_file", str(exc))
        else:
            messages.success(request, _("Workbook created from the file."))
            return redirect("workbook:detail", pk=workbook.pk)
    return render(
        request,
        "workbook/workbook_create.html",
        {
            "form": WorkbookCreateForm(organizations=organizations),
            "file_form": file_form,
        },
        status=400,
    )


@login_required
@require_GET
def workbook_export_file(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, _can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    data = services.workbook_file_data(workbook=workbook)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="workbook-{workbook.pk}.json"'
    )
    return response


@login_required
@require_POST
def workbook_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = selectors.workbook_for_owner_or_404(user=request.user, pk=pk)
    copy = services.workbook_duplicate(workbook=workbook, user=request.user)
    messages.success(
        request,
        _("Copied the tree, targets and settings; imported data is not copied."),
    )
    return redirect("workbook:detail", pk=copy.pk)


@login_required
@require_POST
def workbook_archive(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = Workbook.objects.filter(pk=pk, owner=request.user).first()
    if workbook is None:
        raise Http404
    archived = request.POST.get("archived", "1") == "1"
    services.workbook_set_archived(
        workbook=workbook, user=request.user, archived=archived
    )
    if archived:
        messages.success(
            request, _("Workbook archived. You can restore it from the list.")
        )
        return redirect("workbook:list")
    messages.success(request, _("Workbook restored."))
    return redirect("workbook:detail", pk=workbook.pk)


@login_required
@require_GET
def workbook_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    datasets = list(selectors.datasets_of(workbook)[:5])
    nodes = workbook.document.get("tree", {}).get("nodes", [])
    return render(
        request,
        "workbook/workbook_detail.html",
        {
            "workbook": workbook,
            "datasets": datasets,
            "node_count": len(nodes),
            "can_edit": can_edit,
        },
    )


@login_required
@require_GET
def data_index(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = selectors.workbook_for_owner_or_404(user=request.user, pk=pk)
    return render(
        request,
        "workbook/data.html",
        {
            "workbook": workbook,
            "datasets": list(selectors.datasets_of(workbook)),
            "form": DatasetUploadForm(),
        },
    )


@login_required
@require_POST
def data_upload(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = selectors.workbook_for_owner_or_404(user=request.user, pk=pk)
    form = DatasetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "workbook/data.html",
            {
                "workbook": workbook,
                "datasets": list(selectors.datasets_of(workbook)),
                "form": form,
            },
            status=400,
        )
    dataset = services.dataset_upload(
        workbook=workbook, user=request.user, uploaded=form.cleaned_data["file"]
    )
    return redirect("workbook:dataset", pk=workbook.pk, dataset_pk=dataset.pk)


def _preview(dataset) -> readers.Preview | None:  # type: ignore[no-untyped-def]
    with dataset.file.open("rb") as handle:
        return readers.preview(handle.read(), rows=8, name=dataset.original_name)


@login_required
@require_http_methods(["GET", "POST"])
def dataset_detail(request: HttpRequest, pk: int, dataset_pk: int) -> HttpResponse:
    dataset = selectors.dataset_for_owner_or_404(
        user=request.user, workbook_pk=pk, pk=dataset_pk
    )
    initial = {
        "format_key": dataset.format_key,
        "period": _period_text(dataset),
        "mode": dataset.mode,
    }
    form = DatasetImportForm(request.POST or None, initial=initial)
    preview = mapping_form = None
    chosen = (
        request.POST.get("format_key") if request.method == "POST" else None
    ) or dataset.format_key
    info = selectors.format_info(chosen)
    if info is not None and info.kind == readers.FormatKind.GENERIC:
        preview = _preview(dataset)
        header = list(preview.header) if preview else []
        saved = selectors.saved_mapping_for(dataset=dataset, header=header)
        mapping_form = MappingForm(
            request.POST or None,
            header=header,
            initial=mapping_initial(
                preview, saved.mapping if saved else dataset.mapping
            ),
        )
    if (
        request.method == "POST"
        and form.is_valid()
        and (mapping_form is None or mapping_form.is_valid())
    ):
        mapping = None
        if mapping_form is not None:
            mapping = mapping_from_form(mapping_form)
            if mapping_form.cleaned_data.get("save_mapping"):
                services.mapping_save(
                    user=request.user,
                    organization=dataset.workbook.organization,
                    name=mapping_form.cleaned_data.get("mapping_name")
                    or dataset.original_name,
                    header=mapping_form.header,
                    mapping=mapping,
                )
        try:
            services.dataset_queue(
                dataset=dataset,
                user=request.user,
                choice=services.ImportChoice(
                    format_key=form.cleaned_data["format_key"],
                    period=form.cleaned_data["period"].strip(),
                    mode=form.cleaned_data["mode"],
                    mapping=mapping,
                ),
            )
        except (ValidationError, ValueError) as exc:
            form.add_error(
                None, exc.messages if isinstance(exc, ValidationError) else str(exc)
            )
        else:
            return redirect("workbook:dataset", pk=pk, dataset_pk=dataset.pk)
    if preview is None and dataset.status in {
        DatasetStatus.UPLOADED,
        DatasetStatus.FAILED,
    }:
        preview = _preview(dataset)
    return render(
        request,
        "workbook/dataset.html",
        _dataset_context(
            dataset, form=form, mapping_form=mapping_form, preview=preview
        ),
    )


def _period_text(dataset) -> str:  # type: ignore[no-untyped-def]
    if dataset.period_start and dataset.period_end:
        return str(readers.Period(dataset.period_start, dataset.period_end))
    return ""


def _grouped(value: float, *, money: bool) -> str:
    """Money to the cent, whole counts without decimals; thousands grouped by commas."""
    if money or not float(value).is_integer():
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def _dataset_context(dataset, **extra):  # type: ignore[no-untyped-def]
    chinese = (get_language() or "").startswith("zh")
    labels = selectors.metric_labels()
    totals = [
        {
            **row,
            "label": labels.get(row["metric"], {}).get(
                "zh" if chinese else "en", row["metric"]
            ),
            "display": _grouped(row["value"], money=bool(row["currency"])),
        }
        for row in dataset.totals
    ]
    info = selectors.format_info(dataset.format_key)
    detected = selectors.format_info(dataset.detected_format)
    return {
        "workbook": dataset.workbook,
        "dataset": dataset,
        "totals": totals,
        "format_label": (info.label_zh if chinese else info.label_en) if info else "",
        "detected_label": (detected.label_zh if chinese else detected.label_en)
        if detected
        else "",
        "reason": dataset.detection_reason.get("zh" if chinese else "en", ""),
        "confidence_pct": round(dataset.detection_confidence * 100),
        "failure": dataset.failure.get("zh" if chinese else "en", ""),
        "language_key": "zh" if chinese else "en",
        **extra,
    }


@login_required
@require_GET
def dataset_status(request: HttpRequest, pk: int, dataset_pk: int) -> HttpResponse:
    dataset = selectors.dataset_for_owner_or_404(
        user=request.user, workbook_pk=pk, pk=dataset_pk
    )
    if dataset.status == DatasetStatus.FAILED:
        return HttpResponseClientRefresh()  # the full page then offers the retry form
    response = render(
        request, "workbook/dataset.html#status", _dataset_context(dataset)
    )
    if not dataset.is_running:
        response.status_code = HttpResponseStopPolling.status_code
    return response


@login_required
@require_GET
def dataset_download(request: HttpRequest, pk: int, dataset_pk: int) -> FileResponse:
    dataset = selectors.dataset_for_owner_or_404(
        user=request.user, workbook_pk=pk, pk=dataset_pk
    )
    return FileResponse(
        dataset.file.open("rb"), as_attachment=True, filename=dataset.original_name
    )


@login_required
@require_GET
def dataset_errors(request: HttpRequest, pk: int, dataset_pk: int) -> HttpResponse:
    """The row report as CSV; every cell escaped so a spreadsheet never runs it."""
    dataset = selectors.dataset_for_owner_or_404(
        user=request.user, workbook_pk=pk, pk=dataset_pk
    )
    key = "zh" if (get_language() or "").startswith("zh") else "en"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("Row"), _("Column"), _("Reason"), _("Value")])
    for error in [*dataset.errors, *dataset.warnings]:
        writer.writerow(
            [
                error.get("row") or "",
                readers.escape_cell(str(error.get("column", ""))),
                readers.escape_cell(str(error.get(key, ""))),
                readers.escape_cell(str(error.get("value", ""))),
            ]
        )
    response = HttpResponse(
        "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="dataset-{dataset.pk}-report.csv"'
    )
    return response


@login_required
@require_POST
def dataset_delete(request: HttpRequest, pk: int, dataset_pk: int) -> HttpResponse:
    dataset = selectors.dataset_for_owner_or_404(
        user=request.user, workbook_pk=pk, pk=dataset_pk
    )
    try:
        services.dataset_delete(dataset=dataset, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("workbook:dataset", pk=pk, dataset_pk=dataset_pk)
    messages.success(request, _("The dataset and its numbers were deleted."))
    return redirect("workbook:data", pk=pk)
