"""QR check-in at a workshop: the coach's screen, a trainee's phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from accounts.demo import DEMO_PASSWORD
from cohorts.models import Attendance, Session
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo_cohorts()


def test_trainee_scans_on_a_phone_logs_in_and_lands_checked_in(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    workshop = Session.objects.get(title="现场工作坊：周复盘演练")
    coach_context = browser.new_context(viewport=LAPTOP)
    coach = coach_context.new_page()
    sign_in(coach, live_server.url, "coach@lodestar.demo")
    expect(coach.get_by_role("heading", name="Today's sessions")).to_be_visible()
    coach.screenshot(
        path=screenshot_dir / "cohorts-home-coach-laptop.png", full_page=True
    )
    coach.get_by_role("link", name="QR check-in").first.click()
    expect(coach.locator(".checkin-code svg")).to_be_visible()
    coach.screenshot(
        path=screenshot_dir / "cohorts-checkin-screen-laptop.png", full_page=True
    )
    checkin_url = coach.locator("a.checkin-link").get_attribute("href")
    assert checkin_url and f"/cohorts/checkin/{workshop.pk}/" in checkin_url

    phone_context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True
    )
    phone = phone_context.new_page()
    phone.goto(checkin_url)
    expect(phone.get_by_label("邮箱")).to_be_visible()  # signed out: log in first
    phone.get_by_label("邮箱").fill("li.na@seabright.demo")
    phone.get_by_label("密码").fill(DEMO_PASSWORD)
    phone.get_by_role("button", name="登录").click()
    expect(phone.get_by_role("heading", name="签到成功")).to_be_visible()
    phone.screenshot(
        path=screenshot_dir / "cohorts-checkin-done-phone.png", full_page=True
    )
    assert Attendance.objects.filter(
        session=workshop, user__email="li.na@seabright.demo"
    ).exists()

    phone.goto(checkin_url)  # scanning the same code again is harmless
    expect(phone.get_by_role("heading", name="你已经签到过了")).to_be_visible()

    # the coach's screen renews the code and counts the check-in
    coach.reload()
    expect(coach.locator(".checkin-count")).to_contain_text("1 checked in by QR")

    other = (
        Session.objects.exclude(pk=workshop.pk).filter(cohort=workshop.cohort).first()
    )
    phone.goto(checkin_url.replace(f"/checkin/{workshop.pk}/", f"/checkin/{other.pk}/"))
    expect(phone.get_by_role("alert")).to_contain_text("这个签到码属于另一节课")
    phone.screenshot(
        path=screenshot_dir / "cohorts-checkin-wrong-phone.png", full_page=True
    )

    coach.goto(
        f"{live_server.url}/cohorts/seabright-in-house/sessions/{workshop.pk}/attendance/"
    )
    row = coach.locator(
        f"#attendance-{Attendance.objects.get(session=workshop).user_id}"
    )
    expect(row).to_contain_text("Checked in by QR")
    coach.screenshot(
        path=screenshot_dir / "cohorts-attendance-laptop.png", full_page=True
    )
    phone_context.close()
    coach_context.close()


def test_coach_takes_attendance_on_a_phone(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    workshop = Session.objects.get(title="现场工作坊：周复盘演练")
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page: Page = context.new_page()
    sign_in(page, live_server.url, "coach@lodestar.demo")
    page.goto(
        f"{live_server.url}/cohorts/seabright-in-house/sessions/{workshop.pk}/attendance/"
    )
    kevin = page.locator("tr", has_text="Kevin Zhang")
    kevin.get_by_role("button", name="Late").click()
    expect(kevin.get_by_role("button", name="Late")).to_have_attribute(
        "aria-pressed", "true"
    )
    assert (
        Attendance.objects.get(
            session=workshop, user__email="kevin.zhang@seabright.demo"
        ).status
        == "late"
    )
    page.screenshot(
        path=screenshot_dir / "cohorts-attendance-phone.png", full_page=True
    )
    page.goto(
        f"{live_server.url}/cohorts/seabright-in-house/sessions/{workshop.pk}/checkin/"
    )
    page.screenshot(
        path=screenshot_dir / "cohorts-checkin-screen-phone.png", full_page=True
    )
    page.goto(f"{live_server.url}/cohorts/seabright-in-house/attendance/")
    page.screenshot(
        path=screenshot_dir / "cohorts-attendance-report-phone.png", full_page=True
    )
    context.close()
