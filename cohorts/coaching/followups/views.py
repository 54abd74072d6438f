"""Follow-up pages. Each view checks the viewer on the object; outsiders get 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts.coaching.followups import selectors, services
from cohorts.coaching.followups.forms import (
    ActionItemForm,
    ActionItemFormSet,
    ActionItemStatusForm,
    FollowUpRecordForm,
    FollowUpScheduleForm,
    ReflectionForm,
)
from cohorts.coaching.models import FollowUp, FollowUpStatus

DETAIL = "coaching/followups/follow_up_detail.html"


def _formset(follow_up: FollowUp, data: Any = None) -> Any:
    people = selectors.owner_choices(follow_up=follow_up)
    return ActionItemFormSet(data, prefix="items", form_kwargs={"people": people})


# Trainee side ------------------------------------------------------------------------


@require_GET
@login_required
def my_follow_ups(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {"mine": selectors.follow_ups_of_trainee(user=user)}
    if user.is_coach or user.is_staff:
        context["running"] = selectors.follow_ups_run_by(user=user)
    return render(request, "coaching/followups/my_follow_ups.html", context)


@require_GET
@login_required
def my_action_items(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coaching/followups/my_action_items.html",
        {
            "groups": selectors.action_items_grouped(user=request.user),
            "status_choices": selectors.action_item_status_choices(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@login_required
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_of_owner_or_404(user=request.user, pk=pk)
    choices = selectors.action_item_status_choices()
    form = ActionItemStatusForm(request.POST, choices=choices)
    if not form.is_valid():
        return HttpResponse(status=400)
    services.action_item_set_status(
        item=item, user=request.user, status=form.cleaned_data["status"]
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "coaching/followups/_action_item.html",
            {
                "item": item,
                "status_choices": choices,
                "today": timezone.localdate(),
                "show_owner": False,
                "show_source": request.POST.get("show_source") == "1",
            },
        )
    messages.success(request, _("Action item updated."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("coaching:my_action_items")
    return redirect(back)


# One follow-up ----------------------------------------------------------------------


def _homework_url(cohort_slug: str, user_id: int) -> str | None:
    """The homework helper's per-trainee page, if that part is installed."""
    for name, args in (
        ("coaching:trainee_homework", [cohort_slug, user_id]),
        ("coaching:assignments", [cohort_slug]),
    ):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return None


def _detail_context(
    access: selectors.FollowUpAccess,
    *,
    record_form: FollowUpRecordForm | None = None,
    formset: Any = None,
    reflection_form: ReflectionForm | None = None,
) -> dict[str, Any]:
    follow_up = access.follow_up
    context: dict[str, Any] = {
        "follow_up": follow_up,
        "access": access,
        "items": selectors.follow_up_items(follow_up=follow_up),
        "status_choices": selectors.action_item_status_choices(),
        "today": timezone.localdate(),
        "next_follow_ups": list(follow_up.next_follow_ups.order_by("scheduled_at")),
    }
    if access.is_coach:
        context["record_form"] = record_form or FollowUpRecordForm(
            initial={
                "status": FollowUpStatus.DONE
                if follow_up.status == FollowUpStatus.SCHEDULED
                else follow_up.status,
                "notes": follow_up.notes,
                "agenda": follow_up.agenda,
            }
        )
        context["formset"] = formset or _formset(follow_up)
    if access.is_trainee:
        context["reflection_form"] = reflection_form or ReflectionForm(
            initial={"reflection": follow_up.reflection}
        )
    return context


@require_GET
@login_required
def follow_up_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.follow_up_for_viewer_or_404(user=request.user, pk=pk)
    return render(request, DETAIL, _detail_context(access))


@require_POST
@login_required
def follow_up_record(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.follow_up_for_viewer_or_404(user=request.user, pk=pk)
    if not access.is_coach:
        raise Http404
    follow_up = access.follow_up
    form = FollowUpRecordForm(request.POST)
    formset = _formset(follow_up, request.POST)
    if "add_row" in request.POST:  # without JavaScript: one more empty row
        data = request.POST.copy()
        data["items-TOTAL_FORMS"] = str(formset.total_form_count() + 1)
        formset = _formset(follow_up, data)
        return render(
            request,
            DETAIL,
            _detail_context(access, record_form=form, formset=formset),
        )
    if form.is_valid() and formset.is_valid():
        drafts = [
            services.ActionItemDraft(
                description=row["description"],
                owner=row["owner"],
                due_date=row.get("due_date"),
            )
            for row in formset.cleaned_data
            if row and row.get("description")
        ]
        try:
            created = services.follow_up_record(
                follow_up=follow_up,
                coach=request.user,
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
                agenda=form.cleaned_data["agenda"],
                action_items=drafts,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except PermissionDenied:
            raise Http404 from None
        else:
            if created:
                messages.success(
                    request,
                    _("Follow-up saved with %(n)s new action items.")
                    % {"n": len(created)},
                )
            else:
                messages.success(request, _("Follow-up saved."))
            return redirect("coaching:follow_up", pk=follow_up.pk)
    return render(
        request,
        DETAIL,
        _detail_context(access, record_form=form, formset=formset),
        status=400,
    )


@require_GET
@login_required
def follow_up_item_row(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: one more empty action item row, and the formset's new form count."""
    access = selectors.follow_up_for_viewer_or_404(user=request.user, pk=pk)
    if not access.is_coach:
        raise Http404
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 19))
    except ValueError:
        index = 0
    form = ActionItemForm(
        prefix=f"items-{index}",
        people=selectors.owner_choices(follow_up=access.follow_up),
        empty_permitted=True,
        use_required_attribute=False,
    )
    return render(
        request,
        f"{DETAIL}#item_row_added",
        {"follow_up": access.follow_up, "row": form, "next_index": index + 1},
    )


@require_POST
@login_required
def follow_up_reflect(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.follow_up_for_viewer_or_404(user=request.user, pk=pk)
    if not access.is_trainee:
        raise Http404
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        return render(
            request, DETAIL, _detail_context(access, reflection_form=form), status=400
        )
    services.follow_up_reflect(
        follow_up=access.follow_up,
        trainee=request.user,
        reflection=form.cleaned_data["reflection"],
    )
    messages.success(request, _("Your reflection is saved."))
    return redirect("coaching:follow_up", pk=pk)


# Scheduling -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def follow_up_new(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    """Book a follow-up; `?trainee=` preselects, `?previous=` books the next one."""
    cohort = selectors.cohort_for_coach_or_404(user=request.user, slug=cohort_slug)
    trainees = selectors.active_trainees(cohort=cohort)
    previous = None
    initial: dict[str, Any] = {"trainee": request.GET.get("trainee")}
    if request.GET.get("previous"):
        try:
            previous_id = int(request.GET["previous"])
        except ValueError:
            raise Http404 from None
        previous = FollowUp.objects.filter(pk=previous_id, cohort=cohort).first()
        if previous is None:
            raise Http404
        draft = services.next_follow_up_draft(follow_up=previous)
        initial = {
            "trainee": previous.trainee_id,
            "scheduled_at": draft.scheduled_at,
            "duration_minutes": draft.duration_minutes,
            "location": draft.location,
            "agenda": draft.agenda,
        }
    form = FollowUpScheduleForm(
        request.POST or None, initial=initial, trainees=trainees
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = services.follow_up_schedule(
                cohort=cohort,
                coach=request.user,
                trainee=data["trainee"],
                scheduled_at=data["scheduled_at"],
                duration_minutes=data["duration_minutes"],
                location=data["location"],
                agenda=data["agenda"],
                previous=previous,
            )
        except ValidationError as error:
            form.add_error("trainee", error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(
                request,
                _("Follow-up with %(name)s booked.")
                % {"name": follow_up.trainee.display_name},
            )
            return redirect("coaching:follow_up", pk=follow_up.pk)
    return render(
        request,
        "coaching/followups/follow_up_form.html",
        {"cohort": cohort, "form": form, "previous": previous},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def follow_up_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access = selectors.follow_up_for_viewer_or_404(user=request.user, pk=pk)
    if not access.is_coach:
        raise Http404
    follow_up = access.follow_up
    form = FollowUpScheduleForm(
        request.POST or None,
        with_trainee=False,
        initial={
            "scheduled_at": follow_up.scheduled_at,
            "duration_minutes": follow_up.duration_minutes,
            "location": follow_up.location,
            "agenda": follow_up.agenda,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.follow_up_reschedule(
            follow_up=follow_up,
            coach=request.user,
            scheduled_at=data["scheduled_at"],
            duration_minutes=data["duration_minutes"],
            location=data["location"],
            agenda=data["agenda"],
        )
        messages.success(request, _("Follow-up updated."))
        return redirect("coaching:follow_up", pk=pk)
    return render(
        request,
        "coaching/followups/follow_up_form.html",
        {"cohort": follow_up.cohort, "form": form, "follow_up": follow_up},
        status=400 if form.errors else 200,
    )


# The coach's trainees ---------------------------------------------------------------


@require_GET
@login_required
def coach_trainees(
    request: HttpRequest, cohort_slug: str | None = None
) -> HttpResponse:
    cohort = None
    if cohort_slug is not None:
        cohort = selectors.cohort_for_coach_or_404(user=request.user, slug=cohort_slug)
    elif not (request.user.is_coach or request.user.is_staff):
        raise Http404
    groups = selectors.trainees_by_cohort(user=request.user, cohort=cohort)
    return render(
        request,
        "coaching/followups/coach_trainees.html",
        {"groups": groups, "cohort": cohort},
    )


@require_GET
@login_required
def trainee_detail(
    request: HttpRequest, cohort_slug: str, user_id: int
) -> HttpResponse:
    cohort = selectors.cohort_for_coach_or_404(user=request.user, slug=cohort_slug)
    trainee = selectors.trainee_of_cohort_or_404(cohort=cohort, user_id=user_id)
    page = selectors.trainee_page(cohort=cohort, trainee=trainee)
    return render(
        request,
        "coaching/followups/trainee_detail.html",
        {
            "page": page,
            "cohort": cohort,
            "trainee": trainee,
            "homework_url": _homework_url(cohort.slug, trainee.pk),
            "today": timezone.localdate(),
        },
    )
