"""An org admin bulk-enrols people from a file: preview row by row, then confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from cohorts.models import BulkEnrolment, Enrolment
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROSTER = (
    "姓名,邮箱\n"
    "王小明,wang.xm@seabright.demo\n"
    "李娜,li.na@seabright.demo\n"
    "赵六,zhao-at-seabright\n"
    "王小明,WANG.XM@seabright.demo\n"
)


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo_cohorts()


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "海明名单.csv"
    path.write_bytes(ROSTER.encode("gb18030"))
    return path


def test_org_admin_bulk_enrols_from_a_file(
    demo: None, live_server, page: Page, roster: Path, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "hr@seabright.demo")
    page.goto(live_server.url + "/cohorts/seabright-in-house/")
    page.get_by_role("link", name="批量报名").click()
    expect(page.get_by_role("heading", name="批量报名", exact=True)).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "cohorts-bulk-upload-laptop.png", full_page=True
    )

    page.get_by_label("名单文件").set_input_files(roster)
    page.get_by_role("button", name="检查文件").click()

    table = page.locator("table.roster-report")
    expect(table).to_contain_text("新账号：将创建并发送邀请")
    expect(table).to_contain_text("已报名：无需操作")
    expect(table).to_contain_text("邮箱地址无效")
    expect(table).to_contain_text("与第 2 行邮箱重复：已跳过")
    assert not User.objects.filter(email="wang.xm@seabright.demo").exists()
    page.screenshot(
        path=screenshot_dir / "cohorts-bulk-preview-laptop.png", full_page=True
    )

    page.get_by_role("button", name="为 1 人报名").click()
    expect(page.get_by_text("已为 1 人报名")).to_be_visible()
    expect(table).to_contain_text("已创建账号、发送邀请并报名")
    page.screenshot(
        path=screenshot_dir / "cohorts-bulk-done-laptop.png", full_page=True
    )

    assert Enrolment.objects.filter(
        cohort__slug="seabright-in-house", user__email="wang.xm@seabright.demo"
    ).exists()
    page.get_by_role("link", name="返回班期").click()
    page.get_by_role("link", name="人员").click()
    expect(page.get_by_text("王小明")).to_be_visible()
    page.screenshot(path=screenshot_dir / "cohorts-roster-laptop.png", full_page=True)
    bulk = BulkEnrolment.objects.get()
    assert bulk.original_name == "海明名单.csv"
    assert bulk.file.read() == ROSTER.encode("gb18030")


def test_bulk_preview_at_phone_width(
    demo: None, live_server, browser: Browser, roster: Path, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "hr@seabright.demo")
    page.goto(live_server.url + "/cohorts/seabright-in-house/enrol/")
    page.get_by_label("名单文件").set_input_files(roster)
    page.get_by_role("button", name="检查文件").click()
    expect(page.locator("table.roster-report")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "cohorts-bulk-preview-phone.png", full_page=True
    )
    context.close()
