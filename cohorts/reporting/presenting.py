"""Words and charts around a `Report`, shared by the page, the Excel file and the PDF.

Call these inside the reader's language (a request, or `translation.override` in the
worker): every label comes from gettext here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cohorts.reporting import charts
from cohorts.reporting.report import Report, SessionRate


@dataclass(frozen=True, slots=True)
class Tile:
    """A headline number: `value` is a count or a percentage (0–100) or None."""

    key: str
    label: str
    value: int | Decimal | None
    is_percent: bool = False
    note: str = ""

    @property
    def display(self) -> str:
        if self.is_percent:
            return charts.format_percent(self.value)
        return "—" if self.value is None else f"{self.value:,}"


def report_tiles(report: Report) -> list[Tile]:
    s = report.summary
    return [
        Tile(
            "people",
            _("People in training"),
            s.people,
            note=_("%(count)s enrolments") % {"count": s.enrolments},
        ),
        Tile(
            "attendance",
            _("Average attendance"),
            s.attendance_percent,
            is_percent=True,
        ),
        Tile(
            "lessons",
            _("Average lesson progress"),
            s.lessons_percent,
            is_percent=True,
        ),
        Tile(
            "homework",
            _("Required homework approved"),
            s.homework_approved_percent,
            is_percent=True,
        ),
        Tile("certificates", _("Certificates issued"), s.certificates),
        Tile(
            "retraining",
            _("Re-training sessions this quarter"),
            s.retraining_this_quarter,
        ),
    ]


def homework_legend() -> list[tuple[str, str]]:
    return [
        (pgettext("homework status", "Approved"), charts.GOOD),
        (pgettext("homework status", "Waiting for review"), charts.PRIMARY),
        (pgettext("homework status", "Returned"), charts.WARN_FILL),
        (pgettext("homework status", "Not submitted"), charts.NEUTRAL),
    ]


def session_label(report: Report, rate: SessionRate) -> str:
    """The session's day and title, with the cohort's name first when several show."""
    day = date_format(timezone.localtime(rate.session.starts_at), "m-d")
    label = f"{day} {rate.session.title}"
    if len(report.cohorts) > 1:
        label = f"{rate.cohort.name} · {label}"
    return label


def report_charts(
    report: Report, *, recent_sessions: int = 12
) -> dict[str, SafeString]:
    rates = report.session_rates[-recent_sessions:]
    return {
        "lessons": charts.column_chart(
            report.lesson_buckets,
            title=_("People by lesson progress"),
            empty=_("No lesson progress yet."),
        ),
        "attendance": charts.percent_bars(
            [(session_label(report, r), r.percent) for r in rates],
            title=_("Attendance by session"),
            empty=_("No session has been held yet."),
        ),
        "homework": charts.stacked_bars(
            [
                (h.cohort.name, [h.approved, h.waiting, h.returned, h.missing])
                for h in report.homework
            ],
            legend=homework_legend(),
            title=_("Homework by status"),
            empty=_("No homework has been set yet."),
        ),
        "retraining": charts.column_chart(
            [(date_format(m, "y-m"), n) for m, n in report.retraining_by_month],
            title=_("Re-training sessions per month"),
            empty=_("No re-training session in the last twelve months."),
            colour=charts.GOOD,
        ),
    }


def filters_description(report: Report) -> str:
    parts = []
    cohort = report.selected_cohort
    if cohort is not None and len(report.cohort_choices) > 1:
        parts.append(_("Cohort: %(name)s") % {"name": cohort.name})
    if report.filters.team:
        parts.append(_("Team: %(team)s") % {"team": report.filters.team})
    return " · ".join(parts) or _("All cohorts and teams")
