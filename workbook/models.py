"""A trainee's KPI workbook and the data imported into it.

The workbook's tree, targets and settings are kept as the kpi portable workbook
document (``Workbook.document``, validated by ``kpi.validate_workbook_data``); the
numbers behind it are ``Fact`` rows written only by a ``Dataset`` import, so deleting
a dataset removes exactly its facts.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization

CURRENCIES = [
    ("CNY", _("Chinese yuan (CNY)")),
    ("USD", _("US dollar (USD)")),
    ("EUR", _("Euro (EUR)")),
    ("GBP", _("Pound sterling (GBP)")),
    ("JPY", _("Japanese yen (JPY)")),
    ("SGD", _("Singapore dollar (SGD)")),
    ("HKD", _("Hong Kong dollar (HKD)")),
    ("CAD", _("Canadian dollar (CAD)")),
    ("AUD", _("Australian dollar (AUD)")),
    ("MXN", _("Mexican peso (MXN)")),
]


class PeriodGrain(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class Workbook(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="workbooks",
        verbose_name=_("owner"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workbooks",
        verbose_name=_("organization"),
    )
    cohort = models.ForeignKey(
        "cohorts.Cohort",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workbooks",
        verbose_name=_("cohort"),
    )
    name = models.CharField(_("name"), max_length=200)
    reporting_currency = models.CharField(
        _("reporting currency"), max_length=3, choices=CURRENCIES, default="CNY"
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in month"),
        default=1,
        choices=[(m, str(m)) for m in range(1, 13)],
    )
    period_grain = models.CharField(
        _("period grain"),
        max_length=10,
        choices=PeriodGrain.choices,
        default=PeriodGrain.MONTH,
    )
    template_key = models.CharField(
        _("started from template"), max_length=80, blank=True
    )
    document = models.JSONField(
        _("workbook document"),
        default=dict,
        help_text=_("Tree, targets and settings in the kpi workbook file format."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("workbook")
        verbose_name_plural = _("workbooks")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "archived_at"])]

    def __str__(self) -> str:
        return self.name


class ColumnMapping(models.Model):
    """A saved mapping of a generic file's columns, reused for files with that header."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="column_mappings",
        verbose_name=_("organization"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="column_mappings",
        verbose_name=_("created by"),
    )
    name = models.CharField(_("name"), max_length=200)
    header_signature = models.CharField(_("header signature"), max_length=64)
    mapping = models.JSONField(_("mapping"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["organization", "header_signature"])]

    def __str__(self) -> str:
        return self.name


class DatasetStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting for confirmation")
    QUEUED = "queued", _("Queued")
    READING = "reading", _("Reading the file")
    SAVING = "saving", _("Saving the numbers")
    IMPORTED = "imported", _("Imported")
    REPLACED = "replaced", _("Replaced by a newer import")
    FAILED = "failed", _("Failed")


class ImportMode(models.TextChoices):
    STRICT = "strict", _("Stop at the first bad row and show the report")
    SKIP_BAD_ROWS = (
        "skip_bad_rows",
        _("Import the good rows and list the rejected ones"),
    )


def dataset_upload_to(instance: Dataset, filename: str) -> str:
    return (
        f"workbooks/{instance.workbook_id}/datasets/{instance.checksum[:16]}/{filename}"
    )


class Dataset(models.Model):
    """One uploaded file and the outcome of importing it; the file is kept as is."""

    workbook = models.ForeignKey(
        Workbook,
        on_delete=models.CASCADE,
        related_name="datasets",
        verbose_name=_("workbook"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file = models.FileField(_("file"), upload_to=dataset_upload_to, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("size"))
    checksum = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    detected_format = models.CharField(_("detected format"), max_length=60, blank=True)
    detection_confidence = models.FloatField(_("detection confidence"), default=0)
    detection_reason = models.JSONField(_("detection reason"), default=dict)
    encoding = models.CharField(_("encoding"), max_length=30, blank=True)
    format_key = models.CharField(_("format"), max_length=60, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)
    mapping = models.JSONField(_("column mapping"), null=True, blank=True)
    mode = models.CharField(
        _("bad rows"),
        max_length=20,
        choices=ImportMode.choices,
        default=ImportMode.STRICT,
    )
    source_key = models.CharField(
        _("source"), max_length=200, blank=True, db_index=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=DatasetStatus.choices,
        default=DatasetStatus.UPLOADED,
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    row_count = models.PositiveIntegerField(_("rows read"), default=0)
    fact_count = models.PositiveIntegerField(_("facts"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    totals = models.JSONField(_("totals"), default=list, blank=True)
    replaced = models.JSONField(_("replaced"), default=list, blank=True)
    failure = models.JSONField(_("failure"), default=dict, blank=True)
    task_id = models.CharField(_("job"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_running(self) -> bool:
        return self.status in {
            DatasetStatus.QUEUED,
            DatasetStatus.READING,
            DatasetStatus.SAVING,
        }


class Fact(models.Model):
    """One number from an import: a metric on a date range and segment (kpi.facts)."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="facts"
    )
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="facts")
    start = models.DateField()
    end = models.DateField()
    platform = models.CharField(max_length=40, blank=True, default="")
    marketplace = models.CharField(max_length=40, blank=True, default="")
    category = models.CharField(max_length=120, blank=True, default="")
    sku = models.CharField(max_length=120, blank=True, default="")
    campaign = models.CharField(max_length=255, blank=True, default="")
    team = models.CharField(max_length=120, blank=True, default="")
    owner = models.CharField(max_length=120, blank=True, default="")
    metric = models.CharField(max_length=64)
    value = models.FloatField()
    currency = models.CharField(max_length=3, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["workbook", "metric", "start"]),
            models.Index(fields=["workbook", "start", "end"]),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.start}–{self.end} = {self.value}"


class FxRate(models.Model):
    """A monthly rate: `rate` units of `quote` for one unit of `currency`."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="fx_rates"
    )
    dataset = models.ForeignKey(
        Dataset,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fx_rates",
    )
    month = models.DateField(_("month"))
    currency = models.CharField(_("currency"), max_length=3)
    quote = models.CharField(_("quote currency"), max_length=3)
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["month", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["workbook", "month", "currency", "quote"],
                name="fxrate_unique_workbook_month_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.currency}/{self.quote} {self.rate}"


class CatalogItem(models.Model):
    """A SKU's master data from a catalogue import (category, cost)."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="catalog"
    )
    dataset = models.ForeignKey(
        Dataset, on_delete=models.CASCADE, null=True, blank=True, related_name="catalog"
    )
    sku = models.CharField(_("SKU"), max_length=120)
    category = models.CharField(_("category"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    unit_cost = models.DecimalField(
        _("unit cost"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    cost_currency = models.CharField(_("cost currency"), max_length=3, blank=True)

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["sku"]
        constraints = [
            models.UniqueConstraint(
                fields=["workbook", "sku"], name="catalogitem_unique_workbook_sku"
            )
        ]

    def __str__(self) -> str:
        return self.sku


# --- Targets ---------------------------------------------------------------------------


class TargetValue(models.Model):
    """A target for one tree node, period and segment; `version` guards concurrent edits."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="targets"
    )
    node_key = models.CharField(_("node"), max_length=80)
    period = models.CharField(
        _("period"), max_length=20
    )  # kpi label: 2026, 2026-Q2, 2026-05
    segment = models.CharField(
        _("segment"), max_length=255, blank=True, default=""
    )  # "" = all; otherwise "field=value;field=value" sorted by field
    value = models.DecimalField(_("target"), max_digits=20, decimal_places=6)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["workbook", "node_key", "period", "segment"],
                name="targetvalue_unique_cell",
            )
        ]

    def __str__(self) -> str:
        return f"{self.node_key} {self.period} {self.segment or '*'} = {self.value}"


class TargetSource(models.TextChoices):
    MANUAL = "manual", _("Typed in")
    EVEN = "even", _("Split evenly")
    WEIGHTS = "weights", _("Split by weights")
    SEASONALITY = "seasonality", _("Split by last year's seasonality")
    SOLVE = "solve", _("Solved from the other factors")
    TEMPLATE = "template", _("From the template")
    FILE = "file", _("From a workbook file")
    DELETE = "delete", _("Removed")


class TargetChange(models.Model):
    """The audit trail: who changed which target, when, from what to what."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="target_changes"
    )
    node_key = models.CharField(_("node"), max_length=80)
    period = models.CharField(_("period"), max_length=20)
    segment = models.CharField(_("segment"), max_length=255, blank=True, default="")
    old_value = models.DecimalField(
        max_digits=20, decimal_places=6, null=True, blank=True
    )
    new_value = models.DecimalField(
        max_digits=20, decimal_places=6, null=True, blank=True
    )
    source = models.CharField(
        _("how"),
        max_length=20,
        choices=TargetSource.choices,
        default=TargetSource.MANUAL,
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("target change")
        verbose_name_plural = _("target changes")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["workbook", "node_key", "changed_at"])]

    def __str__(self) -> str:
        return f"{self.node_key} {self.period}: {self.old_value} → {self.new_value}"


# --- Weekly review and action items ------------------------------------------------------


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DONE = "done", _("Done")


class WeeklyReview(models.Model):
    """A review (复盘) of one period: each off-track KPI → its driver → cause → actions."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="reviews"
    )
    period = models.CharField(_("period"), max_length=20)  # 2026-W20 or 2026-05
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
    )
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("weekly review")
        verbose_name_plural = _("weekly reviews")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(
                fields=["workbook", "period"], name="weeklyreview_unique_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workbook} {self.period}"


class ReviewFinding(models.Model):
    """One KPI looked at in a review, with the numbers as they were then."""

    review = models.ForeignKey(
        WeeklyReview, on_delete=models.CASCADE, related_name="findings"
    )
    node_key = models.CharField(_("node"), max_length=80)
    status = models.CharField(
        _("status"), max_length=20
    )  # kpi.Status value at review time
    actual = models.FloatField(_("actual"), null=True, blank=True)
    target = models.FloatField(_("target"), null=True, blank=True)
    driver_key = models.CharField(_("main driver"), max_length=80, blank=True)
    driver_effect = models.FloatField(_("driver effect"), null=True, blank=True)
    cause = models.TextField(_("cause"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("review finding")
        verbose_name_plural = _("review findings")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.review}: {self.node_key}"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItemSource(models.TextChoices):
    WEEKLY_REVIEW = "weekly_review", _("Weekly review")
    HOMEWORK_REVIEW = "homework_review", _("Homework review")
    FOLLOW_UP = "follow_up", _("Follow-up session")
    OTHER = "other", _("Other")


class ActionItem(models.Model):
    """Something a person agreed to do. One model for reviews, homework and follow-ups:
    coaching reaches it through `User.action_items` without importing this app."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("owner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    workbook = models.ForeignKey(
        Workbook,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_items",
    )
    review = models.ForeignKey(
        WeeklyReview,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    finding = models.ForeignKey(
        ReviewFinding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    follow_up = models.ForeignKey(
        "coaching.FollowUp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("follow-up"),
    )
    submission = models.ForeignKey(
        "coaching.Submission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("homework"),
    )
    description = models.TextField(_("what"))
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
    )
    source = models.CharField(
        _("from"),
        max_length=20,
        choices=ActionItemSource.choices,
        default=ActionItemSource.WEEKLY_REVIEW,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.description[:60]


# --- Snapshots, sharing, reports ---------------------------------------------------------


class Snapshot(models.Model):
    """The workbook frozen at a moment (tree, targets, actuals, review): never changes."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="snapshots"
    )
    title = models.CharField(_("title"), max_length=200)
    document = models.JSONField(_("tree, targets and settings"))
    actuals = models.JSONField(_("evaluation"), default=dict)
    review = models.JSONField(_("latest review"), default=dict, blank=True)
    submission_version = models.OneToOneField(
        "coaching.SubmissionVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workbook_snapshot",
        verbose_name=_("submitted as homework"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ShareRole(models.TextChoices):
    COACH = "coach", _("Coach")
    CHAMPION = "champion", _("Internal champion")


class WorkbookShare(models.Model):
    """Read-only access for one of the trainee's coaches or their organisation's champion."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="shares"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="shared_workbooks",
    )
    role = models.CharField(_("as"), max_length=20, choices=ShareRole.choices)
    created_at = models.DateTimeField(_("shared"), auto_now_add=True)

    class Meta:
        verbose_name = _("workbook share")
        verbose_name_plural = _("workbook shares")
        constraints = [
            models.UniqueConstraint(
                fields=["workbook", "user"], name="workbookshare_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workbook} → {self.user}"


class ReportKind(models.TextChoices):
    PDF = "pdf", _("PDF report")
    XLSX = "xlsx", _("Excel workbook")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportJob(models.Model):
    """An export prepared by the job worker; the file is kept for download."""

    workbook = models.ForeignKey(
        Workbook, on_delete=models.CASCADE, related_name="reports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    period = models.CharField(_("period"), max_length=20, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReportStatus.choices,
        default=ReportStatus.QUEUED,
    )
    file = models.FileField(_("file"), upload_to="workbooks/reports/", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    failure = models.TextField(_("failure"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.workbook}"
