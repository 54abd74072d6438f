"""The menu stays one tidy row on a laptop and a list on a phone, whatever the roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.demo import seed_people
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_login_language import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_people()


def test_the_coach_and_the_staff_member_open_their_menus(
    demo: None, live_server, browser: Browser, page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "coach@lodestar.demo")  # English interface
    header = page.locator(".site-header")
    box = header.bounding_box()
    assert box is not None and box["height"] < 80  # one row, nothing wrapped
    sign_out = page.get_by_role("button", name="Sign out").bounding_box()
    assert sign_out is not None and sign_out["x"] + sign_out["width"] <= LAPTOP["width"]
    bell = page.locator("#notification-bell").bounding_box()
    assert bell is not None and bell["x"] >= sign_out["x"] + sign_out["width"]
    page.locator(".nav-group summary", has_text="Coaching").click()
    queue = page.get_by_role("navigation").get_by_role("link", name="Review queue")
    expect(queue).to_be_visible()
    page.screenshot(path=screenshot_dir / "navigation-coach-laptop.png")
    page.keyboard.press("Escape")
    expect(queue).to_be_hidden()
    page.locator(".nav-group summary", has_text="Coaching").click()
    queue.click()
    expect(page).to_have_url(f"{live_server.url}/coaching/reviews/")

    phone = browser.new_context(viewport=PHONE).new_page()
    sign_in(phone, live_server.url, "staff@lodestar.demo")  # Chinese interface
    expect(phone.locator("#notification-bell")).to_be_visible()
    phone.get_by_role("button", name="菜单").click()
    phone.locator(".nav-group summary", has_text="管理").click()
    expect(
        phone.get_by_role("navigation").get_by_role("link", name="后台任务")
    ).to_be_visible()
    phone.screenshot(path=screenshot_dir / "navigation-staff-phone.png")
