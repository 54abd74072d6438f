"""Champion pages: naming champions, the champion's team, the re-training log.
Each view checks the viewer on the object; anyone else gets 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Organization, User
from accounts.selectors import user_roles
from cohorts.coaching.champions import selectors, services
from cohorts.coaching.champions.forms import ChampionNameForm, RetrainingSessionForm
from cohorts.coaching.models import RetrainingSession

# Naming champions -------------------------------------------------------------------


@require_GET
@login_required
def champions_cohort(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    access = selectors.champions_access_or_404(user=request.user, slug=cohort_slug)
    return render(
        request,
        "coaching/champions/champions_cohort.html",
        {
            "cohort": access.cohort,
            "access": access,
            "blocks": selectors.champions_of_cohort(access=access),
        },
    )


@require_POST
@login_required
def champion_name(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    access = selectors.champions_access_or_404(user=request.user, slug=cohort_slug)
    form = ChampionNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a colleague to name."))
        return redirect("coaching:champions_cohort", cohort_slug=cohort_slug)
    organization = next(
        (o for o in access.organizations if o.pk == form.cleaned_data["organization"]),
        None,
    )
    person = User.objects.filter(pk=form.cleaned_data["user"]).first()
    if organization is None or person is None:
        raise Http404
    try:
        services.champion_name(
            access=access, organization=organization, user=person, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        raise Http404 from None
    else:
        messages.success(
            request,
            _("%(name)s is now the internal champion of %(org)s in this cohort.")
            % {"name": person.display_name, "org": organization.name},
        )
    return redirect("coaching:champions_cohort", cohort_slug=cohort_slug)


@require_POST
@login_required
def champion_remove(request: HttpRequest, cohort_slug: str, pk: int) -> HttpResponse:
    access = selectors.champions_access_or_404(user=request.user, slug=cohort_slug)
    champion = selectors.champion_for_manager_or_404(access=access, pk=pk)
    services.champion_remove(access=access, champion=champion)
    messages.success(
        request,
        _("%(name)s is no longer a champion in this cohort.")
        % {"name": champion.user.display_name},
    )
    return redirect("coaching:champions_cohort", cohort_slug=cohort_slug)


# The champion's team ----------------------------------------------------------------


@require_GET
@login_required
def champion_team(request: HttpRequest) -> HttpResponse:
    blocks = selectors.team_progress(user=request.user)
    if not blocks and not user_roles(request.user).is_champion:
        raise Http404
    sessions = list(
        RetrainingSession.objects.filter(champion=request.user)
        .select_related("organization", "cohort")
        .prefetch_related("attendees")
    )
    return render(
        request,
        "coaching/champions/team.html",
        {"blocks": blocks, "sessions": sessions},
    )


# Re-training sessions -------------------------------------------------------------------


def _details(form: RetrainingSessionForm) -> services.RetrainingDetails:
    data = form.cleaned_data
    return services.RetrainingDetails(
        held_on=data["held_on"],
        topic=data["topic"],
        attendees=list(data["attendees"]),
        attendee_count=data["attendee_count"],
        attendee_names=data["attendee_names"],
        materials_url=data["materials_url"],
        notes=data["notes"],
        materials=data.get("materials") or None,
        remove_materials=bool(data.get("remove_materials")),
    )


def _members_of(organizations: list[Organization]) -> Any:
    return (
        User.objects.filter(memberships__organization__in=organizations, is_active=True)
        .distinct()
        .order_by("display_name", "email")
    )


@require_http_methods(["GET", "POST"])
@login_required
def retraining_new(request: HttpRequest) -> HttpResponse:
    championships = selectors.championships_of(user=request.user)
    if not championships:
        raise Http404
    initial: dict[str, Any] = {}
    if request.GET.get("championship", "").isdigit():
        initial["championship"] = int(request.GET["championship"])
    form = RetrainingSessionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        championships=championships,
        members=_members_of([c.organization for c in championships]).exclude(
            pk=request.user.pk
        ),
    )
    if request.method == "POST" and form.is_valid():
        championship = form.cleaned_data["championship"]
        if championship is None:
            form.add_error("championship", _("Choose one of your cohorts."))
        else:
            try:
                session = services.retraining_session_log(
                    championship=championship,
                    champion=request.user,
                    details=_details(form),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Re-training session “%(topic)s” logged.")
                    % {"topic": session.topic},
                )
                return redirect("coaching:champion_team")
    return render(
        request,
        "coaching/champions/retraining_form.html",
        {"form": form, "session": None},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def retraining_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.retraining_session_of_champion_or_404(user=request.user, pk=pk)
    form = RetrainingSessionForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "held_on": session.held_on,
            "topic": session.topic,
            "attendees": list(session.attendees.all()),
            "attendee_count": session.attendee_count,
            "attendee_names": session.attendee_names,
            "materials_url": session.materials_url,
            "notes": session.notes,
        },
        championships=[],
        members=selectors.organization_members(
            organization=session.organization
        ).exclude(pk=request.user.pk),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.retraining_session_update(
                session=session, champion=request.user, details=_details(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Re-training session updated."))
            return redirect("coaching:champion_team")
    return render(
        request,
        "coaching/champions/retraining_form.html",
        {"form": form, "session": session},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def retraining_materials(request: HttpRequest, pk: int) -> FileResponse:
    session = selectors.retraining_session_for_reader_or_404(user=request.user, pk=pk)
    if not session.materials:
        raise Http404
    return FileResponse(
        session.materials.open("rb"),
        as_attachment=True,
        filename=Path(session.materials.name).name,
    )


@require_GET
@login_required
def retraining_index(request: HttpRequest) -> HttpResponse:
    organizations = selectors.log_organizations_for(user=request.user)
    if not organizations:
        raise Http404
    if len(organizations) == 1:
        return redirect("coaching:retraining_log", org_slug=organizations[0].slug)
    return render(
        request,
        "coaching/champions/retraining_index.html",
        {"organizations": organizations},
    )


@require_GET
@login_required
def retraining_log(request: HttpRequest, org_slug: str) -> HttpResponse:
    access = selectors.retraining_log_access_or_404(user=request.user, slug=org_slug)
    sessions = selectors.retraining_sessions(access=access)
    return render(
        request,
        "coaching/champions/retraining_log.html",
        {
            "organization": access.organization,
            "access": access,
            "sessions": sessions,
            "summary": selectors.retraining_summary(sessions),
            "champions": selectors.champions_of_organization(
                organization=access.organization
            )
            if access.everything
            else [],
        },
    )
