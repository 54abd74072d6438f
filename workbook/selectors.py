"""Reads for the workbook. A trainee sees only their own workbooks; others get 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.models import User
from kpi import readers
from workbook.models import ColumnMapping, Dataset, DatasetStatus, Workbook


def workbooks_of(user: User) -> QuerySet[Workbook]:
    return (
        Workbook.objects.filter(owner=user, archived_at__isnull=True)
        .select_related("organization")
        .annotate(
            dataset_count=Count(
                "datasets", filter=Q(datasets__status=DatasetStatus.IMPORTED)
            )
        )
    )


def workbook_for_owner_or_404(*, user: User, pk: int) -> Workbook:
    if not user.is_authenticated:
        raise Http404
    workbook = (
        Workbook.objects.filter(pk=pk, owner=user)
        .select_related("organization")
        .first()
    )
    if workbook is None:
        raise Http404
    return workbook


def dataset_for_owner_or_404(*, user: User, workbook_pk: int, pk: int) -> Dataset:
    if not user.is_authenticated:
        raise Http404
    dataset = (
        Dataset.objects.filter(pk=pk, workbook_id=workbook_pk, workbook__owner=user)
        .select_related("workbook", "workbook__organization")
        .first()
    )
    if dataset is None:
        raise Http404
    return dataset


def datasets_of(workbook: Workbook) -> QuerySet[Dataset]:
    return workbook.datasets.select_related("uploaded_by").order_by("-created_at")


def saved_mapping_for(*, dataset: Dataset, header: list[str]) -> ColumnMapping | None:
    from workbook.services import header_signature

    signature = header_signature(header)
    organization = dataset.workbook.organization
    candidates = ColumnMapping.objects.filter(header_signature=signature)
    if organization is not None:
        return candidates.filter(organization=organization).first()
    return candidates.filter(
        organization__isnull=True, created_by=dataset.workbook.owner
    ).first()


def format_choices() -> list[tuple[str, str, str]]:
    """(key, Chinese label, English label) for the format picker."""
    return [(f.key, f.label_zh, f.label_en) for f in readers.formats()]


def format_info(key: str) -> readers.FormatInfo | None:
    return next((f for f in readers.formats() if f.key == key), None)


def metric_labels() -> dict[str, dict[str, Any]]:
    import kpi

    library = kpi.load_library()
    return {
        metric.key: {
            "zh": metric.name_zh,
            "en": metric.name_en,
            "unit": str(metric.unit),
        }
        for metric in library.metrics.values()
    }
