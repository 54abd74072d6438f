"""Job worker entry point for exports (django-q2)."""

from __future__ import annotations

from workbook.reports import report_build


def build_report(report_job_id: int, language: str = "zh-hans") -> str:
    job = report_build(job_id=report_job_id, language=language)
    return job.status
