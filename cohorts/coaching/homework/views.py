"""Assignment pages: the cohort's list, one assignment (rubric, the trainee's versions
and feedback, or the coach's overview), the editor, handing in, and version files.

Every view checks the viewer on the object; anything they may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.coaching.homework import selectors as sel
from cohorts.coaching.homework import services
from cohorts.coaching.homework.forms import (
    CRITERIA_PREFIX,
    AssignmentForm,
    CriterionForm,
    CriterionFormSet,
    SubmitForm,
    criteria_from,
    criteria_rows_posted,
)
from cohorts.coaching.models import Assignment, AssignmentKind, Submission
from cohorts.models import Cohort


@require_GET
@login_required
def assignment_list(request: HttpRequest, slug: str) -> HttpResponse:
    cohort, access = sel.cohort_for_homework_or_404(user=request.user, slug=slug)
    rows = sel.assignments_for_cohort(cohort=cohort, user=request.user, access=access)
    return render(
        request,
        "coaching/homework/assignment_list.html",
        {"cohort": cohort, "access": access, "rows": rows},
    )


@require_GET
@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment, access = sel.assignment_for_user_or_404(user=request.user, pk=pk)
    context: dict[str, Any] = {
        "assignment": assignment,
        "cohort": assignment.cohort,
        "access": access,
        "criteria": list(assignment.criteria.all()),
    }
    if access.can_teach:
        context["submissions"] = list(
            assignment.submissions.select_related("trainee", "claimed_by").order_by(
                "trainee__display_name"
            )
        )
    else:
        submission = sel.my_submission(assignment=assignment, user=request.user)
        context.update(_trainee_context(assignment, submission))
    return render(request, "coaching/homework/assignment_detail.html", context)


def _trainee_context(
    assignment: Assignment,
    submission: Submission | None,
    form: SubmitForm | None = None,
) -> dict[str, Any]:
    return {
        "submission": submission,
        "status": sel.trainee_status(submission, now=timezone.now()),
        "history": sel.submission_history(submission) if submission else [],
        "action_items": list(submission.action_items.order_by("due_date", "pk"))
        if submission
        else [],
        "state": sel.submit_state(assignment=assignment, submission=submission),
        "form": form or SubmitForm(initial=_resubmit_initial(submission)),
    }


def _resubmit_initial(submission: Submission | None) -> dict[str, str]:
    """A text resubmission starts from the last version, so the diff shows edits."""
    if submission is None:
        return {}
    last = submission.versions.order_by("-number").first()
    return {"text": last.text} if last else {}


@require_POST
@login_required
def submission_create(request: HttpRequest, pk: int) -> HttpResponse:
    assignment, access = sel.assignment_for_user_or_404(user=request.user, pk=pk)
    if not access.is_active_trainee or assignment.kind == AssignmentKind.WORKBOOK:
        raise Http404
    form = SubmitForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = services.submission_add_version(
                assignment=assignment,
                trainee=request.user,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except services.HomeworkError as error:
            if error.field in form.fields:
                form.add_error(error.field, str(error.message))
            else:
                messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Version %(number)s handed in. Your coach will review it.")
                % {"number": version.number},
            )
            return redirect("coaching:assignment", pk=assignment.pk)
    submission = sel.my_submission(assignment=assignment, user=request.user)
    context = {
        "assignment": assignment,
        "cohort": assignment.cohort,
        "access": access,
        "criteria": list(assignment.criteria.all()),
        **_trainee_context(assignment, submission, form),
    }
    return render(
        request, "coaching/homework/assignment_detail.html", context, status=400
    )


@require_GET
@login_required
def version_file(request: HttpRequest, pk: int) -> FileResponse:
    version = sel.version_for_viewer_or_404(user=request.user, pk=pk)
    if not version.file:
        raise Http404
    return FileResponse(
        version.file.open("rb"), as_attachment=True, filename=version.file_name
    )


# --- The editor (coaches and staff) -------------------------------------------------


def _editor(
    request: HttpRequest, cohort: Cohort, assignment: Assignment | None
) -> HttpResponse:
    lessons = sel.lessons_for_cohort(cohort)
    if request.method == "POST" and "add_criterion" in request.POST:
        form = AssignmentForm(
            initial={
                **request.POST.dict(),
                "is_required": "is_required" in request.POST,
            },
            cohort=cohort,
            lessons=lessons,
        )
        formset = CriterionFormSet(
            initial=criteria_rows_posted(request.POST), prefix=CRITERIA_PREFIX
        )
        formset.extra = 1
        return _render_editor(request, cohort, assignment, form, formset, fresh=True)
    if request.method == "POST":
        form = AssignmentForm(request.POST, cohort=cohort, lessons=lessons)
        formset = CriterionFormSet(request.POST, prefix=CRITERIA_PREFIX)
        if form.is_valid() and formset.is_valid():
            kept, removed = criteria_from(formset)
            try:
                saved = services.assignment_save(
                    cohort=cohort,
                    user=request.user,
                    assignment=assignment,
                    values=form.cleaned_data,
                    criteria=kept,
                    removed=removed,
                )
            except services.HomeworkError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Assignment saved."))
                return redirect("coaching:assignment", pk=saved.pk)
        return _render_editor(request, cohort, assignment, form, formset, status=400)
    if assignment is not None:
        form = AssignmentForm(
            initial=AssignmentForm.initial_for(assignment),
            cohort=cohort,
            lessons=lessons,
        )
        initial = [CriterionForm.initial_for(c) for c in assignment.criteria.all()]
    else:
        form = AssignmentForm(cohort=cohort, lessons=lessons)
        initial = []
    formset = CriterionFormSet(initial=initial, prefix=CRITERIA_PREFIX)
    return _render_editor(request, cohort, assignment, form, formset)


def _render_editor(
    request: HttpRequest,
    cohort: Cohort,
    assignment: Assignment | None,
    form: AssignmentForm,
    formset: Any,
    *,
    status: int = 200,
    fresh: bool = False,
) -> HttpResponse:
    template = "coaching/homework/assignment_form.html"
    if getattr(request, "htmx", False) and fresh:
        template += "#rubric"
    return render(
        request,
        template,
        {
            "cohort": cohort,
            "assignment": assignment,
            "form": form,
            "formset": formset,
            "fresh": fresh,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def assignment_create(request: HttpRequest, slug: str) -> HttpResponse:
    cohort, access = sel.cohort_for_homework_or_404(user=request.user, slug=slug)
    if not access.can_teach:
        raise Http404
    return _editor(request, cohort, None)


@require_http_methods(["GET", "POST"])
@login_required
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = sel.assignment_for_coach_or_404(user=request.user, pk=pk)
    return _editor(request, assignment.cohort, assignment)


@require_http_methods(["GET", "POST"])
@login_required
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = sel.assignment_for_coach_or_404(user=request.user, pk=pk)
    if request.method == "POST":
        cohort = assignment.cohort
        try:
            services.assignment_delete(assignment=assignment, user=request.user)
        except services.HomeworkError as error:
            messages.error(request, error.message)
            return redirect("coaching:assignment", pk=assignment.pk)
        messages.success(request, _("Assignment deleted."))
        return redirect("coaching:assignments", slug=cohort.slug)
    return render(
        request,
        "coaching/homework/assignment_delete.html",
        {"assignment": assignment, "cohort": assignment.cohort},
    )
