"""Asking for an export and preparing it in the worker (django-q2).

The page never waits: `export_request` stores a queued `ExportJob` and enqueues the
task after the transaction commits; the worker (`export_build`) loads the report,
moves `progress` along, writes the file and marks the job done, or records why it
failed in the requester's language.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organization, User
from cohorts.models import Cohort
from cohorts.reporting.models import ExportJob, ExportKind, ExportScope, ExportStatus
from cohorts.reporting.report import (
    Report,
    ReportFilters,
    cohort_report,
    organization_report,
)


class ExportRefused(ValueError):
    """A request that cannot become an export (unknown file type)."""


def export_request(
    *,
    user: User,
    kind: str,
    organization: Organization | None,
    cohort: Cohort | None = None,
    scope: str = ExportScope.DASHBOARD,
    team: str = "",
) -> ExportJob:
    """Queue an export. The caller has checked that `user` may read the report."""
    from django_q.tasks import async_task

    if kind not in ExportKind.values:
        raise ExportRefused(_("Choose Excel or PDF."))
    if scope not in ExportScope.values or (scope == ExportScope.COHORT and not cohort):
        raise ExportRefused(_("Choose what to export."))
    if organization is None and scope != ExportScope.COHORT:
        raise ExportRefused(_("Choose what to export."))
    job = ExportJob.objects.create(
        organization=organization,
        cohort=cohort,
        scope=scope,
        kind=kind,
        team=team[:120],
        requested_by=user,
        language=translation.get_language() or "zh-hans",
    )

    def enqueue() -> None:
        task_id = async_task(
            "cohorts.reporting.tasks.build_export", job.pk, task_name="report-export"
        )
        ExportJob.objects.filter(pk=job.pk).update(task_id=str(task_id or ""))

    transaction.on_commit(enqueue)
    return job


def _set_progress(job: ExportJob, fraction: float) -> None:
    value = max(0, min(int(fraction * 100), 99))
    if value > job.progress:
        job.progress = value
        ExportJob.objects.filter(pk=job.pk).update(progress=value)


def load_report(job: ExportJob) -> Report:
    """The report as the page showed it when the export was asked for."""

    def tick(fraction: float) -> None:
        _set_progress(job, 0.05 + fraction * 0.7)

    if job.scope == ExportScope.COHORT:
        if job.cohort is None:
            raise ExportRefused(_("The cohort of this export no longer exists."))
        return cohort_report(
            cohort=job.cohort,
            organization=job.organization,
            filters=ReportFilters(team=job.team),
            on_progress=tick,
        )
    if job.organization is None:
        raise ExportRefused(_("The organization of this export no longer exists."))
    return organization_report(
        organization=job.organization,
        filters=ReportFilters(cohort_id=job.cohort_id, team=job.team),
        on_progress=tick,
    )


def download_name(job: ExportJob, report: Report | None = None) -> str:
    if job.scope == ExportScope.COHORT and job.cohort is not None:
        stem = slugify(job.cohort.name, allow_unicode=True) or job.cohort.slug
    elif job.organization is not None:
        stem = slugify(job.organization.name, allow_unicode=True) or (
            job.organization.slug
        )
    else:
        stem = "report"
    if job.team:
        stem += "-" + (slugify(job.team, allow_unicode=True) or "team")
    day = timezone.localdate(job.created_at or timezone.now())
    return f"{stem}-{day:%Y%m%d}.{job.kind}"


def export_build(*, job_id: int) -> ExportJob:
    """Prepare a queued export's file (runs in the worker; safe to run twice)."""
    from cohorts.reporting import pdf, xlsx

    job = (
        ExportJob.objects.select_related("organization", "cohort", "requested_by")
        .filter(pk=job_id)
        .first()
    )
    if job is None or job.status == ExportStatus.DONE:
        return job  # type: ignore[return-value]
    job.status, job.started_at, job.progress = ExportStatus.RUNNING, timezone.now(), 2
    job.failure = ""
    job.save(update_fields=["status", "started_at", "progress", "failure"])
    zone = (
        getattr(job.requested_by, "time_zone", None)
        or timezone.get_default_timezone_name()
    )
    try:
        with translation.override(job.language), timezone.override(zone):
            report = load_report(job)
            builder = xlsx.build_xlsx if job.kind == ExportKind.XLSX else pdf.build_pdf
            content = builder(report)
            _set_progress(job, 0.95)
            name = download_name(job, report)
    except Exception as err:  # the job says why; the page shows it
        with translation.override(job.language):
            reason = (
                str(err)
                if isinstance(err, ExportRefused)
                else _("The export could not be prepared (%(error)s).")
                % {"error": f"{err.__class__.__name__}: {err}"}
            )
        job.status, job.failure = ExportStatus.FAILED, reason[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "failure", "finished_at"])
        return job
    job.file.save(name, ContentFile(content), save=False)
    job.file_name, job.status, job.progress = name, ExportStatus.DONE, 100
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "file_name", "status", "progress", "finished_at"])
    return job
