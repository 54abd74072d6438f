"""The owner reads the build pages in Chinese; a coach it is shared with reads them
without any way to change them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import seed_people
from accounts.models import User
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from workbook import targets
from workbook.models import WorkbookShare
from workbook.services import workbook_create
from workbook.snapshots import snapshot_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workbook(transactional_db: None):
    seed_people()
    owner = User.objects.get(email="chen.siyuan@seabright.demo")
    workbook = workbook_create(
        owner=owner, name="海明家居 · 亚马逊美国站", template_key="amazon_store"
    )
    for node, period, value in [
        ("sessions", "2026-05", "50000"),
        ("average_selling_price", "2026-05", "230"),
        ("sales", "2026-05", "1400000"),
        ("unit_session_percentage", "2026-05", "0.125"),
    ]:
        targets.target_set(
            workbook=workbook,
            user=owner,
            node_key=node,
            period=period,
            value=Decimal(value),
            expected_version=0,
        )
    snapshot_create(workbook=workbook, user=owner, title="第 5 周作业")
    coach = User.objects.get(email="coach@lodestar.demo")
    WorkbookShare.objects.create(workbook=workbook, user=coach, role="coach")
    return workbook


def test_owner_in_chinese_and_coach_read_only(
    workbook, live_server, page: Page, screenshot_dir: Path
) -> None:
    base = live_server.url
    sign_in(page, base, "chen.siyuan@seabright.demo")
    page.goto(f"{base}/workbooks/{workbook.pk}/targets/?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text("目标")
    expect(page.locator('[id="cell-sales-2026-05"]')).to_have_class(
        "target-cell cell-month mismatch"
    )
    page.screenshot(
        path=screenshot_dir / "workbook-targets-zh-laptop.png", full_page=True
    )
    page.goto(f"{base}/workbooks/{workbook.pk}/tree/")
    expect(page.get_by_role("heading", level=1)).to_have_text("指标树")
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "workbook-tree-zh-phone.png", full_page=True)
    page.goto(f"{base}/workbooks/{workbook.pk}/snapshots/")
    expect(page.get_by_text("Sarah Mitchell")).to_be_visible()
    expect(page.get_by_role("button", name="停止共享")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "workbook-sharing-zh-phone.png", full_page=True
    )

    page.context.clear_cookies()
    sign_in(page, base, "coach@lodestar.demo")
    page.goto(f"{base}/workbooks/shared/")
    page.get_by_role("link", name="海明家居 · 亚马逊美国站").click()
    expect(page.get_by_text("Only its owner can change it.")).to_be_visible()
    expect(page.get_by_role("link", name="Add a metric")).to_have_count(0)
    page.goto(f"{base}/workbooks/{workbook.pk}/targets/?year=2026")
    expect(page.locator("input.target-input")).to_have_count(0)
    page.screenshot(
        path=screenshot_dir / "workbook-targets-coach-en-phone.png", full_page=True
    )
    page.goto(f"{base}/workbooks/{workbook.pk}/snapshots/")
    page.get_by_role("link", name="第 5 周作业").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("第 5 周作业")
