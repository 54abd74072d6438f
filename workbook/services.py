"""Writes to workbooks and their data.

The import of a dataset is the one place facts are written. Its rules (also shown to
users on the data page and in docs/architecture.md):

- Nothing counts until the whole file is read: the facts, the replacement of older
  facts and the dataset's status change commit in one transaction, or not at all.
- A *source* is the file format plus the marketplaces in the file. Importing a source
  again for an overlapping period replaces the older facts of that source whose dates
  lie inside the new period (never doubles them); an older dataset left with no facts
  is marked "replaced". The same file imported twice is the simplest case of this.
- The uploaded file is kept as it was uploaded, whatever happens to the import.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

import kpi
from accounts.models import Organization, User
from kpi import readers
from workbook.models import (
    CatalogItem,
    ColumnMapping,
    Dataset,
    DatasetStatus,
    Fact,
    FxRate,
    ImportMode,
    TargetSource,
    Workbook,
)
from workbook.targets import segment_from_key, targets_load

logger = logging.getLogger(__name__)

FACT_BATCH = 5000
MAX_STORED_ERRORS = 500
SEGMENT_FIELDS = (
    "platform",
    "marketplace",
    "category",
    "sku",
    "campaign",
    "team",
    "owner",
)


class WorkbookFileError(ValueError):
    """A workbook file that cannot be read; the message is for the user."""


def workbook_file_data(*, workbook: Workbook) -> dict[str, Any]:
    """The workbook as a portable workbook file: tree, settings, targets and FX rates."""
    document = dict(workbook.document)
    document["name"] = workbook.name
    document["settings"] = {
        **document.get("settings", {}),
        "reporting_currency": workbook.reporting_currency,
        "fiscal_year_start": workbook.fiscal_year_start_month,
        "period_grain": workbook.period_grain,
    }
    document["targets"] = [
        {
            "node": row.node_key,
            "period": row.period,
            "value": float(row.value),
            **({"segment": segment_from_key(row.segment)} if row.segment else {}),
        }
        for row in workbook.targets.order_by("node_key", "period", "segment")
    ]
    document["fx_rates"] = [
        {
            "month": f"{rate.month:%Y-%m}",
            "currency": rate.currency,
            "quote": rate.quote,
            "rate": float(rate.rate),
        }
        for rate in workbook.fx_rates.order_by("month", "currency")
    ]
    document.pop("facts", None)
    kpi.validate_workbook_data(document)
    return document


def _upsert_fx_rates(
    workbook_id: int, rates: list[FxRate], dataset: Dataset | None = None
) -> int:
    """Insert or update monthly rates in one statement (unique per month and pair)."""
    for rate in rates:
        rate.workbook_id, rate.dataset = workbook_id, dataset
    FxRate.objects.bulk_create(
        rates,
        update_conflicts=True,
        unique_fields=["workbook", "month", "currency", "quote"],
        update_fields=["rate", "dataset"],
    )
    return len(rates)


def _fx_from_file(rows: list[dict[str, Any]]) -> list[FxRate]:
    return [
        FxRate(
            month=date.fromisoformat(f"{row['month']}-01"),
            currency=row["currency"],
            quote=row["quote"],
            rate=Decimal(str(row["rate"])),
        )
        for row in rows
    ]


@transaction.atomic
def workbook_import_file(
    *,
    owner: User,
    raw: bytes,
    organization: Organization | None = None,
    name: str = "",
) -> Workbook:
    """Create a workbook from a workbook file (JSON); all of it or nothing."""
    if (
        organization is not None
        and not organization.memberships.filter(user=owner).exists()
    ):
        raise PermissionDenied
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WorkbookFileError(
            _("This is not a workbook file (JSON): %(reason)s") % {"reason": exc}
        ) from exc
    try:
        kpi.validate_workbook_data(document)
        kpi.workbook_from_data(document)  # the engine's own checks: tree, formulas
    except (kpi.WorkbookError, ValueError) as exc:
        raise WorkbookFileError(
            _("The workbook file does not pass the checks: %(reason)s")
            % {"reason": exc}
        ) from exc
    settings_data = document.get("settings", {})
    targets = document.pop("targets", []) or []
    fx_rows = document.pop("fx_rates", []) or []
    document.pop("facts", None)
    document["targets"] = []
    workbook = Workbook.objects.create(
        owner=owner,
        organization=organization,
        name=(name or document.get("name") or _("Imported workbook"))[:200],
        reporting_currency=settings_data.get("reporting_currency", "CNY"),
        fiscal_year_start_month=int(settings_data.get("fiscal_year_start", 1)),
        period_grain=settings_data.get("period_grain", "month"),
        document=document,
    )
    targets_load(
        workbook=workbook, user=owner, targets=targets, source=TargetSource.FILE
    )
    _upsert_fx_rates(workbook.pk, _fx_from_file(fx_rows))
    return workbook


@transaction.atomic
def workbook_duplicate(*, workbook: Workbook, user: User) -> Workbook:
    """A copy of the tree, targets, settings and FX rates; imported data is not copied."""
    if workbook.owner_id != user.pk:
        raise PermissionDenied
    data = workbook_file_data(workbook=workbook)
    copy = Workbook.objects.create(
        owner=user,
        organization=workbook.organization,
        cohort=workbook.cohort,
        name=(_("%(name)s (copy)") % {"name": workbook.name})[:200],
        reporting_currency=workbook.reporting_currency,
        fiscal_year_start_month=workbook.fiscal_year_start_month,
        period_grain=workbook.period_grain,
        template_key=workbook.template_key,
        document={**workbook.document, "targets": []},
    )
    targets_load(
        workbook=copy, user=user, targets=data["targets"], source=TargetSource.FILE
    )
    _upsert_fx_rates(copy.pk, _fx_from_file(data["fx_rates"]))
    return copy


def workbook_set_archived(
    *, workbook: Workbook, user: User, archived: bool
) -> Workbook:
    if workbook.owner_id != user.pk:
        raise PermissionDenied
    workbook.archived_at = timezone.now() if archived else None
    workbook.save(update_fields=["archived_at", "updated_at"])
    return workbook


def _blank_document(
    *, name: str, currency: str, fiscal_start: int, grain: str
) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": name,
        "settings": {
            "reporting_currency": currency,
            "fiscal_year_start": fiscal_start,
            "period_grain": grain,
        },
        "tree": {"root": "gmv", "nodes": [{"key": "gmv", "metric": "gmv"}]},
        "targets": [],
    }


@transaction.atomic
def workbook_create(
    *,
    owner: User,
    name: str,
    template_key: str = "",
    organization: Organization | None = None,
    cohort: Any = None,
    reporting_currency: str = "CNY",
    fiscal_year_start_month: int = 1,
    period_grain: str = "month",
) -> Workbook:
    if (
        organization is not None
        and not organization.memberships.filter(user=owner).exists()
    ):
        raise PermissionDenied
    if template_key:
        if template_key not in kpi.list_templates():
            raise ValidationError(
                _("Unknown template “%(key)s”.") % {"key": template_key}
            )
        document = kpi.workbook_to_data(kpi.load_template(template_key))
        document["name"] = name
    else:
        document = _blank_document(
            name=name,
            currency=reporting_currency,
            fiscal_start=fiscal_year_start_month,
            grain=period_grain,
        )
    document.setdefault("settings", {}).update(
        {
            "reporting_currency": reporting_currency,
            "fiscal_year_start": fiscal_year_start_month,
            "period_grain": period_grain,
        }
    )
    kpi.validate_workbook_data(document)
    targets = document.pop("targets", []) or []
    document["targets"] = []  # targets live in TargetValue rows (workbook.targets)
    if cohort is not None and not cohort.enrolments.filter(user=owner).exists():
        raise PermissionDenied
    workbook = Workbook.objects.create(
        owner=owner,
        organization=organization,
        cohort=cohort,
        name=name,
        template_key=template_key,
        reporting_currency=reporting_currency,
        fiscal_year_start_month=fiscal_year_start_month,
        period_grain=period_grain,
        document=document,
    )
    targets_load(workbook=workbook, user=owner, targets=targets)
    return workbook


# --- Datasets -----------------------------------------------------------------------


def _sha256(uploaded: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _error_dict(error: readers.RowError) -> dict[str, Any]:
    return {
        "row": error.row,
        "column": error.column,
        "code": str(error.reason_code),
        "zh": error.message_zh,
        "en": error.message_en,
        "value": readers.escape_cell(error.value)[:200],
        "severity": str(error.severity),
    }


def _detection_fields(detection: readers.Detection) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "detected_format": detection.format or "",
        "detection_confidence": round(detection.confidence, 3),
        "detection_reason": {"zh": detection.reason_zh, "en": detection.reason},
        "encoding": detection.encoding,
        "format_key": detection.format or "",
    }
    if detection.period_hint is not None:
        fields["period_start"] = detection.period_hint.start
        fields["period_end"] = detection.period_hint.end
    return fields


def dataset_upload(
    *, workbook: Workbook, user: User, uploaded: UploadedFile
) -> Dataset:
    """Keep the file, detect its format from the header, and wait for the user."""
    if workbook.owner_id != user.pk:
        raise PermissionDenied
    max_bytes = settings.UPLOAD_MAX_BYTES
    dataset = Dataset(
        workbook=workbook,
        uploaded_by=user,
        original_name=Path(uploaded.name or "upload").name[:255],
        size_bytes=uploaded.size or 0,
        checksum=_sha256(uploaded),
    )
    dataset.file.save(dataset.original_name, uploaded, save=False)
    if dataset.size_bytes > max_bytes:
        dataset.status = DatasetStatus.FAILED
        dataset.failure = {
            "code": "too_large",
            "zh": f"文件超过 {max_bytes // (1024 * 1024)} MB 的上限。",
            "en": f"The file is larger than the {max_bytes // (1024 * 1024)} MB limit.",
        }
        dataset.save()
        return dataset
    with dataset.file.open("rb") as handle:
        detection = readers.detect(
            handle.read(), name=dataset.original_name, max_bytes=max_bytes
        )
    for field, value in _detection_fields(detection).items():
        setattr(dataset, field, value)
    fatal = [
        e
        for e in detection.errors
        if e.reason_code != readers.ReasonCode.UNKNOWN_FORMAT
    ]
    if detection.format is None and not fatal:
        # Not a format we know: the user maps its columns.
        dataset.format_key = "generic"
    elif detection.errors and detection.format is None:
        detection_errors = fatal
        dataset.status = DatasetStatus.FAILED
        dataset.errors = [_error_dict(e) for e in detection_errors[:MAX_STORED_ERRORS]]
        dataset.error_count = len(detection_errors)
        first = detection_errors[0]
        dataset.failure = {
            "code": str(first.reason_code),
            "zh": first.message_zh,
            "en": first.message_en,
        }
    dataset.save()
    return dataset


@dataclass(frozen=True, slots=True)
class ImportChoice:
    format_key: str
    period: str
    mode: str
    mapping: dict[str, Any] | None = None


def dataset_queue(*, dataset: Dataset, user: User, choice: ImportChoice) -> Dataset:
    """Record the user's choices (format, period, bad-row mode, mapping) and queue the job."""
    from django_q.tasks import async_task

    if dataset.workbook.owner_id != user.pk:
        raise PermissionDenied
    known = {info.key: info for info in readers.formats()}
    info = known.get(choice.format_key)
    if info is None:
        raise ValidationError(_("Choose the file's format."))
    period_start = period_end = None
    if choice.period:
        try:
            period = readers.Period.parse(choice.period)
        except (ValueError, TypeError) as exc:
            raise ValidationError(
                _(
                    "“%(value)s” is not a period. Write 2026-05, 2026-Q2 or 2026-05-01..2026-05-31."
                )
                % {"value": choice.period}
            ) from exc
        period_start, period_end = period.start, period.end
    elif info.needs_period:
        raise ValidationError(
            _(
                "This report has no date column: enter the period it covers, e.g. 2026-05."
            )
        )
    if info.kind == readers.FormatKind.GENERIC:
        if not choice.mapping:
            raise ValidationError(_("Map the file's columns before importing it."))
        readers.ColumnMapping.from_dict(
            choice.mapping
        )  # raises ValueError when malformed
    if dataset.is_running:
        raise ValidationError(_("This file is already being imported."))
    dataset.format_key = choice.format_key
    dataset.period_start, dataset.period_end = period_start, period_end
    dataset.mode = (
        choice.mode if choice.mode in ImportMode.values else ImportMode.STRICT
    )
    dataset.mapping = choice.mapping
    dataset.status = DatasetStatus.QUEUED
    dataset.progress = 5
    dataset.failure = {}
    dataset.errors = []
    dataset.save()
    task_id = async_task(
        "workbook.tasks.import_dataset",
        dataset.pk,
        task_name=f"import dataset {dataset.pk}",
    )
    Dataset.objects.filter(pk=dataset.pk).update(task_id=task_id)
    dataset.task_id = task_id
    return dataset


def _set_stage(dataset: Dataset, status: str, progress: int) -> None:
    dataset.status, dataset.progress = status, progress
    Dataset.objects.filter(pk=dataset.pk).update(status=status, progress=progress)


def _source_key(
    format_key: str, facts: pd.DataFrame, mapping: dict[str, Any] | None
) -> str:
    marketplaces = sorted(set(facts["marketplace"].astype(str))) if len(facts) else []
    platforms = sorted(set(facts["platform"].astype(str))) if len(facts) else []
    key = format_key
    if mapping:
        key += (
            ":"
            + hashlib.sha1(
                repr(sorted(mapping.items())).encode(), usedforsecurity=False
            ).hexdigest()[:10]
        )
    return f"{key}|{','.join(platforms)}|{','.join(marketplaces)}"[:200]


def _totals(facts: pd.DataFrame) -> list[dict[str, Any]]:
    if facts.empty:
        return []
    grouped = (
        facts.groupby(["metric", "currency", "platform", "marketplace"], dropna=False)[
            "value"
        ]
        .sum()
        .reset_index()
        .sort_values(["metric", "platform", "marketplace", "currency"])
    )
    return [
        {
            "metric": row.metric,
            "currency": row.currency,
            "platform": row.platform,
            "marketplace": row.marketplace,
            "value": round(float(row.value), 4),
        }
        for row in grouped.itertuples(index=False)
    ]


def _fact_rows(dataset: Dataset, facts: pd.DataFrame) -> list[Fact]:
    starts = facts["start"].dt.date.tolist()
    ends = facts["end"].dt.date.tolist()
    columns = {name: facts[name].astype(str).tolist() for name in SEGMENT_FIELDS}
    metrics = facts["metric"].astype(str).tolist()
    values = facts["value"].astype(float).tolist()
    currencies = facts["currency"].astype(str).tolist()
    return [
        Fact(
            workbook_id=dataset.workbook_id,
            dataset_id=dataset.pk,
            start=starts[i],
            end=ends[i],
            metric=metrics[i],
            value=values[i],
            currency=currencies[i],
            **{name: columns[name][i] for name in SEGMENT_FIELDS},
        )
        for i in range(len(facts))
    ]


def _replace_overlapping(
    dataset: Dataset, start: date, end: date
) -> list[dict[str, Any]]:
    older = Fact.objects.filter(
        workbook_id=dataset.workbook_id,
        dataset__source_key=dataset.source_key,
        dataset__status=DatasetStatus.IMPORTED,
        start__gte=start,
        end__lte=end,
    ).exclude(dataset_id=dataset.pk)
    counts = dict(
        older.values_list("dataset_id")
        .annotate(n=Count("id"))
        .values_list("dataset_id", "n")
    )
    if not counts:
        return []
    older.delete()
    replaced = []
    for old in Dataset.objects.filter(pk__in=counts).annotate(left=Count("facts")):
        replaced.append(
            {
                "dataset": old.pk,
                "name": old.original_name,
                "facts": counts[old.pk],
                "left": old.left,
            }
        )
        if old.left == 0:
            old.status = DatasetStatus.REPLACED
            old.save(update_fields=["status"])
    return replaced


def _store_reference_tables(dataset: Dataset, result: readers.ReadResult) -> int:
    """FX rates and catalogue rows from the file, upserted in one statement each."""
    stored = 0
    if result.fx_rates is not None and len(result.fx_rates):
        rates = [
            FxRate(
                month=row.month.date(),
                currency=row.currency,
                quote=row.quote,
                rate=Decimal(str(row.rate)),
            )
            for row in result.fx_rates.itertuples(index=False)
        ]
        stored += _upsert_fx_rates(dataset.workbook_id, rates, dataset)
    if result.catalog is not None and len(result.catalog):
        items = []
        for row in result.catalog.to_dict("records"):
            cost = row.get("unit_cost")
            items.append(
                CatalogItem(
                    workbook_id=dataset.workbook_id,
                    dataset=dataset,
                    sku=str(row["sku"]),
                    category=str(row.get("category") or ""),
                    title=str(row.get("title_zh") or row.get("title_en") or "")[:300],
                    unit_cost=None
                    if cost is None or pd.isna(cost)
                    else Decimal(str(cost)),
                    cost_currency=str(row.get("cost_currency") or ""),
                )
            )
        CatalogItem.objects.bulk_create(
            items,
            update_conflicts=True,
            unique_fields=["workbook", "sku"],
            update_fields=[
                "dataset",
                "category",
                "title",
                "unit_cost",
                "cost_currency",
            ],
        )
        stored += len(items)
    return stored


def dataset_import(*, dataset_id: int) -> Dataset:
    """The import job: read the kept file, then commit all its facts or none."""
    dataset = Dataset.objects.select_related("workbook").get(pk=dataset_id)
    dataset.started_at = timezone.now()
    Dataset.objects.filter(pk=dataset.pk).update(started_at=dataset.started_at)
    _set_stage(dataset, DatasetStatus.READING, 15)
    period = None
    if dataset.period_start and dataset.period_end:
        period = readers.Period(dataset.period_start, dataset.period_end)
    try:
        with dataset.file.open("rb") as handle:
            raw = handle.read()
        result = readers.read(
            raw,
            format=dataset.format_key or None,
            period=period,
            mapping=dataset.mapping,
            mode=readers.Mode(dataset.mode),
            options=readers.ReadOptions(max_bytes=settings.UPLOAD_MAX_BYTES),
            name=dataset.original_name,
        )
    except Exception as exc:  # the job must say why, never vanish
        logger.exception("dataset %s: reading failed", dataset.pk)
        return _fail(
            dataset,
            "read_failed",
            f"读取文件时出错：{exc}",
            f"Reading the file failed: {exc}",
        )

    dataset.row_count = result.row_count
    dataset.error_count = result.error_count or len(result.errors)
    dataset.rejected_count = len(result.rejected_rows)
    dataset.errors = [_error_dict(e) for e in result.errors[:MAX_STORED_ERRORS]]
    dataset.warnings = [_error_dict(w) for w in result.warnings[:MAX_STORED_ERRORS]]
    if not result.ok:
        first = result.errors[0] if result.errors else None
        return _fail(
            dataset,
            "bad_rows" if first else "unreadable",
            f"文件有 {dataset.error_count} 处错误，未导入任何数据。请修正后重新上传，或选择只导入正确的行。"
            if first
            else "无法读取这个文件。",
            f"The file has {dataset.error_count} errors; nothing was imported. Fix them and "
            "upload again, or choose to import the good rows only."
            if first
            else "The file could not be read.",
        )

    facts = result.facts
    _set_stage(dataset, DatasetStatus.SAVING, 60)
    try:
        with transaction.atomic():
            dataset.source_key = _source_key(dataset.format_key, facts, dataset.mapping)
            if result.period is not None:
                start, end = result.period.start, result.period.end
            elif len(facts):
                start, end = facts["start"].min().date(), facts["end"].max().date()
            else:
                start = end = None
            dataset.period_start, dataset.period_end = start, end
            dataset.replaced = (
                _replace_overlapping(dataset, start, end) if start and end else []
            )
            rows = _fact_rows(dataset, facts)
            Fact.objects.bulk_create(rows, batch_size=FACT_BATCH)
            reference_rows = _store_reference_tables(dataset, result)
            dataset.fact_count = len(rows)
            dataset.totals = _totals(facts)
            if not rows and not reference_rows:
                raise _NothingToImport
            dataset.status = DatasetStatus.IMPORTED
            dataset.progress = 100
            dataset.finished_at = timezone.now()
            dataset.save()
    except _NothingToImport:
        return _fail(
            dataset,
            "no_rows",
            "文件中没有可导入的数据行。",
            "The file holds no rows to import.",
        )
    except Exception as exc:
        logger.exception("dataset %s: saving failed", dataset.pk)
        return _fail(
            dataset,
            "save_failed",
            f"保存数据时出错：{exc}",
            f"Saving the numbers failed: {exc}",
        )
    return dataset


class _NothingToImport(Exception):
    pass


def _fail(dataset: Dataset, code: str, zh: str, en: str) -> Dataset:
    dataset.status = DatasetStatus.FAILED
    dataset.progress = 100
    dataset.failure = {"code": code, "zh": zh, "en": en}
    dataset.finished_at = timezone.now()
    dataset.fact_count = 0
    dataset.save()
    return dataset


@transaction.atomic
def dataset_delete(*, dataset: Dataset, user: User) -> None:
    """Remove a dataset, its facts and reference rows, and the kept file."""
    if dataset.workbook.owner_id != user.pk:
        raise PermissionDenied
    if dataset.is_running:
        raise ValidationError(
            _("Wait until the import has finished before deleting it.")
        )
    stored = dataset.file.name
    storage = dataset.file.storage
    dataset.delete()
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)


def mapping_save(
    *,
    user: User,
    organization: Organization | None,
    name: str,
    header: list[str],
    mapping: dict[str, Any],
) -> ColumnMapping:
    """Save a generic file's mapping for the organisation (or the user without one)."""
    readers.ColumnMapping.from_dict(mapping)
    lookup: dict[str, Any] = {
        "organization": organization,
        "header_signature": header_signature(header),
    }
    if organization is None:
        lookup["created_by"] = user
    saved = ColumnMapping.objects.filter(**lookup).first()
    if saved is None:
        lookup["created_by"] = user
        return ColumnMapping.objects.create(name=name, mapping=mapping, **lookup)
    saved.name, saved.mapping = name, mapping
    saved.save(update_fields=["name", "mapping", "updated_at"])
    return saved


def header_signature(header: list[str]) -> str:
    normalised = "\x1f".join(h.strip().lower() for h in header)
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
