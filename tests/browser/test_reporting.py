"""The org admin opens the enterprise dashboard, filters by team, exports Excel in the
background and downloads it — at laptop and phone widths; the PDF is rendered to PNG
pages for a look."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Organization, User
from cohorts.certificates.models import Certificate
from cohorts.coaching.models import SubmissionStatus
from cohorts.models import Cohort
from cohorts.reporting import exports
from cohorts.reporting.demo import seed_teams
from cohorts.reporting.models import ExportJob, ExportKind, ExportScope, ExportStatus
from courses.models import LessonProgress
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from tests.config.test_jobs import run_one_worker_cycle
from tests.factories.coaching import (
    AssignmentFactory,
    CohortChampionFactory,
    RetrainingSessionFactory,
    SubmissionFactory,
)
from tests.factories.cohorts import seed_demo_cohorts
from tests.factories.courses import LessonPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def seabright(transactional_db: None) -> Organization:
    """The demo people and cohorts, their teams, and some homework, lessons,
    champion activity and a certificate so every chart has something to draw."""
    from django_q.brokers import get_broker

    seed_demo_cohorts()
    organization = Organization.objects.get(slug="seabright")
    seed_teams(organization)
    people = {u.email.split("@")[0]: u for u in User.objects.all()}
    chen, li, kevin = people["chen.siyuan"], people["li.na"], people["kevin.zhang"]
    cohort = Cohort.objects.get(slug="seabright-in-house")
    lessons = [LessonPageFactory(parent=cohort.course) for _ in range(5)]
    for user, done in ((chen, 4), (li, 5), (kevin, 1)):
        for lesson in lessons[:done]:
            LessonProgress.objects.create(
                user=user,
                course_key=cohort.course.translation_key,
                lesson_key=lesson.translation_key,
                completed_at=timezone.now(),
            )
    first = AssignmentFactory(cohort=cohort, title="作业 1：拆解年度 GMV")
    second = AssignmentFactory(cohort=cohort, title="作业 2：广告 ACoS 诊断")
    SubmissionFactory(
        assignment=first,
        trainee=li,
        status=SubmissionStatus.APPROVED,
        score_percent=Decimal("88"),
    )
    SubmissionFactory(
        assignment=first,
        trainee=chen,
        status=SubmissionStatus.APPROVED,
        score_percent=Decimal("92"),
    )
    SubmissionFactory(
        assignment=second, trainee=chen, status=SubmissionStatus.SUBMITTED
    )
    SubmissionFactory(assignment=first, trainee=kevin, status=SubmissionStatus.RETURNED)
    kevin.action_items.create(
        description="补交 5 月广告报表",
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    CohortChampionFactory(cohort=cohort, organization=organization, user=chen)
    today = timezone.localdate()
    for days in (3, 10, 40, 75):
        RetrainingSessionFactory(
            organization=organization,
            champion=chen,
            cohort=cohort,
            held_on=today - dt.timedelta(days=days),
            topic="指标树内部分享",
        )
    Certificate.objects.create(user=li, cohort=cohort, code="SEABRIGHT-LI-0001")
    get_broker().purge_queue()
    return organization


def test_org_admin_filters_and_exports_excel(
    seabright: Organization, live_server, page: Page, screenshot_dir: Path
) -> None:
    from openpyxl import load_workbook

    sign_in(page, live_server.url, "hr@seabright.demo")
    nav = page.locator("#site-nav")
    group = nav.locator("summary").filter(has_text="企业")
    if group.count():  # the menu may group enterprise pages in a drop-down
        group.first.click()
    nav.get_by_role("link", name="企业报表").click()
    expect(page).to_have_url(f"{live_server.url}/org/seabright/")
    expect(page.get_by_role("heading", level=1)).to_have_text("海明家居 Seabright Home")
    expect(page.locator(".tile-people .tile-value")).to_have_text("3")
    expect(page.locator(".people-table")).to_contain_text("陈思远")
    page.screenshot(
        path=screenshot_dir / "reporting-dashboard-laptop.png", full_page=True
    )

    page.get_by_label("团队").select_option("广告组")
    expect(page).to_have_url(re.compile(r"team=%E5%B9%BF%E5%91%8A%E7%BB%84"))
    table = page.locator(".people-table")
    expect(table).to_contain_text("Kevin Zhang")
    expect(table).not_to_contain_text("陈思远")
    expect(page.locator(".tile-people .tile-value")).to_have_text("1")
    page.screenshot(
        path=screenshot_dir / "reporting-dashboard-team-laptop.png", full_page=True
    )

    page.locator(".export-form").get_by_role("button", name="Excel").click()
    job_row = page.locator(".export-job").first
    expect(job_row).to_contain_text("排队中")
    job = ExportJob.objects.get()
    assert (job.team, job.kind) == ("广告组", "xlsx")
    run_one_worker_cycle()
    download_link = job_row.get_by_role("link", name="下载")
    expect(download_link).to_be_visible(timeout=15_000)
    page.screenshot(
        path=screenshot_dir / "reporting-export-ready-laptop.png", full_page=True
    )
    with page.expect_download() as info:
        download_link.click()
    content = Path(info.value.path()).read_bytes()
    book = load_workbook(io.BytesIO(content))
    names = [row[0].value for row in book["人员"].iter_rows(min_row=2)]
    assert names == ["Kevin Zhang"]
    assert ExportJob.objects.get().status == ExportStatus.DONE


def test_dashboard_and_cohort_report_at_phone_width(
    seabright: Organization, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "hr@seabright.demo")
    page.goto(live_server.url + "/org/seabright/")
    expect(page.locator(".report-tiles")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(
        path=screenshot_dir / "reporting-dashboard-phone.png", full_page=True
    )
    page.get_by_role("link", name="海明家居 KPI 内训").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("海明家居 KPI 内训")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "reporting-cohort-phone.png", full_page=True)
    context.close()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils missing")
def test_pdf_renders_to_pages(seabright: Organization, screenshot_dir: Path) -> None:
    job = ExportJob.objects.create(
        organization=seabright,
        scope=ExportScope.DASHBOARD,
        kind=ExportKind.PDF,
        requested_by=User.objects.get(email="hr@seabright.demo"),
    )
    job = exports.export_build(job_id=job.pk)
    assert job.status == ExportStatus.DONE, job.failure
    pdf = screenshot_dir / "reporting-dashboard.pdf"
    pdf.write_bytes(job.file.read())
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            str(pdf),
            str(screenshot_dir / "reporting-pdf"),
        ],
        check=True,
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "海明家居 Seabright Home" in text and "陈思远" in text
