"""django-q2 entry points for the workbook; each calls one service."""

from __future__ import annotations

from workbook.services import dataset_import


def import_dataset(dataset_id: int) -> dict[str, object]:
    dataset = dataset_import(dataset_id=dataset_id)
    return {
        "dataset": dataset.pk,
        "status": dataset.status,
        "facts": dataset.fact_count,
    }
