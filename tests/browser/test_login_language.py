"""A trainee signs in, switches the interface language, and the pages look finished."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import User
from tests.browser.conftest import LAPTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_people()


def sign_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_trainee_signs_in_and_switches_language(
    demo: None, live_server, page: Page, screenshot_dir: Path
) -> None:
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "定目标，每周看数，针对差距行动。"
    )
    page.screenshot(path=screenshot_dir / "landing-zh-laptop.png", full_page=True)

    page.goto(live_server.url + "/accounts/login/")
    expect(page.get_by_role("heading", name="登录 Lodestar")).to_be_visible()
    page.screenshot(path=screenshot_dir / "login-zh-laptop.png", full_page=True)

    sign_in(page, live_server.url, "li.na@seabright.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎回来，李娜")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_text("海明家居 Seabright Home").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "home-zh-laptop.png", full_page=True)

    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, 李娜")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=screenshot_dir / "home-en-laptop.png", full_page=True)
    assert User.objects.get(email="li.na@seabright.demo").preferred_language == "en"

    page.get_by_role("link", name="李娜").click()
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    page.screenshot(path=screenshot_dir / "profile-en-laptop.png", full_page=True)

    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="个人资料")).to_be_visible()
    page.screenshot(path=screenshot_dir / "profile-zh-laptop.png", full_page=True)


def test_wrong_password_message_in_the_browser(
    demo: None, live_server, page: Page
) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("邮箱").fill("li.na@seabright.demo")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_contain_text("邮箱或密码不正确")


def test_phone_layout_menu_and_profile(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.screenshot(path=screenshot_dir / "landing-zh-phone.png", full_page=True)
    sign_in(page, live_server.url, "chen.siyuan@seabright.demo")
    expect(page.get_by_role("heading", level=1)).to_have_text("欢迎回来，陈思远")
    nav = page.get_by_role("navigation", name="主导航")
    expect(nav).to_be_hidden()
    page.get_by_role("button", name="菜单").click()
    expect(nav).to_be_visible()
    expect(page.get_by_text("内部推动人").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "home-zh-phone-menu.png", full_page=True)
    page.get_by_role("link", name="陈思远").click()
    expect(page.get_by_role("heading", name="个人资料")).to_be_visible()
    page.screenshot(path=screenshot_dir / "profile-zh-phone.png", full_page=True)
    # Nothing on the page is wider than the phone screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()


def test_english_pages_on_laptop(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="EN").click()
    expect(page.get_by_role("heading", name="Sign in to Lodestar")).to_be_visible()
    page.screenshot(path=screenshot_dir / "login-en-laptop.png", full_page=True)
    page.goto(live_server.url + "/")
    page.screenshot(path=screenshot_dir / "landing-en-laptop.png", full_page=True)
    context.close()
