"""The report as a PDF: a cover (organisation, logo, date), the headline numbers and
charts, the cohorts, and the per-person table, printed by WeasyPrint.

Fonts: Noto Sans CJK (Debian's fonts-noto-cjk, installed by `make`) is named first,
so Chinese names are real, searchable text; Latin text uses the same family.
"""

from __future__ import annotations

import base64
import mimetypes

from django.template.loader import render_to_string
from django.utils import timezone

from cohorts.reporting.presenting import (
    filters_description,
    report_charts,
    report_tiles,
)
from cohorts.reporting.report import Report

MAX_LOGO_BYTES = 2 * 1024 * 1024


def logo_data_uri(report: Report) -> str:
    """The organisation's logo inlined (the worker has no web server to fetch from);
    empty when there is none or it cannot be read."""
    organization = report.organization
    if organization is None or not organization.logo:
        return ""
    kind = mimetypes.guess_type(organization.logo.name)[0] or ""
    if not kind.startswith("image/"):
        return ""
    try:
        with organization.logo.open("rb") as handle:
            content = handle.read(MAX_LOGO_BYTES + 1)
    except (OSError, ValueError):
        return ""
    if len(content) > MAX_LOGO_BYTES:
        return ""
    return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"


def pdf_context(report: Report) -> dict[str, object]:
    return {
        "report": report,
        "title": report.organization.name
        if report.organization
        else report.cohorts[0].name,
        "cohort": report.cohorts[0] if report.organization is None else None,
        "everyone": report.organization is None,
        "tiles": report_tiles(report),
        "charts": report_charts(report),
        "filters": filters_description(report),
        "logo": logo_data_uri(report),
        "generated": timezone.localtime(report.generated_at),
    }


def render_html(report: Report) -> str:
    return render_to_string("reporting/report_pdf.html", pdf_context(report))


def build_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(report), base_url=None).write_pdf()
