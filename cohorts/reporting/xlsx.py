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
from django.utils.translation import pgettext

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
    return (
        pgettext("report column", "Yes") if value else pgettext("report column", "No")
    )


def build_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    everyone = report.organization is None
    title = report.organization.name if report.organization else report.cohorts[0].name

    summary = [
        [pgettext("report column", "Report title"), title],
        [pgettext("report column", "Filters"), filters_description(report)],
    ]
    summary.append(
        [pgettext("report column", "Prepared"), timezone.localtime(report.generated_at)]
    )
    for tile in report_tiles(report):
        value: Any = _fraction(tile.value) if tile.is_percent else tile.value  # type: ignore[arg-type]
        summary.append([tile.label, value])
    _sheet(
        book,
        pgettext("report column", "Summary"),
        [pgettext("report column", "Measure"), pgettext("report column", "Figure")],
        summary,
    )

    people_header = [
        pgettext("report column", "Person's name"),
        pgettext("report column", "Email"),
        *([pgettext("report column", "Organization")] if everyone else []),
        pgettext("report column", "Team"),
        pgettext("report column", "Job title"),
        pgettext("report column", "Cohort"),
        pgettext("report column", "Enrolment status"),
        pgettext("report column", "Lessons completed"),
        pgettext("report column", "Lessons in the course"),
        pgettext("report column", "Lesson progress"),
        pgettext("report column", "Sessions attended"),
        pgettext("report column", "Sessions held"),
        pgettext("report column", "Attendance"),
        pgettext("report column", "Required homework approved"),
        pgettext("report column", "Required homework"),
        pgettext("report column", "Homework submitted"),
        pgettext("report column", "Homework approved"),
        pgettext("report column", "Average score"),
        pgettext("report column", "Open action items"),
        pgettext("report column", "Overdue action items"),
        pgettext("report column", "Champion"),
        pgettext("report column", "Re-training sessions run"),
        pgettext("report column", "Certificates"),
        pgettext("report column", "Latest certificate issued"),
        pgettext("report column", "Certificate code"),
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
    _sheet(book, pgettext("report column", "People"), people_header, people)

    _sheet(
        book,
        pgettext("report column", "Cohorts"),
        [
            pgettext("report column", "Cohort"),
            pgettext("report column", "Cohort format"),
            pgettext("report column", "Starts on"),
            pgettext("report column", "Ends on"),
            pgettext("report column", "People"),
            pgettext("report column", "Average attendance"),
            pgettext("report column", "Average lesson progress"),
            pgettext("report column", "Required homework approved rate"),
            pgettext("report column", "Certificates"),
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
        pgettext("report column", "Sessions"),
        [
            pgettext("report column", "Cohort"),
            pgettext("report column", "Session"),
            pgettext("report column", "Session date"),
            pgettext("report column", "Attended"),
            pgettext("report column", "Expected"),
            pgettext("report column", "Attendance"),
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
        pgettext("report column", "Homework"),
        [
            pgettext("report column", "Cohort"),
            *(name for name, _colour in homework_legend()),
        ],
        [
            [h.cohort.name, h.approved, h.waiting, h.returned, h.missing]
            for h in report.homework
        ],
    )

    _sheet(
        book,
        pgettext("report column", "Champions"),
        [
            pgettext("report column", "Champion"),
            pgettext("report column", "Team"),
            pgettext("report column", "Champion of"),
            pgettext("report column", "Re-training sessions run"),
            pgettext("report column", "Attendees"),
            pgettext("report column", "Last session"),
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
        pgettext("report column", "Re-training sessions"),
        [
            pgettext("report column", "Held on"),
            pgettext("report column", "Champion"),
            pgettext("report column", "Topic"),
            pgettext("report column", "Cohort"),
            pgettext("report column", "Attendees"),
        ],
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
