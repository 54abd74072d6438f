"""A trainee reads the dashboard and a waterfall, writes a weekly review and
exports the PDF report — at laptop and phone widths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.demo import seed_people
from accounts.models import User
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from tests.config.test_jobs import run_one_worker_cycle
from tests.workbook.test_insight_setup import store_workbook
from workbook.models import ActionItem, ReportJob, ReportStatus, WeeklyReview

pytestmark = pytest.mark.django_db(transaction=True)
EMAIL = "kevin.zhang@seabright.demo"


@pytest.fixture
def workbook(transactional_db: None):  # type: ignore[no-untyped-def]
    from django_q.brokers import get_broker

    seed_people()
    workbook = store_workbook(User.objects.get(email=EMAIL))
    get_broker().purge_queue()  # the imports above already ran synchronously
    return workbook


def test_dashboard_review_and_pdf_export(
    workbook, live_server, page: Page, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, EMAIL)
    page.goto(f"{live_server.url}/workbooks/{workbook.pk}/dashboard/?period=2026-05")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    tree = page.get_by_role("list", name="Metric tree with status")
    expect(tree.locator("#node-sales")).to_contain_text("Off track")
    expect(page.locator("#drill h2")).to_contain_text("Ordered product sales")
    page.screenshot(
        path=screenshot_dir / "insight-dashboard-en-laptop.png", full_page=True
    )

    # drill into sessions (htmx swaps the panel and pushes the address)
    tree.get_by_role("link", name="Sessions", exact=True).click()
    expect(page.locator("#drill h2")).to_contain_text("Sessions")
    expect(page).to_have_url(re.compile(r"node=sessions"))

    # the waterfall of sales vs the previous period
    tree.get_by_role("link", name="Ordered product sales", exact=True).click()
    expect(page.locator("#drill h2")).to_contain_text("Ordered product sales")
    page.get_by_role("link", name="vs previous period").click()
    waterfall = page.locator("svg.chart-waterfall")
    expect(waterfall).to_contain_text("Previous period")
    expect(waterfall).to_contain_text("Sessions")
    page.locator("#waterfall").scroll_into_view_if_needed()
    page.locator("#drill").screenshot(
        path=screenshot_dir / "insight-waterfall-en-laptop.png"
    )

    # period picker reloads the body
    page.get_by_label("Period", exact=True).select_option("2026-04")
    expect(page.get_by_role("heading", name="KPI tree · 2026-04")).to_be_visible()

    # weekly review
    page.get_by_role("link", name="Weekly review", exact=True).click()
    page.get_by_label("Period to review").select_option("2026-05")
    page.get_by_role("button", name="Start or open the review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review of 2026-05")
    sales = page.locator(
        "section.finding", has=page.get_by_role("heading", name="Ordered product sales")
    )
    expect(sales).to_contain_text("Sessions")  # the main driver
    sales.get_by_label("Why did it happen? (cause analysis)").fill(
        "Sessions fell after the main image was replaced."
    )
    sales.get_by_role("button", name="Save cause").click()
    expect(sales.get_by_role("status")).to_have_text("Saved.")
    sales.get_by_label("Action to take").fill("Restore the main image")
    sales.get_by_label("Due date").fill("2026-06-07")
    sales.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("Restore the main image")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "insight-review-en-laptop.png", full_page=True
    )
    item = ActionItem.objects.get(workbook=workbook)
    page.locator(f"#action-{item.pk}").get_by_role("button", name="Mark done").click()
    expect(page.locator(f"#action-{item.pk}")).to_have_class("action-item status-done")
    review = WeeklyReview.objects.get(workbook=workbook)
    assert review.findings.get(node_key="sales").cause.startswith("Sessions fell")

    # export the PDF report in the background
    page.get_by_role("link", name="Exports", exact=True).click()
    page.get_by_role("button", name="Prepare PDF report").click()
    expect(page.locator(".export-job")).to_contain_text("Queued")
    run_one_worker_cycle()
    expect(page.get_by_role("link", name="Download")).to_be_visible(timeout=15_000)
    assert ReportJob.objects.get().status == ReportStatus.DONE
    page.screenshot(
        path=screenshot_dir / "insight-exports-en-laptop.png", full_page=True
    )


def test_phone_widths(
    workbook, live_server, browser: Browser, screenshot_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from workbook import reviews

    reviews.review_start(workbook=workbook, user=workbook.owner, period_label="2026-05")
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, EMAIL)
    base = f"{live_server.url}/workbooks/{workbook.pk}"
    page.goto(f"{base}/dashboard/?period=2026-05")
    expect(page.locator("#node-sales")).to_contain_text("Off track")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    page.screenshot(
        path=screenshot_dir / "insight-dashboard-en-phone.png", full_page=True
    )
    page.goto(f"{base}/dashboard/?period=2026-05&node=sales&versus=target#waterfall")
    page.locator("#drill").screenshot(
        path=screenshot_dir / "insight-waterfall-en-phone.png"
    )
    page.goto(f"{base}/reviews/{WeeklyReview.objects.get().pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=screenshot_dir / "insight-review-en-phone.png", full_page=True)
    page.goto(f"{base}/exports/")
    page.screenshot(
        path=screenshot_dir / "insight-exports-en-phone.png", full_page=True
    )
    context.close()


def test_chinese_pages_with_the_demo_review(
    transactional_db: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    from workbook import demo_review

    seed_people()
    owner = User.objects.get(email="chen.siyuan@seabright.demo")
    workbook = store_workbook(owner)
    workbook.organization = owner.memberships.first().organization
    workbook.save()
    demo_review.seed(workbook=workbook)
    review = WeeklyReview.objects.get(workbook=workbook)
    base = f"{live_server.url}/workbooks/{workbook.pk}"
    for size, viewport in (("laptop", None), ("phone", PHONE)):
        options = {"viewport": viewport, "is_mobile": True} if viewport else {}
        context = browser.new_context(**options)
        page = context.new_page()
        sign_in(page, live_server.url, "chen.siyuan@seabright.demo")
        page.goto(f"{base}/dashboard/?period=2026-05")
        expect(page.get_by_role("heading", level=1)).to_have_text("仪表盘")
        expect(page.locator("#node-sessions")).to_contain_text("落后")
        expect(page.locator("svg.chart-waterfall")).to_contain_text("会话数")
        page.screenshot(
            path=screenshot_dir / f"insight-dashboard-zh-{size}.png", full_page=True
        )
        page.goto(f"{base}/reviews/{review.pk}/")
        expect(page.get_by_text("恢复主图").first).to_be_visible()
        page.screenshot(
            path=screenshot_dir / f"insight-review-zh-{size}.png", full_page=True
        )
        page.goto(f"{base}/reviews/")
        page.screenshot(
            path=screenshot_dir / f"insight-reviews-zh-{size}.png", full_page=True
        )
        context.close()
