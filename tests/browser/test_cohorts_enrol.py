"""A trainee enrols with a join code and gets the calendar link.

Kevin reads the site in English (his saved preference); Li Na in Chinese.
"""

from __future__ import annotations

from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Browser, Page, expect

from cohorts.models import Enrolment
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo_cohorts()


def test_trainee_enrols_with_a_code_and_subscribes(
    demo: None, live_server, page: Page, screenshot_dir: Path
) -> None:
    base = live_server.url
    sign_in(page, base, "kevin.zhang@seabright.demo")
    page.get_by_role("link", name="My cohorts").first.click()
    expect(page.get_by_role("heading", name="My cohorts")).to_be_visible()
    page.screenshot(path=screenshot_dir / "cohorts-list-laptop.png", full_page=True)
    page.get_by_role("link", name="Join with a code").first.click()

    page.get_by_label("Join code").fill("WRONG999")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("That join code is not right")
    page.screenshot(
        path=screenshot_dir / "cohorts-join-error-laptop.png", full_page=True
    )

    page.get_by_label("Join code").fill("kpi12open")
    page.get_by_role("button", name="Join", exact=True).click()
    expect(
        page.get_by_text("You are enrolled in KPI 管理公开课 · 第 12 期.")
    ).to_be_visible()
    expect(
        page.get_by_role("heading", name="KPI 管理公开课 · 第 12 期")
    ).to_be_visible()
    expect(page.get_by_text("You are enrolled", exact=True)).to_be_visible()
    assert Enrolment.objects.filter(
        user__email="kevin.zhang@seabright.demo", cohort__slug="kpi-public-class"
    ).exists()
    page.screenshot(path=screenshot_dir / "cohorts-schedule-laptop.png", full_page=True)

    page.get_by_role("link", name="Get the calendar link").click()
    feed_url = page.locator("#feed-url").input_value()
    assert feed_url.startswith(base + "/cohorts/feeds/")
    page.screenshot(path=screenshot_dir / "cohorts-calendar-laptop.png", full_page=True)

    response = page.request.get(feed_url)
    assert response.ok
    calendar = icalendar.Calendar.from_ical(response.body())
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert any("第 2 讲" in s for s in summaries)

    page.get_by_role("button", name="Make a new address").click()
    expect(page.get_by_text("Your calendar address has changed")).to_be_visible()
    assert page.locator("#feed-url").input_value() != feed_url
    assert page.request.get(feed_url).status == 404


def test_schedule_and_calendar_at_phone_width(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "li.na@seabright.demo")
    page.goto(live_server.url + "/cohorts/seabright-in-house/")
    expect(page.get_by_role("heading", name="海明家居 KPI 内训")).to_be_visible()
    page.screenshot(path=screenshot_dir / "cohorts-schedule-phone.png", full_page=True)
    page.get_by_role("link", name="启动会：海明家居的指标树").click()
    expect(page.get_by_role("link", name="观看回放")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "cohorts-session-past-phone.png", full_page=True
    )
    page.goto(live_server.url + "/cohorts/calendar/")
    page.screenshot(path=screenshot_dir / "cohorts-calendar-phone.png", full_page=True)
    page.goto(live_server.url + "/")
    page.screenshot(
        path=screenshot_dir / "cohorts-home-trainee-phone.png", full_page=True
    )
    context.close()


def test_editor_manages_cohorts_in_wagtail_admin(
    demo: None, live_server, page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "staff@lodestar.demo")
    page.goto(live_server.url + "/cms/snippets/cohorts/cohort/")
    expect(page.get_by_role("link", name="海明家居 KPI 内训")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "cohorts-admin-list-laptop.png", full_page=True
    )
    page.get_by_role("link", name="海明家居 KPI 内训").click()
    expect(page.locator("#id_sessions-0-title")).to_have_value(
        "启动会：海明家居的指标树"
    )
    page.screenshot(path=screenshot_dir / "cohorts-admin-edit-laptop.png")
