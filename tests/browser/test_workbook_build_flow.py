"""A trainee builds the tree, sees a formula error, sets and allocates targets,
and takes a snapshot (English UI so the test does not depend on the catalogue)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from accounts.demo import seed_people
from accounts.models import User
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_login_language import sign_in
from workbook.models import Snapshot, TargetValue
from workbook.services import workbook_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def workbook(transactional_db: None):
    seed_people()
    user = User.objects.get(email="li.na@seabright.demo")
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    return workbook_create(
        owner=user, name="Amazon US 2026", template_key="amazon_store"
    )


def test_build_tree_targets_and_snapshot(
    workbook, live_server, page: Page, screenshot_dir: Path
) -> None:
    base = live_server.url
    sign_in(page, base, "li.na@seabright.demo")
    page.goto(f"{base}/workbooks/{workbook.pk}/tree/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Metric tree")

    # add a node below cogs without a page reload
    page.locator("#node-cogs").get_by_role("link", name="Add below").click()
    page.get_by_label("Metric key in the tree").fill("cogs_lighting")
    page.get_by_label("Library metric").fill("cogs")
    page.get_by_label("Chinese name").fill("灯具商品成本")
    page.get_by_label("Owner (person)").fill("李娜")
    page.get_by_role("button", name="Add the metric").click()
    expect(page.locator("#node-cogs_lighting")).to_contain_text("灯具商品成本")
    page.screenshot(path=screenshot_dir / "workbook-tree-en-laptop.png", full_page=True)

    # a formula with an unknown name shows the caret under it as one types
    page.locator("#node-sales").get_by_role("link", name="Edit").click()
    page.get_by_label("How it breaks down").select_option("formula")
    page.get_by_label("Formula").press_sequentially("sessions * conversion", delay=20)
    expect(page.locator(".formula-caret mark")).to_have_text("conversion")
    page.screenshot(
        path=screenshot_dir / "workbook-formula-error-en-laptop.png", full_page=True
    )
    page.get_by_label("Formula").fill("")
    page.get_by_label("Formula").press_sequentially(
        "sessions * unit_session_percentage * average_selling_price", delay=5
    )
    expect(page.get_by_text("The formula is valid.")).to_be_visible()
    page.get_by_role("button", name="Save the metric").click()
    expect(page.locator("#node-sales")).to_contain_text("ƒ")

    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshot_dir / "workbook-tree-en-phone.png", full_page=True)
    page.set_viewport_size(LAPTOP)

    # type a quarter's target, then allocate it over the months
    page.goto(f"{base}/workbooks/{workbook.pk}/targets/?year=2026")
    cell = page.get_by_label("sessions 2026-Q2", exact=True)
    cell.fill("150000")
    cell.press("Tab")
    expect(page.locator('[id="cell-sessions-2026-Q2"]')).to_have_class(
        "target-cell cell-quarter saved"
    )
    bad = page.get_by_label("unit_session_percentage 2026-05", exact=True)
    bad.fill("300")
    bad.press("Enter")
    expect(page.get_by_text("between 0 and 100 percent")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "workbook-targets-en-laptop.png", full_page=True
    )

    page.locator("#row-sessions").get_by_role("link", name="Allocate").click()
    page.get_by_label("Period to allocate").fill("2026-Q2")
    page.get_by_label("Split over the months evenly").check()
    page.screenshot(
        path=screenshot_dir / "workbook-allocate-en-laptop.png", full_page=True
    )
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Allocated: 3 targets written.")).to_be_visible()
    expect(page.get_by_label("sessions 2026-05", exact=True)).to_have_value("50000")
    assert TargetValue.objects.get(node_key="sessions", period="2026-06").value == 50000
    page.set_viewport_size(PHONE)
    page.screenshot(
        path=screenshot_dir / "workbook-targets-en-phone.png", full_page=True
    )
    page.set_viewport_size(LAPTOP)

    # snapshot
    page.goto(f"{base}/workbooks/{workbook.pk}/snapshots/")
    page.get_by_label("Snapshot title").fill("Homework week 3")
    page.get_by_role("button", name="Take a snapshot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Homework week 3")
    page.screenshot(
        path=screenshot_dir / "workbook-snapshot-en-laptop.png", full_page=True
    )
    page.set_viewport_size(PHONE)
    page.screenshot(
        path=screenshot_dir / "workbook-snapshot-en-phone.png", full_page=True
    )
    assert Snapshot.objects.get().document["targets"]
