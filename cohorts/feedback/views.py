"""Diagnosis and feedback pages. Each view checks the viewer on the cohort (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cohorts.feedback import selectors, services, summaries
from cohorts.feedback.forms import (
    CourseEvaluationForm,
    DiagnosisForm,
    SessionFeedbackForm,
)
from cohorts.feedback.services import FeedbackError
from cohorts.selectors import cohort_access, cohort_for_user_or_404

# Diagnosis (trainee) ----------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def diagnosis(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = cohort_for_user_or_404(user=request.user, slug=slug)
    access = cohort_access(cohort=cohort, user=request.user)
    if access.can_teach and not access.is_active_trainee:
        return redirect("feedback:diagnosis_summary", slug=slug)
    page = selectors.diagnosis_for_trainee_or_404(
        user=request.user, cohort=cohort, access=access
    )
    locked = page.is_locked
    form = DiagnosisForm(
        request.POST if request.method == "POST" and not locked else None,
        questions=page.questions,
        answers=page.answers,
        disabled=locked,
    )
    status = 200
    if request.method == "POST":
        if locked:
            messages.error(
                request,
                _(
                    "The diagnosis closed when the first session started; your answers are read-only."
                ),
            )
            return redirect("feedback:diagnosis", slug=slug)
        if form.is_valid():
            try:
                services.diagnosis_save(
                    cohort=page.cohort,
                    user=request.user,
                    questionnaire=page.questionnaire,
                    answers=form.answers(),
                )
            except FeedbackError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your coach will read your answers before the first session."
                    ),
                )
                return redirect("feedback:diagnosis", slug=slug)
        status = 400
    return render(
        request,
        "feedback/diagnosis_form.html",
        {"page": page, "form": form, "cohort": page.cohort, "locked": locked},
        status=status,
    )


# Diagnosis (coach) --------------------------------------------------------------------


@require_GET
@login_required
def diagnosis_summary(request: HttpRequest, slug: str) -> HttpResponse:
    cohort, access = selectors.cohort_for_teacher_or_404(user=request.user, slug=slug)
    summary = summaries.diagnosis_summary(cohort=cohort)
    first, _last = selectors.session_bounds(cohort)
    return render(
        request,
        "feedback/diagnosis_summary.html",
        {
            "cohort": cohort,
            "access": access,
            "summary": summary,
            "deadline": selectors.diagnosis_deadline(cohort, first),
        },
    )


@require_GET
@login_required
def diagnosis_trainee(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    cohort, access = selectors.cohort_for_teacher_or_404(user=request.user, slug=slug)
    answers = summaries.trainee_answers_or_404(cohort=cohort, user_id=user_id)
    return render(
        request,
        "feedback/diagnosis_trainee.html",
        {"cohort": cohort, "access": access, "answers": answers},
    )


# Session survey -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def session_survey(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session, access, mine = selectors.session_for_trainee_or_404(
        user=request.user, slug=slug, session_id=session_id
    )
    form = SessionFeedbackForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.session_feedback_submit(
                    session=session, user=request.user, **form.cleaned_data
                )
            except FeedbackError as error:
                messages.warning(request, error.message)
                return redirect(
                    "feedback:session_survey", slug=slug, session_id=session_id
                )
            messages.success(request, _("Thank you for your feedback."))
            return redirect("feedback:session_survey", slug=slug, session_id=session_id)
        status = 400
    return render(
        request,
        "feedback/session_survey.html",
        {
            "session": session,
            "cohort": session.cohort,
            "access": access,
            "mine": mine,
            "form": form,
            "is_open": selectors.survey_is_open(session),
        },
        status=status,
    )


@require_GET
@login_required
def session_results(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    session, access = selectors.session_for_teacher_or_404(
        user=request.user, slug=slug, session_id=session_id
    )
    return render(
        request,
        "feedback/session_results.html",
        {
            "session": session,
            "cohort": session.cohort,
            "access": access,
            "result": summaries.session_result(session=session),
        },
    )


# Course evaluation --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def evaluation(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = cohort_for_user_or_404(user=request.user, slug=slug)
    access = cohort_access(cohort=cohort, user=request.user)
    if access.can_teach and not access.is_active_trainee:
        return redirect("feedback:results", slug=slug)
    page = selectors.evaluation_for_trainee_or_404(
        user=request.user, cohort=cohort, access=access
    )
    form = CourseEvaluationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.course_evaluation_submit(
                    cohort=page.cohort, user=request.user, **form.cleaned_data
                )
            except FeedbackError as error:
                messages.warning(request, error.message)
                return redirect("feedback:evaluation", slug=slug)
            messages.success(request, _("Thank you for evaluating the course."))
            return redirect("feedback:evaluation", slug=slug)
        status = 400
    return render(
        request,
        "feedback/evaluation_form.html",
        {"page": page, "cohort": page.cohort, "form": form},
        status=status,
    )


@require_GET
@login_required
def results(request: HttpRequest, slug: str) -> HttpResponse:
    cohort, access = selectors.cohort_for_teacher_or_404(user=request.user, slug=slug)
    return render(
        request,
        "feedback/results.html",
        {
            "cohort": cohort,
            "access": access,
            "results": summaries.cohort_results(cohort=cohort),
        },
    )
