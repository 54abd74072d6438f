"""Exports of the enterprise reports, prepared by the job worker.

An `ExportJob` remembers what was asked (the organisation's dashboard with its filters,
or one cohort's report; Excel or PDF), how far the worker got, and the file it made.
The file is kept so people can download it again; the same permission check as the
page it came from guards the download.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    XLSX = "xlsx", _("Excel workbook (XLSX)")
    PDF = "pdf", _("PDF report")


class ExportScope(models.TextChoices):
    DASHBOARD = "dashboard", _("Organization dashboard")
    COHORT = "cohort", _("Cohort report")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the worker")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Export failed")


def export_upload_path(instance: ExportJob, filename: str) -> str:
    owner = (
        f"org-{instance.organization_id}"
        if instance.organization_id
        else f"cohort-{instance.cohort_id}"
    )
    return f"reporting/exports/{owner}/{filename}"


class ExportJob(models.Model):
    """One export of a dashboard or a cohort report.

    `organization` is set for an organisation's exports (its admins and staff see
    them); it is empty for the whole-cohort report of coaches and staff. `team` and
    `cohort` are the filters the dashboard showed when the export was asked for.
    """

    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_exports",
        verbose_name=_("organization"),
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="report_exports",
        verbose_name=_("cohort"),
    )
    scope = models.CharField(_("report"), max_length=20, choices=ExportScope.choices)
    kind = models.CharField(_("file type"), max_length=10, choices=ExportKind.choices)
    team = models.CharField(_("team filter"), max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ExportStatus.choices,
        default=ExportStatus.QUEUED,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to=export_upload_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    failure = models.TextField(_("why it failed"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organization", "created_at"]),
            models.Index(fields=["cohort", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} · {self.get_kind_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
