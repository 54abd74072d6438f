"""The figures of the organisation report for the constructed Acme (see conftest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cohorts.reporting.report import (
    ReportFilters,
    cohort_report,
    organization_cohorts,
    organization_report,
)
from tests.factories.cohorts import EnrolmentFactory, SessionFactory
from tests.reporting.conftest import Acme, held


def _rows(report) -> dict[tuple[str, str], object]:  # type: ignore[no-untyped-def]
    return {(r.name, r.cohort.slug): r for r in report.rows}


def test_cohorts_of_the_organization(acme: Acme) -> None:
    assert {c.slug for c in organization_cohorts(acme.organization)} == {
        "acme-a",
        "public-b",
    }


def test_rows_and_exact_figures(acme: Acme) -> None:
    report = organization_report(
        organization=acme.organization, filters=ReportFilters()
    )
    rows = _rows(report)
    assert set(rows) == {
        ("王芳", "acme-a"),
        ("李雷", "acme-a"),
        ("Kevin Zhang", "acme-a"),
        ("李雷", "public-b"),
    }  # the outsider in cohort B is not Acme's
    wang = rows[("王芳", "acme-a")]
    assert wang.progress.attendance_percent == Decimal("100.0")
    assert wang.progress.lessons_percent == Decimal("100.0")
    assert wang.progress.assignments_required_approved == 2
    assert wang.progress.average_score_percent == Decimal("85.0")
    assert wang.is_champion and wang.retraining_sessions == 2
    assert wang.team == "Amazon US" and wang.title == "运营经理"
    assert wang.certificates == 1
    assert wang.latest_certificate_code == "ACME-WANG-0001"
    assert wang.latest_certificate_on == timezone.localdate()

    li_a = rows[("李雷", "acme-a")]
    assert li_a.progress.attendance_percent == Decimal("66.7")
    assert li_a.progress.lessons_percent == Decimal("25.0")
    assert li_a.progress.assignments_submitted == 1
    assert li_a.progress.assignments_required_approved == 0
    assert not li_a.is_champion

    kevin = rows[("Kevin Zhang", "acme-a")]
    assert kevin.progress.attendance_percent == Decimal("50.0")  # excused once
    assert kevin.progress.lessons_percent == Decimal("0.0")
    assert kevin.progress.action_items_overdue == 1
    assert kevin.progress.action_items_open == 2

    li_b = rows[("李雷", "public-b")]
    assert li_b.progress.attendance_percent == Decimal("100.0")
    assert li_b.progress.lessons_percent == Decimal("50.0")
    assert li_b.certificates == 0  # revoked


def test_summary_tiles(acme: Acme) -> None:
    summary = organization_report(
        organization=acme.organization, filters=ReportFilters()
    ).summary
    assert summary.people == 3
    assert summary.enrolments == 4
    # (100 + 66.7 + 50 + 100) / 4 = 79.175 → 79.2
    assert summary.attendance_percent == Decimal("79.2")
    # (100 + 25 + 0 + 50) / 4 = 43.75 → 43.8
    assert summary.lessons_percent == Decimal("43.8")
    # 2 approved of 6 required (2 assignments × 3 people in A)
    assert summary.homework_approved_percent == Decimal("33.3")
    assert summary.retraining_this_quarter == 2
    assert summary.certificates == 1


def test_per_cohort_summary_and_charts(acme: Acme) -> None:
    report = organization_report(
        organization=acme.organization, filters=ReportFilters()
    )
    by_cohort = {c.cohort.slug: c for c in report.by_cohort}
    assert by_cohort["acme-a"].people == 3
    assert by_cohort["acme-a"].attendance_percent == Decimal("72.2")  # 216.7 / 3
    assert by_cohort["public-b"].attendance_percent == Decimal("100.0")

    rates = [
        (r.session.cohort.slug, r.attended, r.expected) for r in report.session_rates
    ]
    # A: 3/3, then 2 of 2 expected (Kevin excused), then 1/3; B: Acme's 李雷 only
    assert rates == [
        ("acme-a", 3, 3),
        ("acme-a", 2, 2),
        ("acme-a", 1, 3),
        ("public-b", 1, 1),
    ]

    (homework,) = report.homework
    assert (homework.approved, homework.waiting, homework.returned) == (2, 1, 0)
    assert homework.missing == 3 * 3 - 3  # 3 assignments × 3 people − 3 submitted

    assert dict(report.lesson_buckets) == {
        "0–20%": 1,
        "20–40%": 1,
        "40–60%": 1,
        "60–80%": 0,
        "80–100%": 1,
    }
    months = dict(report.retraining_by_month)
    assert months[timezone.localdate().replace(day=1)] == 2
    assert sum(months.values()) == 3
    (champion,) = report.champions
    assert (champion.name, champion.sessions, champion.cohorts) == (
        "王芳",
        3,
        ["Acme 内训 A"],
    )


def test_filter_by_team(acme: Acme) -> None:
    report = organization_report(
        organization=acme.organization, filters=ReportFilters(team="TikTok")
    )
    assert [(r.name, r.cohort.slug) for r in report.rows] == [("Kevin Zhang", "acme-a")]
    assert report.summary.people == 1
    assert report.summary.attendance_percent == Decimal("50.0")
    assert report.summary.retraining_this_quarter == 0  # the champion is in Amazon US
    assert report.team_choices == ["Amazon US", "TikTok"]


def test_filter_by_cohort(acme: Acme) -> None:
    report = organization_report(
        organization=acme.organization,
        filters=ReportFilters(cohort_id=acme.cohort_b.pk),
    )
    assert [(r.name, r.cohort.slug) for r in report.rows] == [("李雷", "public-b")]
    assert report.summary.retraining_this_quarter == 0  # A's sessions are filtered out
    assert len(report.cohort_choices) == 2


def test_withdrawn_people_are_listed_but_not_averaged(acme: Acme) -> None:
    enrolment = acme.kevin.enrolments.get(cohort=acme.cohort_a)
    enrolment.status = "withdrawn"
    enrolment.save()
    report = organization_report(
        organization=acme.organization, filters=ReportFilters()
    )
    kevin = _rows(report)[("Kevin Zhang", "acme-a")]
    assert kevin.progress.enrolment_status == "withdrawn" and not kevin.is_active
    assert report.summary.attendance_percent == Decimal("88.9")  # (100+66.7+100)/3


def test_one_to_one_sessions_are_not_class_attendance(acme: Acme) -> None:
    SessionFactory(cohort=acme.cohort_a, trainee=acme.wang, **held(1))
    report = organization_report(
        organization=acme.organization,
        filters=ReportFilters(cohort_id=acme.cohort_a.pk),
    )
    assert len(report.session_rates) == 3
    li = next(r for r in report.rows if r.name == "李雷")
    assert li.progress.attendance_percent == Decimal("66.7")


def test_whole_cohort_report_for_coaches(acme: Acme) -> None:
    report = cohort_report(cohort=acme.cohort_b, organization=None)
    rows = {r.name: r for r in report.rows}
    assert set(rows) == {"李雷", "外人"}
    assert rows["李雷"].organizations == "Acme 海岸家居"
    assert rows["外人"].progress.attendance_percent == Decimal("0.0")
    assert report.session_rates[0].expected == 2


def test_cohort_report_for_the_organization(acme: Acme) -> None:
    EnrolmentFactory(cohort=acme.cohort_b)  # a stranger with no membership
    report = cohort_report(cohort=acme.cohort_b, organization=acme.organization)
    assert [r.name for r in report.rows] == ["李雷"]
    assert report.generated_at <= timezone.now() + dt.timedelta(seconds=1)
