"""A trainee with reminders sees the bell count, opens the list, follows one (the
count drops), marks the rest read, and turns a kind off at phone width."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.models import Notification, NotificationPreference, User
from accounts.reminders import run_reminders
from cohorts.coaching.models import Assignment
from cohorts.models import Cohort
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.cohorts import seed_demo_cohorts
from workbook.models import ActionItem

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EMAIL = "li.na@seabright.demo"


@pytest.fixture
def reminded(transactional_db: None) -> User:
    """Li Na with homework due tomorrow and an action item two days late."""
    seed_demo_cohorts()
    li_na = User.objects.get(email=EMAIL)
    cohort = Cohort.objects.get(slug="seabright-in-house")
    Assignment.objects.create(
        cohort=cohort,
        title="拆解本季度 GMV 目标",
        due_at=timezone.now() + dt.timedelta(hours=30),
    )
    ActionItem.objects.create(
        owner=li_na,
        description="把广告 ACoS 降到 25% 以下",
        due_date=timezone.localdate() - dt.timedelta(days=2),
    )
    run_reminders()
    assert Notification.objects.filter(user=li_na).count() >= 2
    return li_na


def _unread(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def test_bell_list_open_and_mark_all_read(
    reminded: User, live_server, page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, EMAIL)
    page.goto(live_server.url + "/accounts/profile/")
    before = _unread(reminded)
    bell = page.locator("#notification-bell")
    expect(bell.locator(".bell-count")).to_have_text(str(before))
    page.screenshot(path=screenshot_dir / "notifications-bell-laptop.png")

    bell.click()
    expect(page.get_by_role("heading", name="通知", exact=True)).to_be_visible()
    expect(page.locator(".notification.is-unread")).to_have_count(before)
    page.screenshot(
        path=screenshot_dir / "notifications-list-laptop.png", full_page=True
    )

    page.get_by_role("button", name="作业即将截止：拆解本季度 GMV 目标").click()
    page.wait_for_load_state()
    assert "/accounts/notifications/" not in page.url
    expect(page.locator("#notification-bell .bell-count")).to_have_text(str(before - 1))
    assert _unread(reminded) == before - 1

    page.goto(live_server.url + "/accounts/notifications/")
    page.get_by_role("button", name="全部标为已读").click()
    expect(page.locator(".notification.is-unread")).to_have_count(0)
    expect(page.locator("#notification-bell .bell-count")).to_have_count(0)
    assert _unread(reminded) == 0
    page.get_by_role("link", name="仅未读").click()
    expect(page.get_by_text("没有未读通知，您都看过了。")).to_be_visible()
    assert page.url.endswith("?show=unread")


def test_turn_a_kind_off_at_phone_width(
    reminded: User, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, EMAIL)
    page.goto(live_server.url + "/accounts/notifications/")
    expect(page.locator("#notification-bell")).to_be_visible()  # outside the menu
    expect(page.locator("#notification-bell .bell-count")).to_have_text(
        str(_unread(reminded))
    )
    page.screenshot(
        path=screenshot_dir / "notifications-list-phone.png", full_page=True
    )

    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_role("link", name="通知设置").click()
    expect(page.get_by_role("heading", name="通知设置")).to_be_visible()
    page.locator('input[name="homework_due_soon-email"]').uncheck()
    page.locator('input[name="homework_due_soon-in_app"]').uncheck()
    page.locator('input[name="action_item_overdue-email"]').uncheck()
    page.get_by_role("button", name="保存设置").click()
    expect(page.get_by_text("您的通知设置已保存。")).to_be_visible()
    expect(page.locator('input[name="homework_due_soon-in_app"]')).not_to_be_checked()
    expect(page.locator('input[name="session_tomorrow-in_app"]')).to_be_checked()
    page.screenshot(
        path=screenshot_dir / "notifications-preferences-phone.png", full_page=True
    )
    choices = {
        p.kind: (p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user=reminded)
    }
    assert choices == {
        "homework_due_soon": (False, False),
        "action_item_overdue": (True, False),
    }
    context.close()


def test_reminder_email_looks_finished(
    mailoutbox,  # type: ignore[no-untyped-def]
    reminded: User,
    page: Page,
    screenshot_dir: Path,
) -> None:
    """The HTML alternative of a reminder, as a mail client would show it."""
    email = next(
        m for m in mailoutbox if "拆解本季度 GMV 目标" in m.subject and m.to == [EMAIL]
    )
    html = email.alternatives[0][0]
    page.set_viewport_size(PHONE)
    page.set_content(html)
    expect(page.get_by_role("link", name="在 Lodestar 中查看")).to_have_attribute(
        "href", re.compile(r"^http://.+/coaching/homework/\d+/$")
    )
    expect(page.get_by_role("link", name="选择接收哪些提醒")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "notifications-email-phone.png", full_page=True
    )
    assert "http" in email.body and "李娜" in email.body
