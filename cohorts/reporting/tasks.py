"""Job worker entry point for report exports (django-q2)."""

from __future__ import annotations

from cohorts.reporting.exports import export_build


def build_export(export_job_id: int) -> str:
    job = export_build(job_id=export_job_id)
    return job.status if job is not None else "missing"
