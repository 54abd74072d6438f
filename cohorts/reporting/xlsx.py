"""The report as an Excel workbook: a sheet per section, numbers as numbers.

Percentages are stored as fractions with a % number format (so 66.7 % is 0.667 and
sums and charts in Excel work), dates as real dates, and every text cell passes
through `escape_cell`, so a name such as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.reporting.presenting import (
    filters_description,
    homework_legend,
    report_tiles,
)
from cohorts.reporting.report import Report
from kpi.readers._api import escape_cell

PERCENT = "0.0%"
INTEGER = "0"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"


class Percent(float):
    """A fraction to be shown with the % format."""


def _fraction(value: Decimal | None) -> Percent | None:
    return None if value is None else Percent(float(value) / 100)


def _text(value: object) -> str:
    return escape_cell("" if value is None else str(value))


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _sheet(book: Any, title: str, header: Sequence[str], rows: list[list[Any]]) -> Any:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet = book.create_sheet(_text(title)[:31])
    sheet.append([_text(h) for h in header])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="F5F7FA")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(str(h)) for h in header]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, Percent):
                cell.number_format = PERCENT
            elif isinstance(value, dt.datetime):
                cell.number_format = DATETIME
            elif isinstance(value, dt.date):
                cell.number_format = DATE
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = INTEGER
            shown = 10 if isinstance(value, dt.date | float) else len(str(value or ""))
            widths[c - 1] = max(widths[c - 1], shown)
    for c, width in enumerate(widths, start=1):
        letter = sheet.cell(row=1, column=c).column_letter
        # CJK characters are about twice as wide as Latin ones.
        sheet.column_dimensions[letter].width = min(max(10, int(width * 1.6) + 2), 50)
    sheet.freeze_panes = "A2"
    return sheet


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def build_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    everyone = report.organization is None
    title = report.organization.name if report.organization else report.cohorts[0].name

    summary = [[_("Report title"), title], [_("Filters"), filters_description(report)]]
    summary.append([_("Prepared"), timezone.localtime(report.generated_at)])
    for tile in report_tiles(report):
        value: Any = _fraction(tile.value) if tile.is_percent else tile.value  # type: ignore[arg-type]
        summary.append([tile.label, value])
    _sheet(book, _("Summary"), [_("Measure"), _("Figure")], summary)

    people_header = [
        _("Person's name"),
        _("Email"),
        *([_("Organization")] if everyone else []),
        _("Team"),
        _("Job title"),
        _("Cohort"),
        _("Enrolment status"),
        _("Lessons completed"),
        _("Lessons in the course"),
        _("Lesson progress"),
        _("Sessions attended"),
        _("Sessions held"),
        _("Attendance"),
        _("Required homework approved"),
        _("Required homework"),
        _("Homework submitted"),
        _("Homework approved"),
        _("Average score"),
        _("Open action items"),
        _("Overdue action items"),
        _("Champion"),
        _("Re-training sessions run"),
        _("Certificates"),
        _("Latest certificate issued"),
        _("Certificate code"),
    ]
    people = []
    for r in report.rows:
        p = r.progress
        people.append(
            [
                r.name,
                r.email,
                *([r.organizations] if everyone else []),
                r.team,
                r.title,
                r.cohort.name,
                r.status_label,
                p.lessons_completed,
                p.lessons_total,
                _fraction(p.lessons_percent),
                p.sessions_attended,
                p.sessions_held,
                _fraction(p.attendance_percent),
                p.assignments_required_approved,
                p.assignments_required,
                p.assignments_submitted,
                p.assignments_approved,
                _fraction(p.average_score_percent),
                p.action_items_open,
                p.action_items_overdue,
                _yes(r.is_champion),
                r.retraining_sessions,
                r.certificates,
                r.latest_certificate_on,
                r.latest_certificate_code,
            ]
        )
    _sheet(book, _("People"), people_header, people)

    _sheet(
        book,
        _("Cohorts"),
        [
            _("Cohort"),
            _("Cohort format"),
            _("Starts on"),
            _("Ends on"),
            _("People"),
            _("Average attendance"),
            _("Average lesson progress"),
            _("Required homework approved"),
            _("Certificates"),
        ],
        [
            [
                c.cohort.name,
                c.cohort.get_format_display(),
                c.cohort.starts_on,
                c.cohort.ends_on,
                c.people,
                _fraction(c.attendance_percent),
                _fraction(c.lessons_percent),
                _fraction(c.homework_approved_percent),
                c.certificates,
            ]
            for c in report.by_cohort
        ],
    )

    _sheet(
        book,
        _("Sessions"),
        [
            _("Cohort"),
            _("Session"),
            _("Session date"),
            _("Attended"),
            _("Expected"),
            _("Attendance"),
        ],
        [
            [
                s.cohort.name,
                s.session.title,
                timezone.localtime(s.session.starts_at, s.cohort.zone).date(),
                s.attended,
                s.expected,
                _fraction(s.percent),
            ]
            for s in report.session_rates
        ],
    )

    _sheet(
        book,
        _("Homework"),
        [_("Cohort"), *(name for name, _colour in homework_legend())],
        [
            [h.cohort.name, h.approved, h.waiting, h.returned, h.missing]
            for h in report.homework
        ],
    )

    _sheet(
        book,
        _("Champions"),
        [
            _("Champion"),
            _("Team"),
            _("Champion of"),
            _("Re-training sessions run"),
            _("Attendees"),
            _("Last session"),
        ],
        [
            [
                c.name,
                c.team,
                ", ".join(c.cohorts),
                c.sessions,
                c.attendees,
                c.last_held_on,
            ]
            for c in report.champions
        ],
    )

    _sheet(
        book,
        _("Re-training sessions"),
        [_("Held on"), _("Champion"), _("Topic"), _("Cohort"), _("Attendees")],
        [
            [
                s.held_on,
                str(s.champion),
                s.topic,
                s.cohort.name if s.cohort else "",
                s.attendee_count,
            ]
            for s in report.retraining
        ],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
