"""Enterprise report pages and their exports. Every view checks the reader on the
organisation or cohort first; anyone else gets 404, anonymous readers the login."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseStopPolling

from cohorts.models import Cohort
from cohorts.reporting import exports, selectors
from cohorts.reporting.models import ExportJob, ExportScope, ExportStatus
from cohorts.reporting.presenting import (
    filters_description,
    report_charts,
    report_tiles,
)
from cohorts.reporting.report import (
    Report,
    cohort_report,
    organization_cohorts,
    organization_report,
)
from cohorts.reporting.selectors import ExportPlace


def _fragment(request: HttpRequest, template: str, fragment: str) -> str:
    return f"{template}#{fragment}" if getattr(request, "htmx", False) else template


def _decorate(place: ExportPlace, job: ExportJob) -> ExportJob:
    """Give a job its status and download addresses for the place it is listed in."""
    if place.organization is not None:
        args = [place.organization.slug, job.pk]
        job.status_url = reverse("reporting:export_status", args=args)  # type: ignore[attr-defined]
        job.download_url = reverse("reporting:export_download", args=args)  # type: ignore[attr-defined]
    else:
        args = [place.cohort.slug, job.pk]  # type: ignore[union-attr]
        job.status_url = reverse("reporting:cohort_export_status", args=args)  # type: ignore[attr-defined]
        job.download_url = reverse("reporting:cohort_export_download", args=args)  # type: ignore[attr-defined]
    return job


def _jobs(place: ExportPlace) -> list[ExportJob]:
    return [_decorate(place, job) for job in selectors.recent_exports(place=place)]


def _report_context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        "tiles": report_tiles(report),
        "charts": report_charts(report),
        "filters_text": filters_description(report),
        "everyone": report.organization is None,
    }


# ----------------------------------------------------------------------- pages
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Straight to the dashboard for the admin of one organisation; a list otherwise."""
    organizations = list(
        selectors.organizations_for_reporter(request.user).order_by("name")
    )
    if not organizations:
        raise Http404
    if len(organizations) == 1 and not request.user.is_staff:
        return redirect("reporting:dashboard", org_slug=organizations[0].slug)
    return render(request, "reporting/chooser.html", {"organizations": organizations})


@login_required
@require_GET
def dashboard(request: HttpRequest, org_slug: str) -> HttpResponse:
    organization = selectors.organization_for_reporter_or_404(
        user=request.user, slug=org_slug
    )
    cohorts = organization_cohorts(organization)
    filters = selectors.parse_filters(request.GET, cohorts)
    report = organization_report(
        organization=organization, filters=filters, cohorts=cohorts
    )
    place = ExportPlace(organization=organization, cohort=None)
    context = {
        "organization": organization,
        "place": place,
        "jobs": _jobs(place),
        "export_url": reverse("reporting:export_request", args=[organization.slug]),
        **_report_context(report),
    }
    response = render(
        request, _fragment(request, "reporting/dashboard.html", "results"), context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def org_cohort(request: HttpRequest, org_slug: str, cohort_slug: str) -> HttpResponse:
    """One cohort, the organisation's people in it."""
    organization = selectors.organization_for_reporter_or_404(
        user=request.user, slug=org_slug
    )
    cohort = selectors.org_cohort_or_404(organization=organization, slug=cohort_slug)
    filters = selectors.parse_filters(request.GET, [cohort])
    report = cohort_report(cohort=cohort, organization=organization, filters=filters)
    place = ExportPlace(organization=organization, cohort=cohort)
    context = {
        "organization": organization,
        "cohort": cohort,
        "place": place,
        "jobs": _jobs(place),
        "export_url": reverse("reporting:export_request", args=[organization.slug]),
        "back_url": reverse("reporting:dashboard", args=[organization.slug]),
        **_report_context(report),
    }
    response = render(
        request, _fragment(request, "reporting/cohort_report.html", "results"), context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def teacher_cohort(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    """The whole cohort, every organisation's people: for its coaches and staff."""
    cohort = selectors.cohort_for_teacher_or_404(user=request.user, slug=cohort_slug)
    filters = selectors.parse_filters(request.GET, [cohort])
    report = cohort_report(cohort=cohort, organization=None, filters=filters)
    place = ExportPlace(organization=None, cohort=cohort)
    context = {
        "organization": None,
        "cohort": cohort,
        "place": place,
        "jobs": _jobs(place),
        "export_url": reverse("reporting:cohort_export_request", args=[cohort.slug]),
        "back_url": reverse("cohorts:detail", args=[cohort.slug]),
        **_report_context(report),
    }
    response = render(
        request, _fragment(request, "reporting/cohort_report.html", "results"), context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


# --------------------------------------------------------------------- exports
def _request_export(
    request: HttpRequest,
    *,
    place: ExportPlace,
    cohort: Cohort | None,
    scope: str,
    back: str,
) -> HttpResponse:
    try:
        exports.export_request(
            user=request.user,
            kind=request.POST.get("kind", ""),
            organization=place.organization,
            cohort=cohort,
            scope=scope,
            team=request.POST.get("team", "").strip(),
        )
    except exports.ExportRefused as refusal:
        messages.error(request, str(refusal))
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(back)
        return redirect(back)
    if getattr(request, "htmx", False):
        return render(request, "reporting/_exports.html#jobs", {"jobs": _jobs(place)})
    messages.success(
        request, _("Your export is being prepared. It appears below when ready.")
    )
    return redirect(back)


def _back(request: HttpRequest, default: str) -> str:
    params = {
        key: request.POST.get(key, "")
        for key in ("cohort", "team")
        if request.POST.get(key, "")
    }
    if request.POST.get("scope") == ExportScope.COHORT:
        params.pop("cohort", None)
    return default + (f"?{urlencode(params)}" if params else "")


@login_required
@require_POST
def export_request(request: HttpRequest, org_slug: str) -> HttpResponse:
    organization = selectors.organization_for_reporter_or_404(
        user=request.user, slug=org_slug
    )
    if request.POST.get("scope") == ExportScope.COHORT:
        cohort = selectors.org_cohort_or_404(
            organization=organization, slug=request.POST.get("cohort", "")
        )
        url = reverse("reporting:org_cohort", args=[organization.slug, cohort.slug])
        return _request_export(
            request,
            place=ExportPlace(organization=organization, cohort=cohort),
            cohort=cohort,
            scope=ExportScope.COHORT,
            back=_back(request, url),
        )
    cohorts = organization_cohorts(organization)
    chosen = selectors.parse_filters(request.POST, cohorts).cohort_id
    return _request_export(
        request,
        place=ExportPlace(organization=organization, cohort=None),
        cohort=next((c for c in cohorts if c.pk == chosen), None),
        scope=ExportScope.DASHBOARD,
        back=_back(request, reverse("reporting:dashboard", args=[organization.slug])),
    )


@login_required
@require_POST
def cohort_export_request(request: HttpRequest, cohort_slug: str) -> HttpResponse:
    cohort = selectors.cohort_for_teacher_or_404(user=request.user, slug=cohort_slug)
    return _request_export(
        request,
        place=ExportPlace(organization=None, cohort=cohort),
        cohort=cohort,
        scope=ExportScope.COHORT,
        back=_back(request, reverse("reporting:teacher_cohort", args=[cohort.slug])),
    )


def _status(request: HttpRequest, place: ExportPlace, pk: int) -> HttpResponse:
    job = _decorate(place, selectors.export_for_place_or_404(place=place, pk=pk))
    response = render(request, "reporting/_exports.html#job", {"job": job})
    if getattr(request, "htmx", False) and job.is_finished:
        return HttpResponseStopPolling(response.content)
    return response


def _download(place: ExportPlace, pk: int) -> HttpResponse:
    job = selectors.export_for_place_or_404(place=place, pk=pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file_name or exports.download_name(job),
    )


@login_required
@require_GET
def export_status(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    organization = selectors.organization_for_reporter_or_404(
        user=request.user, slug=org_slug
    )
    return _status(request, ExportPlace(organization=organization, cohort=None), pk)


@login_required
@require_GET
def export_download(request: HttpRequest, org_slug: str, pk: int) -> HttpResponse:
    organization = selectors.organization_for_reporter_or_404(
        user=request.user, slug=org_slug
    )
    return _download(ExportPlace(organization=organization, cohort=None), pk)


@login_required
@require_GET
def cohort_export_status(
    request: HttpRequest, cohort_slug: str, pk: int
) -> HttpResponse:
    cohort = selectors.cohort_for_teacher_or_404(user=request.user, slug=cohort_slug)
    return _status(request, ExportPlace(organization=None, cohort=cohort), pk)


@login_required
@require_GET
def cohort_export_download(
    request: HttpRequest, cohort_slug: str, pk: int
) -> HttpResponse:
    cohort = selectors.cohort_for_teacher_or_404(user=request.user, slug=cohort_slug)
    return _download(ExportPlace(organization=None, cohort=cohort), pk)
