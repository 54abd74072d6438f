"""Exports: queued from the page, built by the worker, XLSX and PDF content, failures
and who may download."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from cohorts.reporting import exports
from cohorts.reporting.models import ExportJob, ExportKind, ExportScope, ExportStatus
from tests.factories.cohorts import CoachFactory
from tests.reporting.conftest import Acme


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def built(acme: Acme, kind: str, **fields: object) -> ExportJob:
    job = ExportJob.objects.create(
        organization=acme.organization,
        scope=fields.pop("scope", ExportScope.DASHBOARD),
        kind=kind,
        requested_by=acme.admin,
        language=fields.pop("language", "en"),
        **fields,
    )
    return exports.export_build(job_id=job.pk)


def test_request_queues_a_job_with_the_filters(
    acme: Acme, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(acme.admin)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("reporting:export_request", args=["acme"]),
            {
                "kind": "xlsx",
                "scope": "dashboard",
                "cohort": "acme-a",
                "team": "TikTok",
            },
        )
    assert response.status_code == 302
    assert response["Location"].endswith("/org/acme/?cohort=acme-a&team=TikTok")
    job = ExportJob.objects.get()
    assert (job.kind, job.scope, job.cohort, job.team, job.status) == (
        "xlsx",
        "dashboard",
        acme.cohort_a,
        "TikTok",
        ExportStatus.QUEUED,
    )
    assert len(callbacks) == 1 and job.requested_by == acme.admin
    job.refresh_from_db()
    assert job.task_id  # handed to django-q2


def test_htmx_request_answers_the_job_list(acme: Acme) -> None:
    response = client_for(acme.admin).post(
        reverse("reporting:export_request", args=["acme"]),
        {"kind": "pdf", "scope": "cohort", "cohort": "acme-a"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="export-jobs"' in html and 'hx-trigger="every 2s"' in html
    job = ExportJob.objects.get()
    assert (job.scope, job.cohort) == ("cohort", acme.cohort_a)


def test_unknown_kind_is_refused_with_a_message(acme: Acme) -> None:
    response = client_for(acme.admin).post(
        reverse("reporting:export_request", args=["acme"]), {"kind": "exe"}, follow=True
    )
    assert ExportJob.objects.count() == 0
    assert "Excel" in response.content.decode()


def test_unknown_kind_over_htmx_reloads_the_page_with_the_message(acme: Acme) -> None:
    response = client_for(acme.admin).post(
        reverse("reporting:export_request", args=["acme"]),
        {"kind": "exe", "team": "TikTok"},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Redirect"] == "/org/acme/?team=TikTok"
    assert ExportJob.objects.count() == 0


def test_xlsx_numbers_dates_and_escaped_text(acme: Acme) -> None:
    from openpyxl import load_workbook

    acme.kevin.display_name = '=HYPERLINK("http://evil.test","点我")'
    acme.kevin.save()
    job = built(acme, ExportKind.XLSX)
    assert job.status == ExportStatus.DONE, job.failure
    assert job.progress == 100 and job.file_name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(job.file.read()))
    assert book.sheetnames == [
        "Summary",
        "People",
        "Cohorts",
        "Sessions",
        "Homework",
        "Champions",
        "Re-training sessions",
    ]
    people = book["People"]
    assert people.freeze_panes == "A2"
    header = [c.value for c in people[1]]
    rows = [
        dict(zip(header, (c for c in row), strict=True))
        for row in people.iter_rows(min_row=2)
    ]
    by_name = {r["Person's name"].value: r for r in rows}
    li = next(
        r
        for r in rows
        if r["Person's name"].value == "李雷" and r["Cohort"].value == "Acme 内训 A"
    )
    assert li["Attendance"].value == pytest.approx(0.667)
    assert li["Attendance"].number_format == "0.0%"
    assert li["Sessions attended"].value == 2 and li["Sessions held"].value == 3
    wang = by_name["王芳"]
    assert wang["Average score"].value == pytest.approx(0.85)
    assert (
        wang["Champion"].value == "Yes" and wang["Re-training sessions run"].value == 2
    )
    escaped = '\'=HYPERLINK("http://evil.test","点我")'
    assert escaped in by_name
    assert by_name[escaped]["Overdue action items"].value == 1
    assert people.column_dimensions["A"].width >= 10

    sessions = book["Sessions"]
    first_date = sessions.cell(row=2, column=3)
    assert isinstance(
        first_date.value, dt.datetime
    )  # openpyxl reads dates as datetimes
    assert first_date.number_format == "yyyy-mm-dd"
    assert sessions.cell(row=2, column=6).value == pytest.approx(1.0)

    summary = {r[0].value: r[1] for r in book["Summary"].iter_rows(min_row=2)}
    assert summary["People in training"].value == 3
    assert summary["Average attendance"].value == pytest.approx(0.792)
    assert summary["Average attendance"].number_format == "0.0%"
    assert isinstance(summary["Prepared"].value, dt.datetime)


def test_xlsx_with_team_filter_in_chinese(acme: Acme) -> None:
    from openpyxl import load_workbook

    job = built(acme, ExportKind.XLSX, team="TikTok", language="zh-hans")
    book = load_workbook(io.BytesIO(job.file.read()))
    with translation.override("zh-hans"):
        people = book[translation.pgettext("report column", "People")]
    assert people.title == "人员"
    names = [row[0].value for row in people.iter_rows(min_row=2)]
    assert names == ["Kevin Zhang"]
    assert "tiktok" in job.file_name.lower()


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_pdf_has_the_organisation_and_chinese_names_as_text(
    acme: Acme, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    job = built(acme, ExportKind.PDF, language="zh-hans")
    assert job.status == ExportStatus.DONE, job.failure
    path = tmp_path / "report.pdf"
    path.write_bytes(job.file.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "Acme 海岸家居" in text
    assert "王芳" in text and "李雷" in text
    assert "79.2%" in text
    fonts = subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout
    assert "CJK" in fonts and "emb" in fonts.splitlines()[0]


def test_failed_job_says_why(acme: Acme, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cohorts.reporting import xlsx

    def broken(report: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(xlsx, "build_xlsx", broken)
    job = built(acme, ExportKind.XLSX)
    assert job.status == ExportStatus.FAILED
    assert "disk full" in job.failure and job.finished_at is not None
    assert not job.file
    url = reverse("reporting:export_status", args=["acme", job.pk])
    response = client_for(acme.admin).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 286  # stop polling
    assert "disk full" in response.content.decode()


def test_cohort_job_whose_cohort_is_gone_says_why(acme: Acme) -> None:
    job = ExportJob.objects.create(
        organization=acme.organization,
        scope=ExportScope.COHORT,
        kind=ExportKind.XLSX,
        requested_by=acme.admin,
        language="en",
    )
    job = exports.export_build(job_id=job.pk)
    assert job.status == ExportStatus.FAILED
    assert job.failure == "The cohort of this export no longer exists."


def test_download_only_for_those_allowed(acme: Acme, other_admin, plain_member) -> None:  # type: ignore[no-untyped-def]
    job = built(acme, ExportKind.XLSX)
    url = reverse("reporting:export_download", args=["acme", job.pk])
    response = client_for(acme.admin).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert client_for(other_admin).get(url).status_code == 404
    assert client_for(plain_member).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    # the other admin's own organisation does not reach Acme's job either
    other_slug = other_admin.memberships.get().organization.slug
    url = reverse("reporting:export_download", args=[other_slug, job.pk])
    assert client_for(other_admin).get(url).status_code == 404
    status = reverse("reporting:export_status", args=[other_slug, job.pk])
    assert client_for(other_admin).get(status).status_code == 404


def test_whole_cohort_export_for_its_coach(acme: Acme) -> None:
    coach = CoachFactory()
    acme.cohort_b.coaches.add(coach)
    acme.cohort_b.save()
    client = client_for(coach)
    client.post(
        reverse("reporting:cohort_export_request", args=["public-b"]), {"kind": "xlsx"}
    )
    job = ExportJob.objects.get()
    assert (job.organization, job.cohort, job.scope) == (None, acme.cohort_b, "cohort")
    job = exports.export_build(job_id=job.pk)
    assert job.status == ExportStatus.DONE, job.failure
    url = reverse("reporting:cohort_export_download", args=["public-b", job.pk])
    assert client.get(url).status_code == 200
    assert client_for(CoachFactory()).get(url).status_code == 404
    assert client_for(acme.admin).get(url).status_code == 404
    # and the organisation's download address does not serve it
    org_url = reverse("reporting:export_download", args=["acme", job.pk])
    assert client_for(acme.admin).get(org_url).status_code == 404


def test_unfinished_job_cannot_be_downloaded(acme: Acme) -> None:
    job = ExportJob.objects.create(
        organization=acme.organization,
        scope=ExportScope.DASHBOARD,
        kind=ExportKind.PDF,
        requested_by=acme.admin,
    )
    url = reverse("reporting:export_download", args=["acme", job.pk])
    assert client_for(acme.admin).get(url).status_code == 404
    status = client_for(acme.admin).get(
        reverse("reporting:export_status", args=["acme", job.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert status.status_code == 200
    assert 'hx-trigger="every 2s"' in status.content.decode()
