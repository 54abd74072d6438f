"""A trainee asks in the cohort's Q&A; the coach answers and accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from cohorts.models import Question
from tests.browser.conftest import PHONE
from tests.browser.test_login_language import sign_in
from tests.factories.cohorts import seed_demo_cohorts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo_cohorts()


def test_question_answered_and_accepted(
    demo: None, live_server, browser: Browser, page: Page, screenshot_dir: Path
) -> None:
    sign_in(page, live_server.url, "li.na@seabright.demo")
    page.goto(live_server.url + "/cohorts/seabright-in-house/")
    page.get_by_role("link", name="问答").click()
    page.get_by_label("用一句话说明你的问题").fill("退货率应该按订单还是按件数算？")
    page.get_by_label("详细说明").fill("亚马逊和 Shopify 的退货报表口径不一样。")
    page.get_by_role("button", name="发布问题").click()
    expect(
        page.get_by_role("heading", name="退货率应该按订单还是按件数算？")
    ).to_be_visible()
    page.screenshot(
        path=screenshot_dir / "cohorts-question-asked-laptop.png", full_page=True
    )

    coach_context = browser.new_context()
    coach = coach_context.new_page()
    sign_in(coach, live_server.url, "coach@lodestar.demo")
    coach.goto(live_server.url + "/cohorts/seabright-in-house/questions/")
    coach.get_by_role("link", name="退货率应该按订单还是按件数算？").click()
    coach.get_by_label("Your answer").fill(
        "按件数算，和库存、成本口径一致；订单口径放在备注里。"
    )
    coach.get_by_role("button", name="Post the answer").click()
    answer = coach.locator(".answer", has_text="按件数算")
    answer.get_by_role("button", name="Mark as the accepted answer").click()
    expect(coach.locator(".answer.is-accepted")).to_contain_text("按件数算")
    coach.evaluate("window.scrollTo(0, 0)")
    coach.screenshot(
        path=screenshot_dir / "cohorts-question-accepted-laptop.png", full_page=True
    )
    question = Question.objects.get(title="退货率应该按订单还是按件数算？")
    assert question.accepted_answer is not None

    page.reload()
    expect(page.locator(".answer.is-accepted")).to_contain_text("已采纳的回答")
    page.goto(live_server.url + "/cohorts/seabright-in-house/questions/")
    page.screenshot(
        path=screenshot_dir / "cohorts-questions-laptop.png", full_page=True
    )
    coach_context.close()


def test_questions_at_phone_width(
    demo: None, live_server, browser: Browser, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, "chen.siyuan@seabright.demo")
    page.goto(live_server.url + "/cohorts/seabright-in-house/questions/")
    page.get_by_role("link").filter(has_text="达人佣金").click()
    expect(page.locator(".answer.is-accepted")).to_be_visible()
    page.screenshot(path=screenshot_dir / "cohorts-question-phone.png", full_page=True)
    context.close()
