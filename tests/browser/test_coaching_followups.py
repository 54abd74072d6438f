"""A coach holds a follow-up and agrees action items that show on the trainee's home;
the champion logs a re-training session that the org admin then reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from cohorts.coaching import demo_followups
from cohorts.coaching.models import FollowUp, FollowUpStatus, RetrainingSession
from tests.browser.conftest import LAPTOP, PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo_cohorts()
    demo_followups.seed()


def _phone(browser: Browser) -> Page:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    return context.new_page()


def test_coach_holds_a_follow_up_and_the_trainee_sees_the_actions(
    demo: None, live_server, browser: Browser, page: Page, screenshot_dir: Path
) -> None:
    base = live_server.url
    today = timezone.localdate()
    sign_in(page, base, "coach@lodestar.demo")
    page.goto(base + "/coaching/trainees/")  # "My trainees" in the menu
    expect(page.get_by_role("heading", name="My trainees")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "coaching-trainees-laptop.png", full_page=True
    )
    in_house = page.get_by_role("region", name="海明家居 KPI 内训")
    in_house.get_by_role("link", name="李娜").click()
    expect(page.get_by_role("heading", name="李娜")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "coaching-trainee-page-laptop.png", full_page=True
    )

    page.locator(".fu-timeline a").first.click()  # the follow-up booked next
    expect(page.get_by_role("heading", name="Follow-up with 李娜")).to_be_visible()
    page.get_by_label("Held", exact=True).check()
    page.get_by_label("Coach's notes from the follow-up").fill(
        "广告组已关停，ACoS 降到 31%。退货原因还没汇总完。"
    )
    page.locator('[name="items-0-description"]').fill("完成 5 月退货原因汇总，按 SKU")
    page.locator('[name="items-0-due_date"]').fill(
        (today + dt.timedelta(days=3)).isoformat()
    )
    page.get_by_role("button", name="Add an action item").click()
    page.locator('[name="items-1-description"]').fill("和 Kevin 一起整理否定词表")
    page.locator('[name="items-1-due_date"]').fill(
        (today - dt.timedelta(days=2)).isoformat()
    )
    page.get_by_role("button", name="Save the follow-up").click()
    expect(page.locator(".form-errors")).to_contain_text("Nothing was saved")
    expect(page.locator(".fu-row-due .field-error")).to_contain_text("in the past")
    page.screenshot(
        path=screenshot_dir / "coaching-follow-up-past-date-laptop.png", full_page=True
    )
    page.locator('[name="items-1-due_date"]').fill(
        (today + dt.timedelta(days=6)).isoformat()
    )
    page.get_by_role("button", name="Save the follow-up").click()
    expect(page.locator(".message-success")).to_contain_text("2 new action items")
    page.screenshot(
        path=screenshot_dir / "coaching-follow-up-held-laptop.png", full_page=True
    )
    held = FollowUp.objects.get(notes__startswith="广告组已关停")
    assert held.status == FollowUpStatus.DONE
    assert held.action_items.count() == 2

    trainee = _phone(browser)
    sign_in(trainee, base, "li.na@seabright.demo")
    panel = trainee.get_by_role("region", name="我的待办行动项")
    expect(panel).to_contain_text("完成 5 月退货原因汇总，按 SKU")
    expect(panel).to_contain_text("和 Kevin 一起整理否定词表")
    expect(
        panel.get_by_role("link", name=f"{held.scheduled_at:%Y-%m-%d} 陪跑").first
    ).to_be_visible()
    trainee.screenshot(
        path=screenshot_dir / "coaching-home-actions-phone.png", full_page=True
    )

    panel.get_by_role("link", name="我的全部行动项").click()
    expect(trainee.get_by_role("heading", name="我的行动项")).to_be_visible()
    row = trainee.locator(".fu-item", has_text="和 Kevin 一起整理否定词表")
    row.get_by_label("行动项状态").select_option("done")
    expect(trainee.locator(".fu-item-done", has_text="和 Kevin")).to_be_visible()
    trainee.screenshot(
        path=screenshot_dir / "coaching-my-actions-phone.png", full_page=True
    )
    assert (
        held.action_items.get(description="和 Kevin 一起整理否定词表").status == "done"
    )

    trainee.goto(base + f"/coaching/follow-ups/{held.pk}/")
    trainee.get_by_label("我的反思").fill("先把退货原因按 SKU 排好，再看详情页。")
    trainee.get_by_role("button", name="保存我的反思").click()
    expect(trainee.locator(".message-success")).to_be_visible()
    trainee.screenshot(
        path=screenshot_dir / "coaching-follow-up-phone.png", full_page=True
    )
    held.refresh_from_db()
    assert held.reflection.startswith("先把退货原因")
    trainee.context.close()


def test_champion_logs_a_session_that_the_org_admin_sees(
    demo: None, live_server, browser: Browser, page: Page, screenshot_dir: Path
) -> None:
    base = live_server.url
    sign_in(page, base, "chen.siyuan@seabright.demo")
    page.goto(base + "/coaching/champion/")  # "My team" in the menu
    expect(page.get_by_role("heading", name="我的团队")).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "coaching-champion-team-laptop.png", full_page=True
    )
    page.get_by_role("link", name="记录内部培训").first.click()
    page.get_by_label("分享主题").fill("广告周报怎么写")
    page.get_by_label("分享日期").fill(timezone.localdate().isoformat())
    page.get_by_label("李娜").check()
    page.get_by_label("Kevin Zhang").check()
    page.get_by_label("其他参加人数").fill("2")
    page.get_by_label("其他参加者姓名").fill("王芳, 刘洋")
    page.get_by_label("资料文件").set_input_files(
        {
            "name": "weekly-report.pdf",
            "mimeType": "application/pdf",
            "buffer": b"%PDF-1.4",
        }
    )
    page.get_by_label("分享记录").fill("用李娜的周报做例子，大家一起改。")
    page.screenshot(
        path=screenshot_dir / "coaching-retraining-form-laptop.png", full_page=True
    )
    page.get_by_role("button", name="记录这次培训").click()
    expect(page.locator(".message-success")).to_contain_text("广告周报怎么写")
    session = RetrainingSession.objects.get(topic="广告周报怎么写")
    assert session.attendees.count() == 2 and session.attendee_count == 2

    admin = _phone(browser)
    sign_in(admin, base, "hr@seabright.demo")
    admin.goto(base + "/coaching/retraining/")  # the menu's entry: Seabright's log
    expect(admin.get_by_role("heading", name="内部培训记录")).to_be_visible()
    expect(admin.locator(".ch-session", has_text="广告周报怎么写")).to_contain_text(
        "陈思远"
    )
    admin.screenshot(
        path=screenshot_dir / "coaching-retraining-log-phone.png", full_page=True
    )
    admin.context.close()

    laptop = browser.new_context(viewport=LAPTOP)
    admin_laptop = laptop.new_page()
    sign_in(admin_laptop, base, "hr@seabright.demo")
    admin_laptop.goto(base + "/coaching/retraining/seabright/")
    expect(admin_laptop.locator(".ch-session").first).to_contain_text("广告周报怎么写")
    admin_laptop.screenshot(
        path=screenshot_dir / "coaching-retraining-log-laptop.png", full_page=True
    )
    laptop.close()


def test_coach_and_champion_pages_at_phone_width(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    base = live_server.url
    coach = _phone(browser)
    sign_in(coach, base, "coach@lodestar.demo")
    coach.goto(base + "/coaching/trainees/")
    expect(coach.get_by_role("heading", name="My trainees")).to_be_visible()
    coach.screenshot(
        path=screenshot_dir / "coaching-trainees-phone.png", full_page=True
    )
    booked = FollowUp.objects.get(status=FollowUpStatus.SCHEDULED)
    coach.goto(base + f"/coaching/follow-ups/{booked.pk}/")
    coach.get_by_role("button", name="Add an action item").click()
    expect(coach.locator('[name="items-1-description"]')).to_be_visible()
    coach.screenshot(
        path=screenshot_dir / "coaching-follow-up-record-phone.png", full_page=True
    )
    coach.context.close()

    champion = _phone(browser)
    sign_in(champion, base, "chen.siyuan@seabright.demo")
    champion.goto(base + "/coaching/champion/")
    expect(champion.get_by_role("heading", name="我的团队")).to_be_visible()
    champion.screenshot(
        path=screenshot_dir / "coaching-champion-team-phone.png", full_page=True
    )
    champion.goto(base + "/coaching/champion/sessions/new/")
    champion.screenshot(
        path=screenshot_dir / "coaching-retraining-form-phone.png", full_page=True
    )
    champion.context.close()
