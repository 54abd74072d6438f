"""A trainee creates a workbook, uploads a Business Report and watches it import."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.demo import seed_people
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from tests.config.test_jobs import run_one_worker_cycle
from workbook.models import Dataset, DatasetStatus

pytestmark = pytest.mark.django_db(transaction=True)
SAMPLES = Path(__file__).resolve().parents[2] / "kpi" / "samples"


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_people()


def test_upload_and_import_a_business_report(
    demo: None, live_server, page: Page, screenshot_dir: Path
) -> None:
    from django_q.brokers import get_broker

    get_broker().purge_queue()
    sign_in(page, live_server.url, "li.na@seabright.demo")
    expect(page.get_by_role("heading", level=1)).to_contain_text("李娜")
    page.goto(f"{live_server.url}/workbooks/new/")
    page.get_by_label("工作簿名称").fill("2026 亚马逊美国站")
    page.get_by_label("起点").select_option("amazon_store")
    page.screenshot(
        path=screenshot_dir / "workbook-create-zh-laptop.png", full_page=True
    )
    page.get_by_role("button", name="创建工作簿").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 亚马逊美国站")
    page.get_by_role("link", name="数据", exact=True).click()
    page.get_by_label("报表文件").set_input_files(
        str(SAMPLES / "amazon_us_business_report_child_2026-05.csv")
    )
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_text("亚马逊业务报告（按子商品）").first).to_be_visible()
    expect(page.get_by_label("文件覆盖的期间")).to_have_value("2026-05")
    page.screenshot(
        path=screenshot_dir / "dataset-detected-zh-laptop.png", full_page=True
    )
    page.get_by_role("button", name="导入", exact=True).click()
    expect(page.get_by_text("排队中").first).to_be_visible()
    run_one_worker_cycle()
    expect(page.get_by_text("已导入").first).to_be_visible(timeout=10_000)
    expect(page.get_by_text("USD 188,474.28")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "dataset-imported-zh-laptop.png", full_page=True
    )
    assert Dataset.objects.get().status == DatasetStatus.IMPORTED


def test_bad_file_report_on_a_phone(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "kevin.zhang@seabright.demo")
    page.goto(f"{live_server.url}/workbooks/new/")
    page.get_by_label("Workbook name").fill("Ads")
    page.get_by_role("button", name="Create workbook").click()
    page.get_by_role("link", name="Data", exact=True).click()
    page.get_by_label("Export file").set_input_files(
        str(SAMPLES / "variants" / "bad_cells_google_ads.csv")
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Google Ads").first).to_be_visible()
    page.get_by_role("button", name="Import", exact=True).click()
    run_one_worker_cycle()
    expect(page.get_by_text("nothing was imported")).to_be_visible(timeout=10_000)
    page.screenshot(path=screenshot_dir / "dataset-failed-en-phone.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()
