"""The coach's side: the review queue, per-coach figures, claiming and reviewing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.coaching.homework import queue, services
from cohorts.coaching.homework import selectors as sel
from cohorts.coaching.homework.forms import (
    QueueFilterForm,
    ReviewForm,
    node_comments_from,
)
from cohorts.coaching.models import Submission, SubmissionStatus

PAGE_SIZE = 50


def _require_coach(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_coach or user.is_staff):
        raise Http404


@require_GET
@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_coach(request)
    cohorts, assignments = queue.queue_choices(request.user)
    form = QueueFilterForm(
        request.GET or None, cohorts=cohorts, assignments=assignments
    )
    filters = queue.QueueFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queue.QueueFilters(
            cohort_id=data["cohort"],
            assignment_id=data["assignment"],
            status=data["status"] or queue.PENDING,
            waited_hours=data["waited"],
        )
    now = timezone.now()
    rows = queue.review_queue(user=request.user, filters=filters, now=now)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "coaching/homework/review_queue.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "now": now,
            "query": query.urlencode(),
            "claim_minutes": _claim_minutes(),
        },
    )


def _claim_minutes() -> int:
    from django.conf import settings

    return settings.COACHING_CLAIM_MINUTES


@require_GET
@login_required
def review_stats(request: HttpRequest) -> HttpResponse:
    _require_coach(request)
    return render(
        request,
        "coaching/homework/review_stats.html",
        {"figures": queue.coach_figures(user=request.user)},
    )


@require_POST
@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    submission = sel.submission_for_coach_or_404(user=request.user, pk=pk)
    try:
        services.submission_claim(submission=submission, coach=request.user)
    except services.HomeworkError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You claimed this submission for %(minutes)s minutes.")
            % {"minutes": _claim_minutes()},
        )
    return redirect("coaching:review", pk=submission.pk)


@require_POST
@login_required
def release(request: HttpRequest, pk: int) -> HttpResponse:
    submission = sel.submission_for_coach_or_404(user=request.user, pk=pk)
    try:
        services.submission_release(submission=submission, coach=request.user)
    except services.HomeworkError as error:
        messages.error(request, error.message)
    else:
        messages.info(request, _("Claim released; the submission waits in the queue."))
    return redirect("coaching:review_queue")


def _review_context(
    submission: Submission, form: ReviewForm | None, user: Any
) -> dict[str, Any]:
    now = timezone.now()
    history = sel.submission_history(submission)
    latest = history[0] if history else None
    reviewable = (
        latest is not None
        and latest.review is None
        and submission.status
        in (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW)
    )
    criteria = list(submission.assignment.criteria.all())
    claimed_by_other = submission.is_claimed_by_other(user, now=now)
    if form is None and reviewable:
        form = ReviewForm(
            criteria=criteria, initial={"version": submission.version_count}
        )
    return {
        "submission": submission,
        "assignment": submission.assignment,
        "cohort": submission.assignment.cohort,
        "history": history,
        "latest": latest,
        "criteria": criteria,
        "reviewable": reviewable,
        "claimed_by_other": claimed_by_other,
        # the form shows the snapshot with comment boxes; otherwise the version does
        "not_reviewing": form is None or claimed_by_other,
        "claimed_by_me": submission.claimed_by_id == user.pk
        and services.claim_is_live(submission, now=now),
        "form": form,
        "node_comments": {},
    }


@require_http_methods(["GET", "POST"])
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = sel.submission_for_coach_or_404(user=request.user, pk=pk)
    if request.method == "GET":
        return render(
            request,
            "coaching/homework/review.html",
            _review_context(submission, None, request.user),
        )
    criteria = list(submission.assignment.criteria.all())
    form = ReviewForm(request.POST, criteria=criteria)
    if form.is_valid():
        try:
            services.submission_review(
                submission=submission,
                coach=request.user,
                decision=form.cleaned_data["decision"],
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                node_comments=node_comments_from(request.POST),
                action_items=form.action_items(),
                expected_version=form.cleaned_data["version"],
            )
        except services.HomeworkError as error:
            if error.field and error.field in form.fields:
                form.add_error(error.field, str(error.message))
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Review saved: %(score)s%%. %(trainee)s can see it now.")
                % {
                    "score": submission.score_percent,
                    "trainee": submission.trainee.display_name,
                },
            )
            return redirect("coaching:review_queue")
    submission.refresh_from_db()
    context = _review_context(submission, form, request.user)
    context["node_comments"] = node_comments_from(request.POST)
    return render(request, "coaching/homework/review.html", context, status=400)
