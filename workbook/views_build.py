"""Views of the build pages: the metric tree, the targets grid, snapshots, sharing.

Reads take the workbook from `workbook_for_viewer_or_404` (owner or shared
read-only); writes from `workbook_for_editor_or_404` (owner; anyone else 404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import (
    HttpResponseClientRedirect,
    reswap,
    retarget,
    trigger_client_event,
)

import kpi
from workbook import selectors_build as sel
from workbook import sharing, snapshots, targets, tree
from workbook.access import workbook_for_editor_or_404, workbook_for_viewer_or_404
from workbook.forms_build import (
    AllocateForm,
    MoveNodeForm,
    NodeForm,
    RemoveNodeForm,
    ShareForm,
    SnapshotForm,
    TargetCellForm,
)
from workbook.models import Workbook

TREE = "workbook/build/tree.html"
NODE_FORM = "workbook/build/node_form.html"
TARGETS = "workbook/build/targets.html"


def _messages(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- Tree ---------------------------------------------------------------------------


def _tree_context(workbook: Workbook, can_edit: bool) -> dict[str, Any]:
    return {
        "workbook": workbook,
        "can_edit": can_edit,
        "page": sel.tree_page(workbook),
        "metrics": sel.metric_choices(),
    }


@login_required
@require_GET
def tree_index(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    template = f"{TREE}#tree" if request.htmx else TREE
    return render(request, template, _tree_context(workbook, can_edit))


def _parents(workbook: Workbook) -> list[tuple[str, str]]:
    page = sel.tree_page(workbook)
    return [(r.key, f"{'· ' * r.depth}{r.label} ({r.key})") for r in page.rows]


def _node_saved(request: HttpRequest, workbook: Workbook, message: str) -> HttpResponse:
    if request.htmx:
        response = render(request, f"{TREE}#tree", _tree_context(workbook, True))
        response = reswap(retarget(response, "#tree-layout"), "outerHTML")
        return trigger_client_event(response, "tree-changed", {"message": message})
    messages.success(request, message)
    return redirect("workbook:tree", pk=workbook.pk)


def _node_form_page(
    request: HttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = f"{NODE_FORM}#form" if request.htmx else NODE_FORM
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def tree_node_add(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    parents = _parents(workbook)
    form = NodeForm(
        request.POST or None,
        parents=parents,
        initial={
            "parent": request.GET.get("parent") or workbook.document["tree"]["root"]
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        parent, key = data.pop("parent"), data.pop("key")
        try:
            workbook = tree.tree_node_add(
                workbook=workbook,
                user=request.user,
                parent_key=parent,
                key=key,
                values=data,
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            return _node_saved(request, workbook, _("Metric added."))
    return _node_form_page(
        request,
        {
            "workbook": workbook,
            "form": form,
            "adding": True,
            "metrics": sel.metric_choices(),
        },
    )


def _node_or_404(workbook: Workbook, key: str) -> dict[str, Any]:
    for node in workbook.document.get("tree", {}).get("nodes", []):
        if node["key"] == key:
            return node
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def tree_node_edit(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    node = _node_or_404(workbook, key)
    owner = (node.get("owners") or [{}])[0]
    initial = {
        "metric": node.get("metric", ""),
        "name_zh": node.get("name_zh", ""),
        "name_en": node.get("name_en", ""),
        "decomposition": node.get("decomposition", "none"),
        "formula": node.get("formula", ""),
        "level": node.get("level", "role"),
        "owner_role": owner.get("role", ""),
        "owner_person": owner.get("person", ""),
    }
    form = NodeForm(request.POST or None, initial=initial)
    subtree = set(tree.subtree_keys(workbook.document, key))
    move_form = MoveNodeForm(
        parents=[p for p in _parents(workbook) if p[0] not in subtree]
    )
    if request.method == "POST" and form.is_valid():
        problem = None
        if form.cleaned_data.get("decomposition") == "formula":
            problem = tree.formula_problem(
                workbook=workbook, key=key, text=form.cleaned_data.get("formula", "")
            )
        if problem is not None:
            form.add_error("formula", problem.message)
    if request.method == "POST" and form.is_valid():
        try:
            workbook = tree.tree_node_update(
                workbook=workbook, user=request.user, key=key, values=form.cleaned_data
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            return _node_saved(request, workbook, _("Metric saved."))
    return _node_form_page(
        request,
        {
            "workbook": workbook,
            "form": form,
            "move_form": move_form,
            "node_key": key,
            "is_root": key == workbook.document["tree"]["root"],
            "metrics": sel.metric_choices(),
        },
    )


@login_required
@require_POST
def tree_node_move(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    _node_or_404(workbook, key)
    form = MoveNodeForm(request.POST, parents=_parents(workbook))
    if form.is_valid():
        try:
            workbook = tree.tree_node_move(
                workbook=workbook,
                user=request.user,
                key=key,
                parent_key=form.cleaned_data["parent"],
            )
        except ValidationError as err:
            for message in _messages(err):
                messages.error(request, message)
        else:
            return _node_saved(request, workbook, _("Metric moved."))
    else:
        messages.error(request, _("Choose where to move the metric."))
    if request.htmx:
        return render(request, f"{TREE}#tree", _tree_context(workbook, True))
    return redirect("workbook:tree", pk=workbook.pk)


@login_required
@require_http_methods(["GET", "POST"])
def tree_node_remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    _node_or_404(workbook, key)
    plan = tree.tree_node_removal_plan(workbook=workbook, key=key)
    form = RemoveNodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tree.tree_node_remove(
                workbook=workbook, user=request.user, key=key, confirmed=True
            )
            workbook.refresh_from_db(fields=["document"])
        except ValidationError as err:
            form.add_error(None, err)
        else:
            return _node_saved(request, workbook, _("Metric removed."))
    template = "workbook/build/node_remove.html"
    return render(
        request,
        f"{template}#form" if request.htmx else template,
        {"workbook": workbook, "node_key": key, "plan": plan, "form": form},
    )


@login_required
@require_GET
def tree_formula_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Live validation of the formula field as the user types."""
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    text = request.GET.get("formula", "")
    problem = tree.formula_problem(
        workbook=workbook, key=request.GET.get("node") or None, text=text
    )
    context: dict[str, Any] = {"text": text, "problem": problem}
    if problem is not None and problem.start is not None:
        end = max(problem.end or problem.start + 1, problem.start + 1)
        context.update(
            before=text[: problem.start],
            bad=text[problem.start : end] or " ",
            after=text[end:],
        )
    return render(request, f"{NODE_FORM}#formula-check", context)


# --- Targets ------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _segment(raw: str) -> dict[str, str]:
    return targets.segment_from_key(raw)


@login_required
@require_GET
def targets_index(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    year = _year(request)
    segment = _segment(request.GET.get("segment", ""))
    grid = sel.targets_grid(workbook, year=year, segment=segment)
    context = {
        "workbook": workbook,
        "can_edit": can_edit,
        "grid": grid,
        "years": [year - 1, year, year + 1],
        "history": list(sel.target_history(workbook, limit=15)),
    }
    part = request.GET.get("part")
    if request.htmx and part in ("summary", "changes"):
        template = f"{TARGETS}#{part}"
    else:
        template = f"{TARGETS}#grid" if request.htmx else TARGETS
    return render(request, template, context)


@login_required
@require_POST
def target_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one cell; the answer is the cell again (with its new version) or an error."""
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    node = request.POST.get("node", "")
    units = sel.node_units(workbook.document, kpi.load_library())
    unit = units[node].value if node in units else ""
    form = TargetCellForm(request.POST, percent=unit == "percent")
    period = request.POST.get("period", "")
    try:
        grain = kpi.parse_period(period, workbook.fiscal_year_start_month).grain.value
    except kpi.PeriodError:
        grain = ""
    cell: dict[str, Any] = {
        "node": node,
        "grain": grain,
        "period": period,
        "segment": request.POST.get("segment", ""),
        "version": request.POST.get("version", "0"),
        "shown": request.POST.get("value", ""),
        "unit": unit,
        "error": "",
        "conflict": False,
        "saved": False,
    }
    if not form.is_valid():
        cell["error"] = " ".join(
            str(e) for errors in form.errors.values() for e in errors
        )
    else:
        data = form.cleaned_data
        try:
            saved = targets.target_set(
                workbook=workbook,
                user=request.user,
                node_key=data["node"],
                period=data["period"],
                segment=_segment(data["segment"]),
                value=data["value"],
                expected_version=data["version"],
            )
        except targets.TargetConflict as err:
            cell.update(error=" ".join(_messages(err)), conflict=True)
        except ValidationError as err:
            cell["error"] = " ".join(_messages(err))
        else:
            cell.update(
                version=saved.version if saved else 0,
                shown=sel.shown_value(saved.value if saved else None, unit),
                saved=True,
            )
    if request.htmx:
        response = render(
            request,
            f"{TARGETS}#cell",
            {"workbook": workbook, "cell": cell, "can_edit": True},
        )
        if cell["saved"]:
            trigger_client_event(response, "target-updated", {"node": node})
        return response
    if cell["error"]:
        messages.error(request, cell["error"])
    else:
        messages.success(request, _("Target saved."))
    return redirect(f"{reverse('workbook:targets', args=[workbook.pk])}#row-{node}")


@login_required
@require_http_methods(["GET", "POST"])
def target_allocate(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    source = request.POST if request.method == "POST" else request.GET
    node_key = source.get("node", "")
    node = _node_or_404(workbook, node_key)
    children = [c if isinstance(c, str) else c["key"] for c in node.get("children", [])]
    form = AllocateForm(
        request.POST or None,
        children=[(c, c) for c in children],
        initial={
            "node": node_key,
            "period": source.get("period", ""),
            "segment": source.get("segment", ""),
            "how": "months_even",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "workbook": workbook,
            "user": request.user,
            "node_key": data["node"],
            "period": data["period"],
            "segment": _segment(data["segment"]),
        }
        how = data["how"]
        try:
            if how == "solve":
                targets.target_solve(**common, free_child=data["free_child"])
                count = 1
            elif how.startswith("months_"):
                count = len(
                    targets.target_allocate_periods(
                        **common,
                        method=how.removeprefix("months_"),
                        weights=data["weights"],
                    )
                )
            else:
                count = len(
                    targets.target_allocate_children(
                        **common,
                        method=how.removeprefix("children_"),
                        weights=data["weights"],
                    )
                )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(
                request, _("Allocated: %(count)s targets written.") % {"count": count}
            )
            url = reverse("workbook:targets", args=[workbook.pk])
            year = data["period"].removeprefix("FY")[:4]
            url = f"{url}?year={year}#row-{data['node']}"
            if request.htmx:
                return HttpResponseClientRedirect(url)
            return redirect(url)
    template = "workbook/build/allocate.html"
    return render(
        request,
        f"{template}#form" if request.htmx else template,
        {
            "workbook": workbook,
            "form": form,
            "node_key": node_key,
            "children": children,
            "decomposition": node.get("decomposition", "none"),
            "period": source.get("period", ""),
        },
    )


@login_required
@require_GET
def target_history(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    node = request.GET.get("node") or None
    return render(
        request,
        "workbook/build/history.html",
        {
            "workbook": workbook,
            "can_edit": can_edit,
            "node_key": node,
            "changes": list(sel.target_history(workbook, node_key=node, limit=500)),
        },
    )


# --- Snapshots and sharing ----------------------------------------------------------


@login_required
@require_GET
def snapshots_index(request: HttpRequest, pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    return render(
        request,
        "workbook/build/snapshots.html",
        {
            "workbook": workbook,
            "can_edit": can_edit,
            "snapshots": list(sel.snapshots_of(workbook)),
            "form": SnapshotForm(),
            "candidates": sel.share_candidates(workbook) if can_edit else [],
            "shares": list(sel.shares_of(workbook)) if can_edit else [],
        },
    )


@login_required
@require_POST
def snapshot_create(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    form = SnapshotForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the snapshot a title."))
        return redirect("workbook:snapshots", pk=workbook.pk)
    snapshot = snapshots.snapshot_create(
        workbook=workbook, user=request.user, title=form.cleaned_data["title"]
    )
    messages.success(
        request, _("Snapshot saved. It will not change when you edit the workbook.")
    )
    return redirect("workbook:snapshot", pk=workbook.pk, snapshot_pk=snapshot.pk)


@login_required
@require_GET
def snapshot_detail(request: HttpRequest, pk: int, snapshot_pk: int) -> HttpResponse:
    workbook, can_edit = workbook_for_viewer_or_404(user=request.user, pk=pk)
    snapshot = get_object_or_404(sel.snapshots_of(workbook), pk=snapshot_pk)
    return render(
        request,
        "workbook/build/snapshot_detail.html",
        {
            "workbook": workbook,
            "can_edit": can_edit,
            "snapshot": snapshot,
            "view": sel.snapshot_view(snapshot),
        },
    )


@login_required
@require_POST
def share_add(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            sharing.workbook_share(
                workbook=workbook,
                user=request.user,
                with_user_id=form.cleaned_data["user"],
            )
        except ValidationError as err:
            for message in _messages(err):
                messages.error(request, message)
        else:
            messages.success(request, _("Shared read-only."))
    return redirect(f"{reverse('workbook:snapshots', args=[workbook.pk])}#sharing")


@login_required
@require_POST
def share_remove(request: HttpRequest, pk: int) -> HttpResponse:
    workbook = workbook_for_editor_or_404(user=request.user, pk=pk)
    form = ShareForm(request.POST)
    if form.is_valid():
        sharing.workbook_unshare(
            workbook=workbook, user=request.user, with_user_id=form.cleaned_data["user"]
        )
        messages.success(request, _("No longer shared."))
    return redirect(f"{reverse('workbook:snapshots', args=[workbook.pk])}#sharing")


@login_required
@require_GET
def shared_with_me(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbook/build/shared_with_me.html",
        {"workbooks": list(sel.workbooks_shared_with(request.user))},
    )
