"""Who may read which report, and the exports they may see. Anything else is 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Organization
from accounts.selectors import organizations_administered_by
from cohorts.models import Cohort
from cohorts.reporting.models import ExportJob, ExportScope
from cohorts.reporting.report import ReportFilters, organization_cohorts
from cohorts.selectors import cohort_access

if TYPE_CHECKING:
    from accounts.models import User


def organizations_for_reporter(user: User) -> QuerySet[Organization]:
    """Organisations whose reports `user` may read: the ones they administer; all
    of them for staff."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if user.is_staff:
        return Organization.objects.all()
    return organizations_administered_by(user).distinct()


def organization_for_reporter_or_404(*, user: User, slug: str) -> Organization:
    organization = organizations_for_reporter(user).filter(slug=slug).first()
    if organization is None:
        raise Http404
    return organization


def org_cohort_or_404(
    *, organization: Organization, slug: str, cohorts: list[Cohort] | None = None
) -> Cohort:
    """A cohort the organisation takes part in (its own, or one its members joined)."""
    for cohort in (
        cohorts if cohorts is not None else organization_cohorts(organization)
    ):
        if cohort.slug == slug:
            return cohort
    raise Http404


def cohort_for_teacher_or_404(*, user: User, slug: str) -> Cohort:
    """The whole-cohort report: for the cohort's coaches and staff."""
    cohort = (
        Cohort.objects.filter(slug=slug)
        .select_related("course", "organization")
        .first()
    )
    if cohort is None or not user.is_authenticated:
        raise Http404
    if not cohort_access(cohort=cohort, user=user).can_teach:
        raise Http404
    return cohort


def parse_filters(
    params: dict[str, str] | object, cohorts: list[Cohort]
) -> ReportFilters:
    """GET parameters → filters; an unknown cohort or a junk value means "all"."""
    get = getattr(params, "get", lambda key, default="": default)
    raw = str(get("cohort", "") or "").strip()
    cohort_id = next((c.pk for c in cohorts if raw in (c.slug, str(c.pk))), None)
    team = str(get("team", "") or "").strip()[:120]
    return ReportFilters(cohort_id=cohort_id, team=team)


# ---------------------------------------------------------------------- exports
@dataclass(frozen=True, slots=True)
class ExportPlace:
    """Where exports are listed and downloaded: an organisation's dashboard, one of
    its cohorts, or a whole cohort (coaches and staff)."""

    organization: Organization | None
    cohort: Cohort | None

    def jobs(self) -> QuerySet[ExportJob]:
        jobs = ExportJob.objects.select_related("cohort", "requested_by")
        if self.organization is not None:
            jobs = jobs.filter(organization=self.organization)
            if self.cohort is not None:
                jobs = jobs.filter(cohort=self.cohort, scope=ExportScope.COHORT)
            return jobs
        return jobs.filter(organization__isnull=True, cohort=self.cohort)


def recent_exports(*, place: ExportPlace, limit: int = 8) -> list[ExportJob]:
    return list(place.jobs().order_by("-created_at", "-id")[:limit])


def export_for_place_or_404(*, place: ExportPlace, pk: int) -> ExportJob:
    job = place.jobs().filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
